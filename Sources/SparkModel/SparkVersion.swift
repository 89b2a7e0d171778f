/// spark's version, as the apply lock and `spark --version` show it.
public enum SparkVersion {
    public static let current = "0.16.0-dev"
}
