import Synchronization

/// Bytes of CSV input read so far by this process: inference, validation and the canonical
/// writer all read through `DecodedInput`, which adds to it. The CLI's progress bar polls it;
/// nothing else reads it, and it never changes what a scan does.
public enum ReadProgress {
    public static let bytes = Atomic<Int>(0)

    @inline(__always) static func add(_ n: Int) {
        bytes.add(n, ordering: .relaxed)
    }
}
