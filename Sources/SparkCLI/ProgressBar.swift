import Foundation
import SparkProject
import SparkInfer
import Synchronization

/// A progress bar on stderr for work that reads or uploads files: scans, validation, canonical
/// copies, stage uploads.
///
/// It appears only when stderr is a terminal and the work has taken more than a second, and it
/// is erased when the work ends, so piped output and quick runs never see it. It polls
/// ``ReadProgress``, which the readers add to; it does not slow them down.
final class ProgressBar: Sendable {
    private let label: String
    private let total: Int
    private let counter: @Sendable () -> Int
    private let start: Int
    private let stop = Atomic<Bool>(false)
    private let shown = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    /// The run's stderr, taken when the bar starts: the bar draws from a thread of its own.
    private let write = Invocation.current.stderr

    static var enabled: Bool { Invocation.current.stderrIsTerminal && Invocation.current.environment["TERM"] != "dumb" }

    /// Runs `body` with a bar for `total` bytes (0 when unknown) labelled `label`.
    static func run<T>(_ label: String, bytes total: Int, _ body: () throws -> T) rethrows -> T {
        let bar = start(label, bytes: total)
        defer { bar?.finish() }
        return try body()
    }

    /// Starts a bar that runs until ``finish()``; nil when stderr is not a terminal.
    /// `counter` is polled for the bytes done so far (default: ``ReadProgress``).
    static func start(_ label: String, bytes total: Int,
                      counter: @escaping @Sendable () -> Int = { ReadProgress.bytes.load(ordering: .relaxed) }) -> ProgressBar? {
        guard enabled else { return nil }
        let bar = ProgressBar(label: label, total: total, counter: counter)
        Thread { bar.loop() }.start()
        return bar
    }


    private init(label: String, total: Int, counter: @escaping @Sendable () -> Int) {
        self.label = label
        self.total = total
        self.counter = counter
        start = counter()
    }

    private func loop() {
        let began = Date()
        while !stop.load(ordering: .relaxed) {
            usleep(100_000)
            let elapsed = Date().timeIntervalSince(began)
            guard elapsed > 1, !stop.load(ordering: .relaxed) else { continue }
            shown.store(true, ordering: .relaxed)
            draw(done: counter() - start, elapsed: elapsed)
        }
        finished.signal()
    }

    /// Stops the bar and erases it if it was shown.
    func finish() {
        stop.store(true, ordering: .relaxed)
        finished.wait()
        if shown.load(ordering: .relaxed) { write("\r\u{1B}[2K") }
    }

    private func draw(done: Int, elapsed: TimeInterval) {
        let mib = Double(done) / 1_048_576
        let rate = String(format: "%.0f MiB/s", mib / elapsed)
        var line = "\r\u{1B}[2K\(label) "
        if total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let width = 30
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
            line += String(format: " %3.0f%% %.0f/%.0f MiB, ", fraction * 100, mib, Double(total) / 1_048_576) + rate
        } else {
            line += String(format: "%.0f MiB, ", mib) + rate
        }
        write(line)
    }
}

/// How the CLI shows a use case's work: warnings on stderr, a progress bar on a terminal.
struct CLIObserver: WorkObserver {
    func warning(_ line: String) { printError("warning: \(line)\n") }
    func note(_ line: String) { printError("note: \(line)\n") }

    func reading<T>(_ label: String, bytes: Int, _ body: () throws -> T) throws -> T {
        try ProgressBar.run(label, bytes: bytes, body)
    }
}
