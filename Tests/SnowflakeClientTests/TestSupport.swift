import Foundation
import Logging
import Testing

@testable import SnowflakeClient

/// A test needs something `scripts/test` provides; fail loudly rather than skip.
struct MissingTestEnvironment: Error, CustomStringConvertible {
    let variable: String
    var description: String {
        "\(variable) is not set: run these tests with `scripts/test --filter SnowflakeClientTests`, which starts fakesnow and the Python venv"
    }
}

struct PythonFailure: Error, CustomStringConvertible {
    let status: Int32
    let stderr: String
    var description: String { "python exited with \(status): \(stderr)" }
}

enum TestEnvironment {
    static func fakesnowPort() throws -> Int {
        guard let text = ProcessInfo.processInfo.environment["SPARK_TEST_FAKESNOW_PORT"], let port = Int(text) else {
            throw MissingTestEnvironment(variable: "SPARK_TEST_FAKESNOW_PORT")
        }
        return port
    }

    static func python() throws -> String {
        guard let path = ProcessInfo.processInfo.environment["SPARK_TEST_PYTHON"], !path.isEmpty else {
            throw MissingTestEnvironment(variable: "SPARK_TEST_PYTHON")
        }
        return path
    }

    /// Retries fast, so tests of failure paths do not wait.
    static let quickRetries = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(50), requestTimeout: .seconds(60))


    /// A config for the fakesnow server that `scripts/test` started.
    static func fakesnow(
        authenticator: Authenticator = .password, database: String = "SPARK_CLIENT_TEST", schema: String = "PUBLIC"
    ) throws -> ConnectionConfig {
        ConnectionConfig(
            account: "fakesnow", user: "spark_test", authenticator: authenticator,
            password: authenticator == .password ? "fakesnow-password-value" : nil,
            token: authenticator == .programmaticAccessToken ? "fakesnow-pat-token-value" : nil,
            host: "127.0.0.1", port: try fakesnowPort(), protocol: "http", database: database, schema: schema,
            sessionParameters: [
                "nop_regexes": .strings(["^GRANT .*", "^REVOKE .*", "^(CREATE|DROP) ROLE.*", "^ALTER SESSION.*"])
            ],
            retryPolicy: quickRetries)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("spark-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A name unique to this run, so parallel tests sharing fakesnow never collide.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// Runs a Python script with the test venv's interpreter and returns its stdout.
/// Output goes through files rather than pipes: pipe reads in Foundation can trap on EINTR.
func runPython(_ script: String, arguments: [String] = []) throws -> String {
    let directory = try TestEnvironment.temporaryDirectory()
    let stdoutFile = directory.appendingPathComponent("stdout")
    let stderrFile = directory.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
    _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try TestEnvironment.python())
    process.arguments = ["-c", script] + arguments
    process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
    process.standardError = try FileHandle(forWritingTo: stderrFile)
    try process.run()
    process.waitUntilExit()
    let stdout = try String(contentsOf: stdoutFile, encoding: .utf8)
    guard process.terminationStatus == 0 else {
        throw PythonFailure(status: process.terminationStatus, stderr: (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "")
    }
    try? FileManager.default.removeItem(at: directory)
    return stdout
}

/// Decodes the JSON a Python script printed.
func pythonJSON(_ script: String, arguments: [String] = []) throws -> [String: Any] {
    let text = try runPython(script, arguments: arguments)
    guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw PythonFailure(status: 0, stderr: "not a JSON object: \(text)")
    }
    return object
}

/// Keeps every log line (message and metadata) so tests can search them for secrets.
final class RecordingLogHandler: LogHandler, @unchecked Sendable {
    final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    init(store: Store) { self.store = store }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = self.metadata.merging(event.metadata ?? [:]) { $1 }
        let error = event.error.map { " error=\($0)" } ?? ""
        store.append(
            "\(event.level) \(event.message)\(error) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
        )
    }

    static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "test") { _ in RecordingLogHandler(store: store) }, store)
    }
}
