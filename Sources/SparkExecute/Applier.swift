import Foundation
import SnowflakeClient
import SparkInfer
import SparkLoad
import SparkModel
import SparkState

/// What happened to one migration in an apply.
public struct MigrationOutcome: Sendable, Codable, Equatable {
    public var version: Int
    public var file: String
    /// `applied`, `resumed`, `failed`, or `planned` (dry run).
    public var result: String
    public var statementsRun: Int
    public var statementsTotal: Int
    /// Statements skipped on resume because the history says they already ran.
    public var resumedAt: Int?
    public var filesLoaded: Int
    public var filesAlreadyLoaded: Int
    public var seconds: Double
    public var destructive: Bool
}

/// Reports progress while an apply runs.
public protocol ApplyReporter: Sendable {
    func started(_ migration: LocalMigration, resumeAt: Int)
    func statement(_ migration: LocalMigration, index: Int, of total: Int)
    /// A long step of a load began: writing the canonical copy (which reads the original file in
    /// full) or uploading a file to the stage. ``loadStepFinished(_:)`` follows, whatever happens.
    func loadStepStarted(_ step: LoadStep)
    func loadStepFinished(_ step: LoadStep)
    func finished(_ outcome: MigrationOutcome)
}

public enum LoadStep: Sendable {
    case canonicalCopy(LoadFile)
    case upload(LoadFile, canonical: Bool)
}

extension ApplyReporter {
    public func loadStepStarted(_ step: LoadStep) {}
    public func loadStepFinished(_ step: LoadStep) {}
}

/// Settings of one apply.
public struct ApplySettings: Sendable {
    /// Where `SPARK_HISTORY` and `SPARK_LOCK` live.
    public var database: String
    public var historySchema: String = "SPARK"
    /// Who is applying, recorded in the history and the lock.
    public var owner: String
    /// Apply up to and including this version.
    public var upTo: Int?
    /// How long to wait for another apply's lock.
    public var lockWait: Duration = .zero
    /// A lock not refreshed for this long belongs to a run that died, and is taken over.
    public var staleLock: Duration = .seconds(900)
    /// The project directory: file paths in migrations are relative to it.
    public var projectRoot: URL
    /// Null markers inference used (spark.toml), so the canonical copy agrees with the plan.
    public var nullMarkers: [String]
    /// Print instead of run: no canonical files are written and loads are not counted.
    public var dryRun = false
    /// A test hook: `version:statement` makes the process kill itself with SIGKILL right after
    /// that statement ran and before its progress is recorded.
    public var killPoint: (version: Int, statement: Int)?

    public init(database: String, owner: String, projectRoot: URL, nullMarkers: [String]) {
        self.database = database
        self.owner = owner
        self.projectRoot = projectRoot
        self.nullMarkers = nullMarkers
    }
}

/// Applies pending migrations in order, one statement per request, recording progress in the
/// target's history so a rerun after any failure resumes where it stopped.
///
/// Every statement spark emits can run twice without harm (`IF NOT EXISTS`, `DROP … IF EXISTS`, `PUT … OVERWRITE =
/// FALSE`, grants, a `PROCESSING_LOG` insert guarded by `NOT EXISTS`, and a COPY guarded by a
/// count of the file's rows). So progress is written after each statement that is not of that
/// kind, after each load, on failure and at the end; a kill between two writes re-runs only
/// statements that are safe to re-run.
public final class Applier: @unchecked Sendable {
    let driver: any Driver
    let migrations: [LocalMigration]
    let settings: ApplySettings
    let reporter: any ApplyReporter
    let target: TargetHistory
    private var lastHeartbeat = 0

    public init(driver: any Driver, migrations: [LocalMigration], settings: ApplySettings, reporter: any ApplyReporter) {
        self.driver = driver
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.settings = settings
        self.reporter = reporter
        target = TargetHistory(database: settings.database, schema: settings.historySchema)
    }

    /// The target's history, or empty when spark has never applied there.
    public func history() async throws -> [AppliedMigration] {
        do {
            return TargetHistory.rows(try await driver.query(target.select)).map(\.0)
        } catch let e as SnowflakeError where e.code == "002003" || e.message.contains("does not exist") {
            return []
        }
    }

    /// Checks the history against migrations/ and returns the migrations to run, each with the
    /// statement to start at (0-based).
    public func pending(history: [AppliedMigration]) throws -> [(LocalMigration, start: Int, resumed: Bool)] {
        let local = Dictionary(migrations.map { ($0.version, $0) }, uniquingKeysWith: { a, _ in a })
        var applied = Set<Int>()
        var partial: [Int: AppliedMigration] = [:]
        for h in history {
            guard let m = local[h.version] else { throw ApplyError.missingLocally(version: h.version, description: "") }
            if h.status == "APPLIED" {
                guard h.checksum == m.checksum else {
                    throw ApplyError.editedAfterApply(file: m.fileName, version: h.version, applied: h.checksum, local: m.checksum)
                }
                applied.insert(h.version)
            } else {
                // A failed or interrupted migration may be fixed before the rerun resumes it.
                partial[h.version] = h
            }
        }
        let highest = applied.max() ?? 0
        if let hole = migrations.first(where: { $0.version < highest && !applied.contains($0.version) }) {
            throw ApplyError.hole(file: hole.fileName, version: hole.version, after: highest)
        }
        return migrations.filter { !applied.contains($0.version) && $0.version <= (settings.upTo ?? .max) }.map { m in
            let p = partial[m.version]
            return (m, min(p?.statementsApplied ?? 0, m.statements.count), p != nil)
        }
    }

    /// Applies everything pending. Throws ``ApplyError`` after recording the failure.
    public func apply() async throws -> [MigrationOutcome] {
        for sql in target.setup { try await driver.record(sql) }
        try await acquireLock()
        do {
            let todo = try pending(history: try await history())
            var outcomes: [MigrationOutcome] = []
            for (m, start, resumed) in todo {
                outcomes.append(try await run(m, from: start, resumed: resumed))
            }
            try await releaseLock()
            return outcomes
        } catch {
            try? await releaseLock()
            throw error
        }
    }

    // MARK: - One migration

    private func run(_ m: LocalMigration, from start: Int, resumed: Bool) async throws -> MigrationOutcome {
        let clock = ContinuousClock()
        let began = clock.now
        let total = m.statements.count
        reporter.started(m, resumeAt: start)
        try await driver.record(resumed
            ? """
              UPDATE \(target.history) SET STATUS = 'RUNNING', CHECKSUM = \(TargetHistory.literal(m.checksum)), STATEMENTS_TOTAL = \(total), \
              FAILED_STATEMENT = NULL, ERROR_CODE = NULL, ERROR_MESSAGE = NULL, APPLIED_BY = \(TargetHistory.literal(settings.owner)), \
              STARTED_AT = \(TargetHistory.literal(TargetHistory.now())) WHERE VERSION = \(m.version)
              """
            : """
              INSERT INTO \(target.history) (VERSION, DESCRIPTION, CHECKSUM, STATUS, STATEMENTS_APPLIED, STATEMENTS_TOTAL, APPLIED_BY, STARTED_AT) \
              VALUES (\(m.version), \(TargetHistory.literal(m.header.description)), \(TargetHistory.literal(m.checksum)), 'RUNNING', 0, \(total), \
              \(TargetHistory.literal(settings.owner)), \(TargetHistory.literal(TargetHistory.now())))
              """)
        try await heartbeat()
        var loaded = 0, alreadyLoaded = 0
        for k in start..<total {
            let statement = m.statements[k]
            reporter.statement(m, index: k + 1, of: total)
            var step = Step(statement.sql, loads: m.loads, root: settings.projectRoot)
            do {
                if case let .putCanonical(load) = step.kind, !settings.dryRun {
                    step.send(localFile: try writeCanonical(load, migration: m, statement: k + 1).path)
                    try await heartbeat()
                }
                if case let .putRaw(load) = step.kind, !settings.dryRun {
                    try checkOriginal(load, migration: m, statement: k + 1)
                }
                var skip = false
                if case let .copy(load) = step.kind, !settings.dryRun {
                    let present = try await rowsPresent(load)
                    if present == load.rows { skip = true } else if present != 0 {
                        throw ApplyError.load(file: m.fileName, statement: k + 1, message: "\(load.table.table) already holds \(present) of the \(load.rows) rows of \(load.path); refusing to load it again")
                    }
                }
                if skip {
                    alreadyLoaded += 1
                } else {
                    let upload: LoadStep? = switch step.kind {
                    case let .putCanonical(load) where !settings.dryRun: .upload(load, canonical: true)
                    case let .putRaw(load) where !settings.dryRun: .upload(load, canonical: false)
                    default: nil
                    }
                    if let upload { reporter.loadStepStarted(upload) }
                    defer { if let upload { reporter.loadStepFinished(upload) } }
                    let result = try await driver.execute(step.sql)
                    if case let .copy(load) = step.kind, !settings.dryRun {
                        var count = result.rowsLoaded ?? -1
                        if count < 0 { count = Int64(try await rowsPresent(load)) }
                        guard count == Int64(load.rows) else {
                            throw ApplyError.loadMismatch(file: m.fileName, statement: k + 1, source: load.path, expected: load.rows, loaded: count)
                        }
                        loaded += 1
                    }
                }
            } catch {
                try await recordFailure(m, statement: k, load: step.load, error: error)
                throw Applier.describe(error, migration: m, statement: k)
            }
            if let kill = settings.killPoint, kill.version == m.version, kill.statement == k + 1 {
                kill9()
            }
            if !step.isRepeatable && k + 1 < total {
                try await driver.record("UPDATE \(target.history) SET STATEMENTS_APPLIED = \(k + 1) WHERE VERSION = \(m.version)")
            }
        }
        let seconds = (clock.now - began).seconds
        try await driver.record("""
            UPDATE \(target.history) SET STATUS = 'APPLIED', STATEMENTS_APPLIED = \(total), FINISHED_AT = \(TargetHistory.literal(TargetHistory.now())), \
            DURATION_MS = \(Int(seconds * 1000)) WHERE VERSION = \(m.version)
            """)
        let outcome = MigrationOutcome(version: m.version, file: m.fileName, result: resumed ? "resumed" : "applied",
                                       statementsRun: total - start, statementsTotal: total, resumedAt: resumed ? start + 1 : nil,
                                       filesLoaded: loaded, filesAlreadyLoaded: alreadyLoaded, seconds: seconds, destructive: m.isDestructive)
        reporter.finished(outcome)
        return outcome
    }

    private func recordFailure(_ m: LocalMigration, statement k: Int, load: LoadFile?, error: Error) async throws {
        let (code, message) = Applier.codeAndMessage(error)
        try await driver.record("""
            UPDATE \(target.history) SET STATUS = 'FAILED', STATEMENTS_APPLIED = \(k), FAILED_STATEMENT = \(k + 1), \
            ERROR_CODE = \(TargetHistory.literal(code)), ERROR_MESSAGE = \(TargetHistory.literal(String(message.prefix(2000)))) WHERE VERSION = \(m.version)
            """)
        // A failed load leaves its mark in the client's own audit trail too.
        if let load {
            let log = [load.table.database, load.table.schema, TableKind.processingLog.tableName].map(Identifier.quoted).joined(separator: ".")
            try? await driver.record("""
                INSERT INTO \(log) ("TABLE_NAME", "WAVE", "FILE_NAME", "FILE_SHA256", "COLUMN_COUNT", "ROW_COUNT", "STATUS", "ERROR_MESSAGE") \
                VALUES (\(TargetHistory.literal(load.table.table)), \(load.wave), \(TargetHistory.literal(load.path)), \(TargetHistory.literal(load.sha256)), \
                \(load.columns.count), \(load.rows), 'FAILED', \(TargetHistory.literal(String(message.prefix(2000)))))
                """)
        }
    }

    static func codeAndMessage(_ error: Error) -> (String?, String) {
        if let e = error as? SnowflakeError { return (e.code, e.message) }
        return (nil, "\(error)")
    }

    static func describe(_ error: Error, migration m: LocalMigration, statement k: Int) -> Error {
        if error is ApplyError { return error }
        let (code, message) = codeAndMessage(error)
        return ApplyError.statementFailed(file: m.fileName, statement: k + 1, total: m.statements.count, line: m.statements[k].line, code: code, message: message)
    }

    // MARK: - Loads

    /// The spec of `load`'s canonical copy: what the migration recorded, read as planned.
    private func canonicalSpec(_ load: LoadFile) throws(LoadError) -> CanonicalSpec {
        var skipped = load.summaryLines
        if let rejects = load.rejects {
            skipped.formUnion(try RejectsFileFormat.lines(of: settings.projectRoot.appendingPathComponent(rejects.path).path, sha256: rejects.sha256))
        }
        return CanonicalSpec(
            source: settings.projectRoot.appendingPathComponent(load.path).path, sha256: load.sha256, dialect: load.dialect,
            columns: load.columns.map {
                CanonicalColumn(sourceIndex: $0.sourceIndex, name: $0.column, type: $0.columnType, dateFormat: $0.facts.dateFormat,
                                nullMarkers: load.nullMarkers ?? settings.nullMarkers, decimalSeparator: load.dialect.decimalSeparator ?? .point)
            },
            constants: load.constants.map { ($0.column, $0.value) }, skippedLines: skipped)
    }

    /// Makes sure the canonical copy of `load` is in the staging folder, complete and unchanged,
    /// and returns it. The copy is named by everything that shapes it (``StagingCache``), so one
    /// made for another client, table or set of types is never taken for this one, and one whose
    /// bytes changed since they were written is written again.
    private func writeCanonical(_ load: LoadFile, migration m: LocalMigration, statement: Int) throws -> URL {
        do throws(LoadError) {
            let spec = try canonicalSpec(load)
            let output = StagingCache.path(of: spec, in: settings.projectRoot.appendingPathComponent(StagingCache.folder))
            if StagingCache.isIntact(output) { return output }
            reporter.loadStepStarted(.canonicalCopy(load))
            defer { reporter.loadStepFinished(.canonicalCopy(load)) }
            if let result = try StagingCache.ensure(spec, at: output), result.rows != load.rows {
                StagingCache.remove(output)
                throw LoadError(path: load.path, message: "the canonical copy has \(result.rows) rows but the migration planned \(load.rows)",
                                hint: "the file is read differently than when it was planned; plan it again with this version of spark")
            }
            return output
        } catch {
            throw ApplyError.load(file: m.fileName, statement: statement, message: error.description)
        }
    }

    /// The original file a raw PUT sends must still be the one planned.
    private func checkOriginal(_ load: LoadFile, migration m: LocalMigration, statement: Int) throws {
        let path = settings.projectRoot.appendingPathComponent(load.path).path
        let actual: String
        do throws(InferError) { actual = try FileHash.sha256(path: path) } catch {
            throw ApplyError.load(file: m.fileName, statement: statement, message: error.description)
        }
        guard actual == load.sha256 else {
            throw ApplyError.load(file: m.fileName, statement: statement,
                                  message: "\(load.path): the file changed since it was planned (SHA-256 \(actual), the migration says \(load.sha256))\n  hint: restore the planned file, or plan the new file as a new wave")
        }
    }

    /// Rows of `load`'s file already in its table, found by the file's SHA-256 column.
    private func rowsPresent(_ load: LoadFile) async throws -> Int {
        guard let shaColumn = load.constants.first(where: { $0.value == load.sha256 })?.column else { return 0 }
        let table = [load.table.database, load.table.schema, load.table.table].map(Identifier.quoted).joined(separator: ".")
        let r = try await driver.query("SELECT COUNT(*) AS N FROM \(table) WHERE \(Identifier.quoted(shaColumn)) = \(TargetHistory.literal(load.sha256))")
        return Int(r.first("N") ?? "0") ?? 0
    }

    // MARK: - Lock

    private func acquireLock() async throws {
        let deadline = ContinuousClock.now + settings.lockWait
        while true {
            do {
                try await driver.record("CREATE TABLE \(target.lock) (OWNER VARCHAR, ACQUIRED_AT VARCHAR, HEARTBEAT_EPOCH NUMBER(38,0))")
                lastHeartbeat = Int(Date().timeIntervalSince1970)
                try await driver.record("INSERT INTO \(target.lock) VALUES (\(TargetHistory.literal(settings.owner)), \(TargetHistory.literal(TargetHistory.now())), \(lastHeartbeat))")
                return
            } catch let e as SnowflakeError where e.kind == .query {
                let held = try await driver.query("SELECT OWNER, ACQUIRED_AT, HEARTBEAT_EPOCH FROM \(target.lock)")
                let owner = held.first("OWNER") ?? "a run that is starting"
                let since = held.first("ACQUIRED_AT") ?? "just now"
                if let beat = held.first("HEARTBEAT_EPOCH").flatMap(Int.init),
                   Int(Date().timeIntervalSince1970) - beat >= Int(settings.staleLock.components.seconds) {
                    // Its holder stopped refreshing it long ago: it died. Take the lock over.
                    try await driver.record("DROP TABLE IF EXISTS \(target.lock)")
                    continue
                }
                if ContinuousClock.now >= deadline { throw ApplyError.locked(owner: owner, since: since) }
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// Refreshes the lock at most once a minute; the stale rule allows many minutes.
    private func heartbeat() async throws {
        let now = Int(Date().timeIntervalSince1970)
        guard now - lastHeartbeat >= 60 else { return }
        try await driver.record("UPDATE \(target.lock) SET HEARTBEAT_EPOCH = \(now)")
        lastHeartbeat = now
    }

    private func releaseLock() async throws {
        try await driver.record("DROP TABLE IF EXISTS \(target.lock)")
    }

    private func kill9() -> Never {
        kill(getpid(), SIGKILL)
        fatalError("SIGKILL did not stop the process")
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// A statement of a migration and what the executor must do around it.
struct Step {
    enum Kind {
        case plain
        case putCanonical(LoadFile)
        case putRaw(LoadFile)
        case putRejects(LoadFile)
        case copy(LoadFile)
    }

    var kind: Kind = .plain
    /// The statement as sent: local `file://` paths made absolute.
    var sql: String
    /// Whether running it again is harmless.
    var isRepeatable: Bool

    var load: LoadFile? {
        switch kind {
        case .plain: nil
        case let .putCanonical(l), let .putRaw(l), let .putRejects(l), let .copy(l): l
        }
    }

    /// Sends the canonical copy at `path` (the staging cache's name for it) instead of the path
    /// the migration names.
    mutating func send(localFile path: String) {
        guard case let .putCanonical(load) = kind else { return }
        sql = original.replacingOccurrences(of: SQLText.literal("file://" + load.canonicalPath), with: SQLText.literal("file://" + path))
    }

    /// The statement as the migration writes it.
    private let original: String

    init(_ text: String, loads: [LoadFile], root: URL) {
        sql = text
        original = text
        let upper = text.uppercased()
        // Local paths are written as the emitter wrote them (relative, as SQL literals) and sent absolute.
        func local(_ path: String) -> String { SQLText.literal("file://" + path) }
        for load in loads {
            if upper.hasPrefix("PUT "), let rejects = load.rejects, text.contains(local(rejects.path)) {
                kind = .putRejects(load)
                sql = text.replacingOccurrences(of: local(rejects.path), with: local(root.appendingPathComponent(rejects.path).path))
            } else if upper.hasPrefix("PUT ") && text.contains(local(load.canonicalPath)) {
                kind = .putCanonical(load)
                sql = text.replacingOccurrences(of: local(load.canonicalPath), with: local(root.appendingPathComponent(load.canonicalPath).path))
            } else if upper.hasPrefix("PUT ") && text.contains(local(load.path)) {
                kind = .putRaw(load)
                sql = text.replacingOccurrences(of: local(load.path), with: local(root.appendingPathComponent(load.path).path))
            } else if upper.hasPrefix("COPY INTO ") && text.contains(load.stagePath) {
                kind = .copy(load)
            }
        }
        switch kind {
        case .putCanonical, .putRaw, .putRejects: isRepeatable = upper.contains("OVERWRITE = FALSE")
        case .copy: isRepeatable = true // guarded by the row count
        case .plain:
            isRepeatable = (upper.hasPrefix("CREATE ") && upper.contains(" IF NOT EXISTS "))
                || upper.hasPrefix("GRANT ") || upper.hasPrefix("REVOKE ")
                || (upper.hasPrefix("DROP ") && upper.contains(" IF EXISTS "))
                || (upper.hasPrefix("INSERT ") && upper.contains("WHERE NOT EXISTS"))
                || (upper.hasPrefix("ALTER TABLE ") && upper.contains(" ADD COLUMN IF NOT EXISTS "))
        }
    }
}
