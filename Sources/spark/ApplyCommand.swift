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
        let migrations = try project.layout.loadVerifiedMigrations()
        let settings = try project.layout.settings()
        var apply = ApplySettings(database: settings.database, holder: ApplyCommand.holder(snowflakeUser: ""), projectRoot: project.root,
                                  nullMarkers: InferOptions.defaultNullMarkers)
        apply.upTo = try to.map { text in
            // 0 applies nothing, and prepares the history and the lock table.
            guard let v = Project.versionNumber(text), v == 0 || migrations.contains(where: { $0.version == v }) else {
                throw CommandError(command: "apply", message: "--to: there is no migration \(text)",
                                   hint: "pass a version in migrations/, spelled 3, V0003 or as its file name")
            }
            return v
        }
        apply.dryRun = dryRun
        apply.lockWait = .seconds(lockWait)
        guard staleLock >= 1 else {
            throw CommandError(command: "apply", message: "--stale-lock must be at least 1 second",
                               hint: "it is how long a lock must go unrefreshed before its holder counts as dead (default 900)")
        }
        apply.staleLock = .seconds(staleLock)
        apply.historySchema = try history.resolve(project)
        apply.projectId = try project.layout.config().projectId

        let session: SnowflakeSession?
        let config: ConnectionConfig?
        if dryRun {
            // Without any connection configured a dry run shows every migration; a named one must resolve.
            config = connection.connectionName == nil ? try? connection.resolve() : try connection.resolve()
            if let config { session = try await SnowflakeSession.connect(config, logger: Logger(label: "spark.apply")) } else { session = nil }
            if session == nil { FileHandle.standardError.write(Data("spark apply --dry-run: no connection configured; every migration is shown as pending\n".utf8)) }
        } else {
            config = try connection.resolve()
            try history.check(project, target: ApplyCommand.targetName(config!, settings.database), command: "apply")
            session = try await SnowflakeSession.connect(config!, logger: Logger(label: "spark.apply"))
        }
        if let config { apply.holder.snowflakeUser = config.user }
        let real: (any Driver)? = session.map { SnowflakeDriver(session: $0) }
        let driver: any Driver = dryRun ? DryRunDriver(reading: real) { print($0) } : real!
        let reporter = ApplyProgress(json: format == .json, dryRun: dryRun)
        // Ctrl-C or SIGTERM: stop at the end of the statement running, record where, release the
        // lock. A statement still running after the bound is cancelled; a second signal exits at once.
        let stop = StopRequest()
        apply.stop = stop
        let signals = SignalWatch(stop: stop, bound: .seconds(30)) { await driver.abortRunning() }
        defer { signals.cancel() }
        let applier = Applier(driver: driver, migrations: migrations, settings: apply, reporter: reporter)
        let started = ContinuousClock.now
        var failure: Error?
        var outcomes: [MigrationOutcome] = []
        do {
            if !dryRun {
                // Asked before anything runs: the pending migrations as the target's history has them.
                let pending = try applier.pending(history: try await applier.history()).map { $0.0 }
                try DestructiveConfirmation.check(pending, yes: yes, isTerminal: isatty(STDIN_FILENO) == 1, terminal: .stderr,
                                                  say: { FileHandle.standardError.write(Data($0.utf8)) },
                                                  ask: { prompt in FileHandle.standardError.write(Data(prompt.utf8)); return readLine() })
            }
            outcomes = try await applier.apply()
        } catch { failure = error }
        // state.sqlite mirrors the target's history, whatever happened, unless that history is
        // another project's.
        var othersHistory = false
        if case .otherProject? = failure as? ApplyError { othersHistory = true }
        if !dryRun, !othersHistory, let config, let history = try? await applier.history() {
            let target = ApplyCommand.targetName(config, settings.database)
            try? StateStore(path: project.statePath).recordApplied(target: target, history)
            try? StateStore(path: project.statePath).recordHistorySchema(target: target, apply.historySchema)
        }
        let requests = await driver.requests
        await session?.close()
        // What finished counts, also when a later migration failed.
        if failure != nil { outcomes = reporter.completed.withLock { $0 } }
        reporter.summary(outcomes, failure: failure, seconds: (ContinuousClock.now - started).seconds, requests: requests)
        if let signal = stop.requested {
            var told = false
            if case .stopped? = failure as? ApplyError { told = true }
            if case .stoppedWaiting? = failure as? ApplyError { told = true }
            if failure != nil && !told {
                reporter.note("spark apply: stopped by \(StopRequest.name(signal)); run spark apply again to resume where it stopped")
            }
            throw ExitCode(128 + signal)
        }
        if failure != nil { throw ExitCode.failure }
    }

    /// This run, as the lock and the history record it.
    static func holder(snowflakeUser: String) -> LockHolder {
        LockHolder.current(snowflakeUser: snowflakeUser, sparkVersion: "spark \(SparkVersion.current)")
    }

    static func targetName(_ config: ConnectionConfig, _ database: String) -> String {
        "\(config.baseURL)/\(database)"
    }
}

extension Project {
    /// migrations/ checked against spark.sum, read and split into statements.
    /// Also checks that they use spark.toml's database.
    func loadVerifiedMigrations() throws -> [LocalMigration] {
        let config = try config()
        let names = try verifiedMigrations().names
        let migrations = try names.map { name in
            guard let data = FileManager.default.contents(atPath: migrationsDir.appendingPathComponent(name).path) else {
                throw ProjectError(file: "migrations/\(name)", line: 1, message: "cannot read the file", hint: "check its permissions")
            }
            return try LocalMigration(fileName: name, contents: data)
        }
        try checkDatabase(config, migrations: migrations.map { ($0.fileName, $0.header.database) })
        return migrations
    }
}

/// Prints a line per migration (with a live statement counter on a terminal) and a summary.
final class ApplyProgress: ApplyReporter, @unchecked Sendable {
    let json: Bool
    let dryRun: Bool
    let tty = isatty(STDERR_FILENO) == 1
    /// Dry runs print the migrations on stdout, real runs report on stderr.
    var terminal: Terminal { dryRun ? .stdout : .stderr }

    init(json: Bool, dryRun: Bool) {
        self.json = json
        self.dryRun = dryRun
    }

    private func err(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

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

    /// The migrations that finished, in order: what the summary counts, even after a failure.
    let completed = Mutex<[MigrationOutcome]>([])

    func finished(_ o: MigrationOutcome) {
        completed.withLock { $0.append(o) }
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
                let say = { (s: String) in FileHandle.standardError.write(Data(s.utf8)) }
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
