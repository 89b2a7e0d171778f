// SparkState: not built yet.
