import Foundation
import Logging
import SnowflakeClient
import SparkEmit
import SparkExecute
import SparkInfer
import SparkModel
import SparkState
import Synchronization

/// What `spark apply` is asked.
public struct ApplyRequest: Sendable {
    /// The target. Nil only in a dry run, which then shows every migration as pending.
    public var connection: ConnectionConfig?
    /// Print the statements that would run; change nothing.
    public var dryRun = false
    /// Apply up to and including this migration: `3`, `V0003` or its file name (`0`: only
    /// prepare the history).
    public var upTo: String?
    /// Seconds to wait for another apply's lock.
    public var lockWait = 0
    /// Seconds after which an unrefreshed lock counts as its dead holder's.
    public var staleLock = 900
    /// `--history-schema`; nil for spark.toml's, else `SPARK`.
    public var historySchema: String?

    public init() {}
}

/// How one apply ended: the migrations that finished (also before a failure), and the failure.
public struct ApplyRun: Sendable {
    public var outcomes: [MigrationOutcome]
    public var failure: (any Error)?
    public var seconds: Double
    /// Requests sent to the target.
    public var requests: Int
}

extension Project {
    /// The history's target name: the account's URL and the database.
    public static func targetName(_ config: ConnectionConfig, _ database: String) -> String {
        "\(config.baseURL)/\(database)"
    }

    /// This run, as the lock and the history record it.
    public static func lockHolder(snowflakeUser: String) -> LockHolder {
        LockHolder.current(snowflakeUser: snowflakeUser, sparkVersion: "spark \(SparkVersion.current)")
    }

    /// migrations/ checked against spark.sum, read and split into statements. Also checks that
    /// they use spark.toml's database.
    public func loadVerifiedMigrations() throws -> [LocalMigration] {
        let config = try config()
        let names = try verifiedMigrations().names
        let migrations = try names.map { name in
            guard let data = FileManager.default.contents(atPath: migrationsDir.appendingPathComponent(name).path) else {
                throw Diagnostic.project(file: "migrations/\(name)", line: 1, message: "cannot read the file", hint: "check its permissions")
            }
            return try LocalMigration(fileName: name, contents: data)
        }
        try checkDatabase(config, migrations: migrations.map { ($0.fileName, $0.header.database) })
        return migrations
    }

    /// Where apply keeps SPARK_HISTORY and SPARK_LOCK: `override` (`--history-schema`), else
    /// spark.toml's `history_schema`, else `SPARK`.
    public func historySchema(override: String?) throws -> String {
        try override ?? historySchema() ?? "SPARK"
    }

    /// Throws when state.sqlite records that `target` was applied with its history in another
    /// schema: apply would find no history there and run every migration again.
    public func checkHistorySchema(override: String?, target: String, command: String) throws {
        let schema = try historySchema(override: override)
        guard FileManager.default.fileExists(atPath: statePath),
              let recorded = try StateStore(path: statePath).historySchema(target: target), recorded != schema else { return }
        let source = override != nil ? "--history-schema \(schema)" : try historySchema() != nil ? "spark.toml's history_schema \"\(schema)\"" : "the default history schema \"\(schema)\""
        throw Diagnostic.refused(command: command, message: "\(source) is not where \(target) keeps its history: it was applied with history_schema \"\(recorded)\" (state.sqlite)",
                           hint: "set history_schema = \"\(recorded)\" in spark.toml again; in a new history schema every migration would run again")
    }

    /// The settings apply, status and unlock share for a target.
    public func applySettings(user: String, historySchema override: String?, nullMarkers: [String] = []) throws -> ApplySettings {
        var apply = ApplySettings(database: try settings().database, holder: Project.lockHolder(snowflakeUser: user), projectRoot: root,
                                  nullMarkers: nullMarkers)
        apply.historySchema = try historySchema(override: override)
        apply.projectId = try config().projectId
        return apply
    }

    /// `spark apply`, first step: checks migrations/ and the options, and connects. Nothing runs
    /// until ``PendingApply/run(confirm:)``.
    /// - Parameters:
    ///   - reporter: told of each migration and statement as it runs.
    ///   - showStatement: in a dry run, each statement that would run.
    public func prepareApply(_ request: ApplyRequest, reporter: some ApplyReporter,
                             showStatement: @escaping @Sendable (String) -> Void) async throws -> PendingApply {
        let migrations = try loadVerifiedMigrations()
        var apply = try applySettings(user: request.connection?.user ?? "", historySchema: request.historySchema,
                                      nullMarkers: InferOptions.defaultNullMarkers)
        apply.upTo = try request.upTo.map { text in
            // 0 applies nothing, and prepares the history and the lock table.
            guard let v = Project.versionNumber(text), v == 0 || migrations.contains(where: { $0.version == v }) else {
                throw Diagnostic.refused(command: "apply", message: "--to: there is no migration \(text)",
                                   hint: "pass a version in migrations/, spelled 3, V0003 or as its file name")
            }
            return v
        }
        apply.dryRun = request.dryRun
        apply.lockWait = .seconds(request.lockWait)
        guard request.staleLock >= 1 else {
            throw Diagnostic.refused(command: "apply", message: "--stale-lock must be at least 1 second",
                               hint: "it is how long a lock must go unrefreshed before its holder counts as dead (default 900)")
        }
        apply.staleLock = .seconds(request.staleLock)
        guard let config = request.connection else {
            guard request.dryRun else {
                throw Diagnostic.refused(command: "apply", message: "no connection", hint: "pass --connection NAME or set the SNOWFLAKE_* variables")
            }
            return PendingApply(project: self, request: request, config: nil, session: nil, driver: DryRunDriver(reading: nil, print: showStatement),
                                migrations: migrations, settings: apply, reporter: reporter)
        }
        let target = Project.targetName(config, apply.database)
        if !request.dryRun { try checkHistorySchema(override: request.historySchema, target: target, command: "apply") }
        let session = try await SnowflakeSession.connect(config, logger: Logger(label: "spark.apply"))
        let real = SnowflakeDriver(session: session)
        let driver: any Driver = request.dryRun ? DryRunDriver(reading: real, print: showStatement) : real
        return PendingApply(project: self, request: request, config: config, session: session, driver: driver,
                            migrations: migrations, settings: apply, reporter: reporter)
    }
}

/// An apply ready to run: connected, its migrations checked.
public final class PendingApply: Sendable {
    let project: Project
    let request: ApplyRequest
    let config: ConnectionConfig?
    let session: SnowflakeSession?
    let driver: any Driver
    let settings: ApplySettings
    let collecting: CollectingReporter
    let applier: Applier
    /// Set by a signal: the run stops at the end of the statement running.
    public let stop = StopRequest()

    init(project: Project, request: ApplyRequest, config: ConnectionConfig?, session: SnowflakeSession?, driver: any Driver,
         migrations: [LocalMigration], settings: ApplySettings, reporter: some ApplyReporter) {
        self.project = project
        self.request = request
        self.config = config
        self.session = session
        self.driver = driver
        var settings = settings
        settings.stop = stop
        self.settings = settings
        collecting = CollectingReporter(reporter)
        applier = Applier(driver: driver, migrations: migrations, settings: settings, reporter: collecting)
    }

    /// Cancels the statement running on the target, if any.
    public func abortRunning() async { await driver.abortRunning() }

    /// Applies the pending migrations and closes the connection. state.sqlite then mirrors the
    /// target's history, whatever happened, unless that history is another project's.
    /// - Parameter confirm: asked before anything runs (not in a dry run), with the pending
    ///   migrations as the target's history has them; throws to refuse.
    public func run(confirm: ([LocalMigration]) throws -> Void) async -> ApplyRun {
        let started = ContinuousClock.now
        var failure: (any Error)?
        var outcomes: [MigrationOutcome] = []
        do {
            if !request.dryRun {
                try confirm(try applier.pending(history: try await applier.history()).map { $0.0 })
            }
            outcomes = try await applier.apply()
        } catch { failure = error }
        var othersHistory = false
        if case .otherProject? = failure as? ApplyError { othersHistory = true }
        if !request.dryRun, !othersHistory, let config, let history = try? await applier.history() {
            let target = Project.targetName(config, settings.database)
            try? StateStore(path: project.statePath).recordApplied(target: target, history)
            try? StateStore(path: project.statePath).recordHistorySchema(target: target, settings.historySchema)
        }
        let requests = await driver.requests
        await session?.close()
        // What finished counts, also when a later migration failed.
        if failure != nil { outcomes = collecting.completed.withLock { $0 } }
        return ApplyRun(outcomes: outcomes, failure: failure, seconds: (ContinuousClock.now - started).seconds, requests: requests)
    }
}

/// Passes every report on, and keeps the migrations that finished.
final class CollectingReporter: ApplyReporter {
    let next: any ApplyReporter
    let completed = Mutex<[MigrationOutcome]>([])

    init(_ next: any ApplyReporter) { self.next = next }

    func started(_ migration: LocalMigration, resumeAt: Int) { next.started(migration, resumeAt: resumeAt) }
    func statement(_ migration: LocalMigration, index: Int, of total: Int) { next.statement(migration, index: index, of: total) }
    func loadStepStarted(_ step: LoadStep) { next.loadStepStarted(step) }
    func loadStepFinished(_ step: LoadStep) { next.loadStepFinished(step) }
    func note(_ line: String) { next.note(line) }
    func finished(_ outcome: MigrationOutcome) {
        completed.withLock { $0.append(outcome) }
        next.finished(outcome)
    }
}

/// Reports nothing: for reading a target's history (`spark status`, `spark unlock`).
public struct SilentReporter: ApplyReporter {
    public init() {}
    public func started(_ migration: LocalMigration, resumeAt: Int) {}
    public func statement(_ migration: LocalMigration, index: Int, of total: Int) {}
    public func finished(_ outcome: MigrationOutcome) {}
}

/// What an apply right after a write did (`spark serve --apply`): the run, and what each file
/// the migration loads shows in its schema's PROCESSING_LOG afterwards.
public struct ApplyOnWrite: Encodable, Sendable {
    public struct LoggedFile: Encodable, Sendable {
        public var file: String
        public var table: String
        /// PROCESSING_LOG's STATUS (`LOADED`, `FAILED`), or nil when it has no row for the file.
        public var status: String?
        public var rows: Int?
    }

    /// `ok` or `failed`.
    public var status: String
    public var migrations: [MigrationOutcome]
    public var files: [LoggedFile]
    public var errors: [Diagnostic]?
}

extension Project {
    /// Applies the pending migrations (the one just written among them), as `spark apply`
    /// does, with its lock and checks; then reads what PROCESSING_LOG says of `migration`'s
    /// files. A destructive pending migration is refused: it needs `spark apply` and a person.
    /// A failure leaves the migration pending, for a rerun.
    public func applyAfterWrite(_ migration: EmittedMigration, request: ApplyRequest) async -> ApplyOnWrite {
        let pending: PendingApply
        do {
            pending = try await prepareApply(request, reporter: SilentReporter(), showStatement: { _ in })
        } catch {
            return ApplyOnWrite(status: "failed", migrations: [], files: [], errors: [Diagnostic.of(error)])
        }
        let run = await pending.run(confirm: { list in
            if let drop = list.first(where: \.isDestructive) {
                throw Diagnostic.refused(command: "serve", message: "migrations/\(drop.fileName) is destructive and pending; nothing was applied",
                                         hint: "run `spark apply` from a terminal, which asks before it drops a schema")
            }
        })
        var files: [ApplyOnWrite.LoggedFile] = []
        if let config = request.connection {
            let loads = migration.header.changes.compactMap { if case let .loadFile(l) = $0 { l } else { nil } }
            // One session for every file's log row; an unreadable log shows as no row.
            let rows: [[SnowflakeValue?]?] = (try? await SnowflakeSession.withSession(config, label: "spark.serve") { session in
                var found: [[SnowflakeValue?]?] = []
                for load in loads {
                    let log = SQLText.qualified([load.table.database, load.table.schema, TableKind.processingLog.tableName])
                    found.append(try await session.execute("""
                        SELECT "STATUS", "ROW_COUNT" FROM \(log) WHERE "FILE_SHA256" = '\(load.sha256)' AND "TABLE_NAME" = '\(load.table.table)'
                        ORDER BY "LOGGED_AT" DESC LIMIT 1
                        """).rows.first)
                }
                return found
            }) ?? Array(repeating: nil, count: loads.count)
            files = zip(loads, rows).map { load, row in
                ApplyOnWrite.LoggedFile(file: load.path, table: load.table.table, status: row?.first??.description,
                                        rows: (row?.dropFirst().first??.description).flatMap { Int($0) })
            }
        }
        return ApplyOnWrite(status: run.failure == nil ? "ok" : "failed", migrations: run.outcomes, files: files,
                            errors: run.failure.map { [Diagnostic.of($0)] })
    }
}

extension SnowflakeSession {
    /// Connects, runs `body`, and closes the session whatever happens.
    static func withSession<T: Sendable>(_ config: ConnectionConfig, label: String, _ body: (SnowflakeSession) async throws -> T) async throws -> T {
        let session = try await SnowflakeSession.connect(config, logger: Logger(label: label))
        do {
            let value = try await body(session)
            await session.close()
            return value
        } catch {
            await session.close()
            throw error
        }
    }
}
