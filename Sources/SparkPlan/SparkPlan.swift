// SparkPlan: not built yet.
