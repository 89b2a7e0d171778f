import Foundation

/// A request to stop an apply at the next statement boundary (SIGINT or SIGTERM), shared
/// between the signal handler and the run.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var signal: Int32?

    public init() {}

    /// Records the first signal; returns false when one was already recorded (a second Ctrl-C).
    @discardableResult
    public func request(_ signal: Int32) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard self.signal == nil else { return false }
        self.signal = signal
        return true
    }

    /// The signal that asked the run to stop, if any.
    public var requested: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return signal
    }

    /// `SIGINT`, `SIGTERM` or the signal's number.
    public static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }
}
