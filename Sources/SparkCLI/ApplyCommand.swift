import ArgumentParser
import Foundation
import SparkProject
import Logging
import SnowflakeClient
import SparkExecute
import SparkInfer
import SparkModel
import SparkState
import Synchronization

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply pending migrations to Snowflake, resuming after any failure.",
        discussion: """
            Checks migrations/ against spark.sum and the target's SPARK_HISTORY (an applied migration \
            that changed, a missing one, or a hole in the order is refused before anything runs), takes \
            the target's lock, then runs each pending migration one statement per request. Loads write \
            the canonical typed copy of each file, PUT it and the raw original to the schema's stage, \
            COPY it with an explicit column list and check the row count. Run it again after any \
            failure or kill: it resumes at the failed statement and never loads a file twice.

            Examples:
              spark apply --connection prod
              spark apply --dry-run
              spark apply --to 7 --format json
              spark apply --connection prod --yes    (runs a `spark drop` migration without asking)

            A migration written by `spark drop` is destructive: apply lists it and asks for the \
            schema's name on a terminal; without a terminal it refuses unless --yes is given. \
            --dry-run never asks.
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print the statements that would run; change nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Apply up to and including this migration: 3, V0003 or its file name (0: only prepare the history).", valueName: "version"))
    var to: String?

    @Option(help: "Output: text or json.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("Wait this long for another apply's lock before giving up.", valueName: "seconds"))
    var lockWait: Int = 0

    @Option(help: ArgumentHelp("A lock not refreshed for this long belongs to a run that died and is taken over.", valueName: "seconds"))
    var staleLock: Int = 900

    @Flag(help: "Run destructive migrations (from `spark drop`) without asking for the schema name.")
    var yes = false

    @OptionGroup var history: HistorySchemaOption

    func run() async throws {
        // Errors print as every spark command prints them: file:line, message, hint.
        do { try await apply() } catch let e as ExitCode { throw e } catch { throw fail(error, json: format == .json) }
    }

    func apply() async throws {
        var request = ApplyRequest()
        request.dryRun = dryRun
        request.upTo = to
        request.lockWait = lockWait
        request.staleLock = staleLock
        request.historySchema = history.historySchema
        if dryRun {
            // Without any connection configured a dry run shows every migration; a named one must resolve.
            request.connection = connection.connectionName == nil ? try? connection.resolve() : try connection.resolve()
        } else {
            request.connection = try connection.resolve()
        }
        let (run, signal) = try await Self.execute(request, project: project.layout, json: format == .json, yes: yes)
        if let signal { throw ExitCode(128 + signal) }
        if run.failure != nil { throw ExitCode.failure }
    }

    /// Runs one apply as the CLI shows it: a line per migration, the summary, the question
    /// before a destructive migration, and Ctrl-C or SIGTERM stopping at a statement's end.
    /// Returns the run, and the signal that stopped it, if one did.
    static func execute(_ request: ApplyRequest, project: Project, json: Bool, yes: Bool) async throws -> (ApplyRun, Int32?) {
        let reporter = ApplyProgress(json: json, dryRun: request.dryRun)
        let pending = try await project.prepareApply(request, reporter: reporter, showStatement: { print($0) })
        if request.dryRun && request.connection == nil {
            printError("spark apply --dry-run: no connection configured; every migration is shown as pending\n")
        }
        // Ctrl-C or SIGTERM: stop at the end of the statement running, record where, release the
        // lock. A statement still running after the bound is cancelled; a second signal exits at once.
        // Only the spark process watches signals; a run inside another program leaves them to it.
        let signals = Invocation.current.isProcess ? SignalWatch(stop: pending.stop, bound: .seconds(30)) { await pending.abortRunning() } : nil
        defer { signals?.cancel() }
        let run = await pending.run(confirm: { pending in
            try DestructiveConfirmation.check(pending, yes: yes, isTerminal: Invocation.current.stdinIsTerminal, terminal: .stderr,
                                              say: { printError($0) },
                                              ask: { prompt in printError(prompt); return readLine() })
        })
        reporter.summary(run.outcomes, failure: run.failure, seconds: run.seconds, requests: run.requests)
        guard let signal = pending.stop.requested else { return (run, nil) }
        var told = false
        if case .stopped? = run.failure as? ApplyError { told = true }
        if case .stoppedWaiting? = run.failure as? ApplyError { told = true }
        if run.failure != nil && !told {
            reporter.note("spark apply: stopped by \(StopRequest.name(signal)); run spark apply again to resume where it stopped")
        }
        return (run, signal)
    }
}

/// Prints a line per migration (with a live statement counter on a terminal) and a summary.
final class ApplyProgress: ApplyReporter, @unchecked Sendable {
    let json: Bool
    let dryRun: Bool
    let tty = Invocation.current.stderrIsTerminal
    /// Dry runs print the migrations on stdout, real runs report on stderr.
    var terminal: Terminal { dryRun ? .stdout : .stderr }

    init(json: Bool, dryRun: Bool) {
        self.json = json
        self.dryRun = dryRun
    }

    private func err(_ s: String) { printError(s) }

    func started(_ m: LocalMigration, resumeAt: Int) {
        if json { return }
        let destructive = m.isDestructive ? " " + terminal.red("(destructive)") : ""
        let resume = resumeAt > 0 ? ", resuming at statement \(resumeAt + 1)" : ""
        if dryRun { print("-- \(m.fileName)\(destructive)\(resume)") } else { err("\(m.fileName)\(destructive)\(resume)\n") }
    }

    func statement(_ m: LocalMigration, index: Int, of total: Int) {
        if tty && !json && !dryRun { err("\r  statement \(index)/\(total)\u{1B}[K") }
    }

    private let bar = Mutex<ProgressBar?>(nil)

    func loadStepStarted(_ step: LoadStep) {
        if json || dryRun { return }
        bar.withLock {
            switch step {
            case let .canonicalCopy(load):
                $0 = ProgressBar.start("  writing the canonical copy of \(load.path)", bytes: load.bytes)
            case let .upload(load, canonical):
                $0 = ProgressBar.start("  uploading \(canonical ? "the canonical copy of " : "")\(load.path)", bytes: 0,
                                       counter: { TransferProgress.bytes.load(ordering: .relaxed) })
            }
        }
    }

    func loadStepFinished(_ step: LoadStep) {
        bar.withLock { $0?.finish(); $0 = nil }
    }

    func note(_ line: String) {
        if tty { err("\r\u{1B}[K") }
        err(line + "\n")
    }

    func finished(_ o: MigrationOutcome) {
        if json || dryRun { return }
        if tty { err("\r\u{1B}[K") }
        var parts = ["\(o.statementsRun)/\(o.statementsTotal) statements"]
        if o.filesLoaded > 0 { parts.append("\(o.filesLoaded) file\(o.filesLoaded == 1 ? "" : "s") loaded") }
        if o.filesAlreadyLoaded > 0 { parts.append("\(o.filesAlreadyLoaded) already loaded, skipped") }
        err(String(format: "  %@ %@ (%.1fs)\n", o.result, parts.joined(separator: ", "), o.seconds))
    }

    func summary(_ outcomes: [MigrationOutcome], failure: Error?, seconds: Double, requests: Int) {
        let statements = outcomes.reduce(0) { $0 + $1.statementsRun }
        if json {
            struct Report: Encodable {
                var status: String
                var migrations: [MigrationOutcome]
                var errors: [Diagnostic]?
                var seconds: Double
                var requests: Int
            }
            let report = Report(status: failure == nil ? "ok" : "failed", migrations: outcomes, errors: failure.map { [Diagnostic.of($0)] },
                                seconds: seconds, requests: requests)
            print(jsonText(report), terminator: "")
            return
        }
        if tty { err("\r\u{1B}[K") }
        if let failure { err("\(Diagnostic.of(failure))\n") }
        if dryRun { return }
        let loaded = outcomes.reduce(0) { $0 + $1.filesLoaded }
        if outcomes.isEmpty {
            if failure == nil { print("Nothing to apply: the target is up to date.") }
        } else {
            print(String(format: "Applied %d migration%@ (%d statements, %d file%@ loaded) in %.1fs%@.", outcomes.count, outcomes.count == 1 ? "" : "s",
                         statements, loaded, loaded == 1 ? "" : "s", seconds, failure == nil ? "" : " before the failure"))
        }
    }
}

/// Turns SIGINT and SIGTERM into a ``StopRequest`` while an apply runs. After `bound`, a
/// statement still running is cancelled through `abort`; a second signal exits at once (the
/// history then says where the run was, and the next apply resumes there).
final class SignalWatch: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(stop: StopRequest, bound: Duration, abort: @escaping @Sendable () async -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                let say = { (s: String) in printError(s) }
                if stop.request(sig) {
                    say("\nspark apply: \(StopRequest.name(sig)): stopping at the end of the statement running (again to stop at once)\n")
                    Task {
                        try? await Task.sleep(for: bound)
                        await abort()
                    }
                } else {
                    say("spark apply: stopping at once; the next apply resumes from the last statement the history records\n")
                    _exit(128 + sig)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
