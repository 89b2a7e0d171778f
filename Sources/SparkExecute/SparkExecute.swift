// SparkExecute: not built yet.
