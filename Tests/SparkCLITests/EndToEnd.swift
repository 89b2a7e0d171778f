import Foundation
import SparkTestSupport
import Testing

/// The golden and end-to-end cases' view of spark's command line: async, off the cooperative
/// pool, over ``CLI``'s runner.
enum EndToEnd {
    struct Result {
        var exit: Int32
        var stdout: String
        var stderr: String
    }

    static let packageRoot = CLI.repositoryRoot

    /// Starts `spark args…` in `cwd` (through ``CLI``, the one runner); call `wait` on the result.
    static func start(_ args: [String], cwd: URL) throws -> Running {
        Running(run: try CLI.start(args, in: cwd, environment: ["NO_COLOR": "1"]))
    }

    struct Running: @unchecked Sendable {
        var run: CLI.Running

        func wait() async throws -> Result {
            try await offPool { waitBlocking() }
        }

        func waitBlocking() -> Result {
            let r = run.wait()
            return Result(exit: r.status, stdout: r.stdout, stderr: r.stderr)
        }
    }

    /// Runs `spark args…` in `cwd` through ``CLI/run(_:in:environment:)``: in-process unless
    /// the command talks to Snowflake.
    static func run(_ args: [String], cwd: URL) async throws -> Result {
        try await offPool {
            let r = try CLI.run(args, in: cwd, environment: ["NO_COLOR": "1"])
            return Result(exit: r.status, stdout: r.stdout, stderr: r.stderr)
        }
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
