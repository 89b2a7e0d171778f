import Synchronization

/// Bytes of files this process has handed to stage uploads so far (counted as each part is read
/// for sending). A progress display polls it; nothing else reads it.
public enum TransferProgress {
    public static let bytes = Atomic<Int>(0)
}
