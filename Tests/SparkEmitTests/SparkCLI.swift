import Foundation
import Testing

/// Runs the built `spark` executable, as a user would.
enum SparkCLI {
    struct Result {
        var exit: Int32
        var stdout: String
        var stderr: String
    }

    /// The `spark` binary next to the test bundle (`swift build --build-tests` builds both).
    static var binary: URL? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("spark"),
            packageRoot.appendingPathComponent(".build/debug/spark"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Starts `spark args…` in `cwd`; call `wait` on the result.
    static func start(_ args: [String], cwd: URL) throws -> Running {
        guard let binary else {
            Issue.record("the spark executable is not built: run `swift build --build-tests` (scripts/test does)")
            throw CancellationError()
        }
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = cwd
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("spark-out-\(UUID().uuidString)")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("spark-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        p.environment = env
        try p.run()
        return Running(process: p, out: out, err: err)
    }

    struct Running: @unchecked Sendable {
        var process: Process
        var out: URL
        var err: URL

        func wait() async throws -> Result {
            try await offPool { waitBlocking() }
        }

        func waitBlocking() -> Result {
            process.waitUntilExit()
            defer {
                try? FileManager.default.removeItem(at: out)
                try? FileManager.default.removeItem(at: err)
            }
            return Result(exit: process.terminationStatus,
                          stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
        }
    }

    static func run(_ args: [String], cwd: URL) async throws -> Result {
        try await start(args, cwd: cwd).wait()
    }

    /// A fresh temporary folder.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("spark-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every regular file under `dir`, by relative path.
    static func files(in dir: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) else { return out }
        let base = dir.standardizedFileURL.path
        for case let url as URL in e {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let rel = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
            out[rel] = FileManager.default.contents(atPath: url.path)
        }
        return out
    }
}

/// Runs blocking work (waiting for a child process) on a Dispatch thread. Blocking one of Swift
/// concurrency's cooperative threads instead would starve other suites' async tests on a 2-core
/// machine, which has only two.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        DispatchQueue.global().async { c.resume(with: Result { try work() }) }
    }
}
