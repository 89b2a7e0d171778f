import ArgumentParser
import Foundation
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

    @Option(help: ArgumentHelp("Apply up to and including this version.", valueName: "version"))
    var to: Int?

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
        do { try await apply() } catch let e as ExitCode { throw e } catch { throw fail(error) }
    }

    func apply() async throws {
        let migrations = try project.loadVerifiedMigrations()
        let settings = try project.settings()
        var apply = ApplySettings(database: settings.database, owner: ApplyCommand.owner(), projectRoot: project.root,
                                  nullMarkers: InferOptions.defaultNullMarkers)
        apply.upTo = to
        apply.dryRun = dryRun
        apply.lockWait = .seconds(lockWait)
        apply.staleLock = .seconds(staleLock)
        apply.historySchema = try history.resolve(project)
        apply.killPoint = ProcessInfo.processInfo.environment["SPARK_TEST_KILL_POINT"].flatMap { text in
            let parts = text.split(separator: ":").compactMap { Int($0) }
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }

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
        let real: (any Driver)? = session.map { SnowflakeDriver(session: $0) }
        let driver: any Driver = dryRun ? DryRunDriver(reading: real) { print($0) } : real!
        let reporter = ApplyProgress(json: format == .json, dryRun: dryRun)
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
        // state.sqlite mirrors the target's history, whatever happened.
        if !dryRun, let config, let history = try? await applier.history() {
            let target = ApplyCommand.targetName(config, settings.database)
            try? StateStore(path: project.statePath).recordApplied(target: target, history)
            try? StateStore(path: project.statePath).recordHistorySchema(target: target, apply.historySchema)
        }
        let requests = await driver.requests
        await session?.close()
        reporter.summary(outcomes, failure: failure, seconds: (ContinuousClock.now - started).seconds, requests: requests)
        if failure != nil { throw ExitCode.failure }
    }

    static func owner() -> String {
        let user = ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        return "\(user)@\(ProcessInfo.processInfo.hostName) pid \(getpid())"
    }

    static func targetName(_ config: ConnectionConfig, _ database: String) -> String {
        "\(config.baseURL)/\(database)"
    }
}

extension ProjectOptions {
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
                var error: String?
                var seconds: Double
                var requests: Int
            }
            let report = Report(status: failure == nil ? "ok" : "failed", migrations: outcomes, error: failure.map { "\($0)" }, seconds: seconds, requests: requests)
            print(jsonText(report), terminator: "")
            return
        }
        if tty { err("\r\u{1B}[K") }
        if let failure { err("error: \(failure)\n") }
        if dryRun { return }
        let loaded = outcomes.reduce(0) { $0 + $1.filesLoaded }
        if outcomes.isEmpty && failure == nil {
            print("Nothing to apply: the target is up to date.")
        } else {
            print(String(format: "Applied %d migration%@ (%d statements, %d file%@ loaded) in %.1fs.", outcomes.count, outcomes.count == 1 ? "" : "s",
                         statements, loaded, loaded == 1 ? "" : "s", seconds))
        }
    }
}
