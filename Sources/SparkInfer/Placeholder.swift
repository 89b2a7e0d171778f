public enum SparkInferPlaceholder {}
