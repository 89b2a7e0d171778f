import Crypto
import Foundation

/// SHA-256 of a whole file, as inference computes it.
public enum FileHash {
    /// Lowercase hex SHA-256 of the file at `path`, read through memory maps on the calling thread.
    public static func sha256(path: String) throws(InferError) -> String {
        try DecodedInput.sha256(path: path)
    }

    /// Lowercase hex SHA-256 of bytes in memory.
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
