import ArgumentParser
import Foundation
import SnowflakeClient
import SparkModel
import SparkProject
import Synchronization

/// One run of spark's command line: where it writes, and what it reads of its surroundings (the
/// environment, which streams are terminals).
///
/// The `spark` process runs with ``process``; tests run commands in their own process with
/// streams they capture (``SparkCLI/run(_:stdout:stderr:environment:)``). Commands reach it
/// through ``current``, so every line they print goes to the run's own streams.
public struct Invocation: Sendable {
    public var stdout: @Sendable (String) -> Void
    public var stderr: @Sendable (String) -> Void
    public var environment: [String: String]
    public var stdoutIsTerminal = false
    public var stderrIsTerminal = false
    public var stdinIsTerminal = false
    /// The `spark` process itself: only it watches signals, and only it may prompt on stdin.
    public var isProcess = false

    public init(stdout: @escaping @Sendable (String) -> Void, stderr: @escaping @Sendable (String) -> Void, environment: [String: String]) {
        self.stdout = stdout
        self.stderr = stderr
        self.environment = environment
    }

    /// The `spark` process: its own stdout (buffered, as `print` is), stderr and environment.
    public static var process: Invocation {
        var i = Invocation(stdout: { Swift.print($0, terminator: "") },
                           stderr: { FileHandle.standardError.write(Data($0.utf8)) },
                           environment: ProcessInfo.processInfo.environment)
        i.stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
        i.stderrIsTerminal = isatty(STDERR_FILENO) == 1
        i.stdinIsTerminal = isatty(STDIN_FILENO) == 1
        i.isProcess = true
        return i
    }

    @TaskLocal public static var current = Invocation.process
}

/// Writes to the run's stdout, as `Swift.print` would. Every command prints through this.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Invocation.current.stdout(items.map { "\($0)" }.joined(separator: separator) + terminator)
}

/// Writes `text` to the run's stderr as it is (add the newline).
func printError(_ text: String) {
    Invocation.current.stderr(text)
}

/// spark's command line, callable in-process.
public enum SparkCLI {
    /// Runs `spark <arguments>` and returns its exit code, writing what it prints to `stdout` and
    /// `stderr`. Relative paths are relative to the process's current directory.
    public static func run(_ arguments: [String], stdout: @escaping @Sendable (String) -> Void, stderr: @escaping @Sendable (String) -> Void,
                           environment: [String: String] = ProcessInfo.processInfo.environment) async -> Int32 {
        await run(arguments, invocation: Invocation(stdout: stdout, stderr: stderr, environment: environment))
    }

    /// Runs `spark <arguments>` with `invocation`'s streams and returns its exit code.
    public static func run(_ arguments: [String], invocation: Invocation) async -> Int32 {
        await Invocation.$current.withValue(invocation) {
            do {
                var command = try Spark.parseAsRoot(arguments)
                if var async = command as? any AsyncParsableCommand {
                    try await async.run()
                } else {
                    try command.run()
                }
                return 0
            } catch {
                return exitCode(error)
            }
        }
    }

    /// Runs a command that does not talk to Snowflake (all but apply, status, schemas, unlock and
    /// connection) on the calling thread, and returns its exit code; nil, having run nothing,
    /// for one that does: ``run(_:invocation:)`` runs every command.
    public static func runSynchronously(_ arguments: [String], invocation: Invocation) -> Int32? {
        Invocation.$current.withValue(invocation) {
            do {
                var command = try Spark.parseAsRoot(arguments)
                if command is any AsyncParsableCommand { return nil }
                try command.run()
                return 0
            } catch {
                return exitCode(error)
            }
        }
    }

    /// Prints `error` as ArgumentParser's own exit does (help and --version on stdout with 0,
    /// usage errors on stderr) and returns the exit code. spark's own errors were printed where
    /// they were thrown, and come here as an exit code.
    private static func exitCode(_ error: any Error) -> Int32 {
        let code = Spark.exitCode(for: error)
        let message = Spark.fullMessage(for: error)
        if !message.isEmpty {
            if code == .success { print(message) } else { printError(message + "\n") }
        }
        return code.rawValue
    }

    /// The `spark` executable: sets up what only a process has, runs the command line's
    /// arguments, and returns the exit code.
    public static func main() async -> Int32 {
        StageTransfer.configureAllocator()
        let invocation = Invocation.process
        // On a terminal, each retried request says so, with the attempt and the wait.
        if invocation.stderrIsTerminal {
            RetryNotices.set { line in FileHandle.standardError.write(Data("retrying: \(line)\n".utf8)) }
        }
        let status = await run(Array(CommandLine.arguments.dropFirst()), invocation: invocation)
        fflush(nil)
        return status
    }
}
