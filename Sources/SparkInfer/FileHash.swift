/// SHA-256 of a whole file, as inference computes it.
public enum FileHash {
    /// Lowercase hex SHA-256 of the file at `path`, read through memory maps on the calling thread.
    public static func sha256(path: String) throws(InferError) -> String {
        try DecodedInput.sha256(path: path)
    }
}
