import Foundation
import SparkCLI
import Testing

/// Runs spark's command line: in-process through ``SparkCLI`` for the commands that do not talk
/// to Snowflake, as the `spark` executable that `swift build --build-tests` puts beside the test
/// bundle for those that do (apply, status, schemas, unlock, connection: signals, kills and
/// timeouts belong to a real process). ``BinaryTests`` runs every command once as the binary.
enum CLI {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("spark")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in directory: URL = repositoryRoot, environment: [String: String] = [:]) throws -> Result {
        if let result = try InProcess.run(arguments, in: directory, environment: environment) { return result }
        return try runBinary(arguments, in: directory, environment: environment)
    }

    /// Runs the `spark` executable, whatever the command.
    static func runBinary(_ arguments: [String], in directory: URL = repositoryRoot, environment: [String: String] = [:]) throws -> Result {
        try Running(arguments, in: directory, environment: environment).wait()
    }

    /// `SparkCLI.runSynchronously` with captured streams, in `directory`. The current directory
    /// is one per process, so runs that need one take turns, and so do process launches.
    enum InProcess {
        static let directoryLock = NSLock()

        final class Capture: @unchecked Sendable {
            private let lock = NSLock()
            private var text = ""
            func append(_ s: String) { lock.lock(); text += s; lock.unlock() }
            var value: String { lock.lock(); defer { lock.unlock() }; return text }
        }

        static func run(_ arguments: [String], in directory: URL, environment: [String: String]) throws -> Result? {
            let out = Capture(), err = Capture()
            let invocation = Invocation(stdout: { out.append($0) }, stderr: { err.append($0) },
                                        environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
            directoryLock.lock()
            defer { directoryLock.unlock() }
            let previous = FileManager.default.currentDirectoryPath
            guard FileManager.default.changeCurrentDirectoryPath(directory.path) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: directory.path])
            }
            defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
            guard let status = SparkCLI.runSynchronously(arguments, invocation: invocation) else { return nil }
            return Result(status: status, stdout: out.value, stderr: err.value)
        }
    }

    /// Runs `spark` with stdout and stderr on one pipe, as a terminal or `2>&1` shows them.
    static func runCombined(_ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        p.currentDirectoryURL = directory
        let both = Pipe()
        p.standardOutput = both
        p.standardError = both
        InProcess.directoryLock.lock()
        do { try p.run() } catch { InProcess.directoryLock.unlock(); throw error }
        InProcess.directoryLock.unlock()
        let data = both.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A `spark` process started in the background, for tests that signal it.
    final class Running: @unchecked Sendable {
        let process = Process()
        private let out = Pipe(), err = Pipe()
        private var outData = Data(), errData = Data()
        private let group = DispatchGroup()

        init(_ arguments: [String], in directory: URL, environment: [String: String]) throws {
            process.executableURL = CLI.executable
            process.arguments = arguments
            process.currentDirectoryURL = directory
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardOutput = out
            process.standardError = err
            CLI.InProcess.directoryLock.lock()
            defer { CLI.InProcess.directoryLock.unlock() }
            try process.run()
            // Drained while it runs, so a full pipe cannot block it.
            group.enter()
            DispatchQueue.global().async { self.outData = self.out.fileHandleForReading.readDataToEndOfFile(); self.group.leave() }
            group.enter()
            DispatchQueue.global().async { self.errData = self.err.fileHandleForReading.readDataToEndOfFile(); self.group.leave() }
        }

        func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

        /// Waits for the process to end.
        func wait() -> Result {
            process.waitUntilExit()
            group.wait()
            return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
        }
    }

    static func start(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Running {
        try Running(arguments, in: directory, environment: environment)
    }
}
