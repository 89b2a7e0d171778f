// SparkEmit: not built yet.
