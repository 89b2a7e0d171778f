import Foundation
import SnowflakeClient
import SparkInfer
import SparkLoad
import SparkModel

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
    /// A line worth saying while the run goes on, such as a dead holder's lock taken over.
    func note(_ line: String)
}

public enum LoadStep: Sendable {
    case canonicalCopy(LoadFile)
    case upload(LoadFile, canonical: Bool)
}

extension ApplyReporter {
    public func loadStepStarted(_ step: LoadStep) {}
    public func loadStepFinished(_ step: LoadStep) {}
    public func note(_ line: String) {}
}

/// Settings of one apply.
public struct ApplySettings: Sendable {
    /// Where `SPARK_HISTORY` and `SPARK_LOCK` live.
    public var database: String
    public var historySchema: String = "SPARK"
    /// Who is applying, as the history's APPLIED_BY records it.
    public var owner: String
    /// Who is applying, as the lock records it.
    public var holder: LockHolder
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
    /// spark.toml's `project_id`: recorded with each migration in the history, and checked
    /// against the ids already there. nil for a project that has none yet (nothing is checked).
    public var projectId: String?
    /// Set by SIGINT or SIGTERM: the run stops at the next statement boundary, records where,
    /// and releases the lock.
    public var stop: StopRequest?

    public init(database: String, holder: LockHolder, projectRoot: URL, nullMarkers: [String]) {
        self.database = database
        self.holder = holder
        owner = "\(holder.osUser)@\(holder.host) pid \(holder.pid)"
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
    let lock: TargetLock

    public init(driver: any Driver, migrations: [LocalMigration], settings: ApplySettings, reporter: any ApplyReporter) {
        self.driver = driver
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.settings = settings
        self.reporter = reporter
        target = TargetHistory(database: settings.database, schema: settings.historySchema)
        lock = TargetLock(driver: driver, table: target.lock, holder: settings.holder, stale: settings.staleLock)
    }

    /// Who holds the target's lock now (none, or one; two only for a moment while runs race).
    public func lockHolders() async throws -> [LockHolder] {
        do {
            return TargetLock.holders(try await driver.query(TargetLock.selectHolders(target.lock)))
        } catch let e as SnowflakeError where e.code == "002003" || e.message.contains("does not exist") {
            return []
        }
    }

    /// Removes the lock row `id` (`spark unlock`): for a holder that will never release it.
    public func forceUnlock(id: String) async throws {
        try await driver.record("DELETE FROM \(target.lock) WHERE LOCK_ID = \(TargetHistory.literal(id))")
    }

    /// The target's history, or empty when spark has never applied there.
    public func history() async throws -> [AppliedMigration] {
        // A history made by an earlier spark lacks the newer columns until the next apply adds
        // them: ask without each one its error names.
        var missing: Set<String> = []
        while true {
            do {
                return try target.rows(try await driver.query(target.select(without: missing))).map(\.0)
            } catch let e as SnowflakeError where e.code == "002003" || e.message.contains("does not exist") {
                return []
            } catch let e as SnowflakeError {
                guard let column = TargetHistory.laterColumns.first(where: { !missing.contains($0) && e.message.uppercased().contains($0) }) else { throw e }
                missing.insert(column)
            }
        }
    }

    /// Throws when the history holds another project's migrations: two projects applying into
    /// one history would read each other's versions as edited or missing.
    public func checkProject(_ history: [AppliedMigration]) throws {
        guard let mine = settings.projectId,
              let other = history.first(where: { $0.projectId != nil && $0.projectId != mine }) else { return }
        throw ApplyError.otherProject(history: target.history, theirs: other.projectId!, version: other.version, mine: mine)
    }

    /// Checks the history against migrations/ and returns the migrations to run, each with the
    /// statement to start at (0-based).
    public func pending(history: [AppliedMigration]) throws -> [(LocalMigration, start: Int, resumed: Bool)] {
        try checkProject(history)
        let local = Dictionary(migrations.map { ($0.version, $0) }, uniquingKeysWith: { a, _ in a })
        var applied = Set<Int>()
        var partial: [Int: AppliedMigration] = [:]
        for h in history {
            guard let m = local[h.version] else { throw ApplyError.missingLocally(version: h.version, description: "") }
            if h.status == .applied {
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
        return try migrations.filter { !applied.contains($0.version) && $0.version <= (settings.upTo ?? .max) }.map { m in
            let p = partial[m.version]
            let start = min(p?.statementsApplied ?? 0, m.statements.count)
            // What ran already must be what the file still says; the failed statement and those
            // after it may have been fixed.
            if let recorded = p?.statementHashes {
                let local = m.statementHashes
                if let k = (0..<min(start, recorded.count)).first(where: { recorded[$0] != local[$0] }) {
                    throw ApplyError.editedBeforeResume(file: m.fileName, statement: k + 1, line: m.statements[k].line)
                }
            }
            return (m, start, p != nil)
        }
    }

    /// Applies everything pending. Throws ``ApplyError`` after recording the failure.
    public func apply() async throws -> [MigrationOutcome] {
        for sql in target.setup { try await driver.record(sql) }
        // A dry run changes nothing, so it takes no lock.
        if !settings.dryRun { try await lock.acquire(wait: settings.lockWait, stop: settings.stop, say: { [reporter] in reporter.note($0) }) }
        do {
            let todo = try pending(history: try await history())
            var outcomes: [MigrationOutcome] = []
            for (m, start, resumed) in todo {
                outcomes.append(try await run(m, from: start, resumed: resumed))
            }
            if !settings.dryRun { try await lock.release() }
            return outcomes
        } catch {
            if !settings.dryRun { try? await lock.release() }
            throw error
        }
    }

    // MARK: - One migration

    private func run(_ m: LocalMigration, from start: Int, resumed: Bool) async throws -> MigrationOutcome {
        let clock = ContinuousClock()
        let began = clock.now
        let total = m.statements.count
        // Every statement's role comes from its step line. A statement added by hand has none and
        // is run as `custom`; a migration with none at all (written before spark 0.16) runs nothing.
        if let first = m.statements.first, !m.statements.contains(where: { $0.step != nil }) {
            throw ApplyError.untagged(file: m.fileName, line: first.line)
        }
        let steps = try m.statements.map { try Step($0, migration: m, root: settings.projectRoot) }
        reporter.started(m, resumeAt: start)
        try await driver.record(resumed
            ? """
              UPDATE \(target.history) SET STATUS = 'RUNNING', CHECKSUM = \(TargetHistory.literal(m.checksum)), STATEMENTS_TOTAL = \(total), \
              PROJECT_ID = \(TargetHistory.literal(settings.projectId)), \
              FAILED_STATEMENT = NULL, ERROR_CODE = NULL, ERROR_MESSAGE = NULL, APPLIED_BY = \(TargetHistory.literal(settings.owner)), \
              STARTED_AT = \(TargetHistory.literal(TargetHistory.now())) WHERE VERSION = \(m.version)
              """
            : """
              INSERT INTO \(target.history) (VERSION, DESCRIPTION, CHECKSUM, STATUS, STATEMENTS_APPLIED, STATEMENTS_TOTAL, APPLIED_BY, STARTED_AT, PROJECT_ID) \
              VALUES (\(m.version), \(TargetHistory.literal(m.header.description)), \(TargetHistory.literal(m.checksum)), 'RUNNING', 0, \(total), \
              \(TargetHistory.literal(settings.owner)), \(TargetHistory.literal(TargetHistory.now())), \(TargetHistory.literal(settings.projectId)))
              """)
        var loaded = 0, alreadyLoaded = 0
        for k in start..<total {
            // Another run took the lock over (this one looked dead): stop before anything more runs.
            if lock.isLost { throw ApplyError.lockLost(file: m.fileName, statement: k + 1) }
            if let signal = settings.stop?.requested {
                try await driver.record("""
                    UPDATE \(target.history) SET STATUS = 'STOPPED', \(progress(m, k)) WHERE VERSION = \(m.version)
                    """)
                throw ApplyError.stopped(signal: StopRequest.name(signal), file: m.fileName, statement: k + 1, total: total)
            }
            reporter.statement(m, index: k + 1, of: total)
            var step = steps[k]
            do {
                var staged: String?
                if case let .putCanonical(load) = step.kind, !settings.dryRun {
                    let copy = try writeCanonical(load, migration: m, statement: k + 1)
                    step.send(localFile: copy.path.path)
                    staged = "\(copy.sha256) \(load.path)"
                }
                if case let .putRaw(load) = step.kind, !settings.dryRun {
                    try checkOriginal(load, migration: m, statement: k + 1)
                }
                var skip = false
                if case let .renameRewrite(r) = step.kind, !settings.dryRun {
                    skip = try await !columnExists(r.table, r.temporaryName)
                }
                if case let .copy(load) = step.kind, !settings.dryRun {
                    let present = try await rowsPresent(load)
                    if present == load.rows { skip = true } else if present != 0 {
                        throw ApplyError.load(file: m.fileName, statement: k + 1, message: "\(load.table.table) already holds \(present) of the \(load.rows) rows of \(load.path); refusing to load it again")
                    }
                }
                if skip {
                    if step.load != nil { alreadyLoaded += 1 }
                } else {
                    let upload: LoadStep? = switch step.kind {
                    case let .putCanonical(load) where !settings.dryRun: .upload(load, canonical: true)
                    case let .putRaw(load) where !settings.dryRun: .upload(load, canonical: false)
                    default: nil
                    }
                    if let upload { reporter.loadStepStarted(upload) }
                    defer { if let upload { reporter.loadStepFinished(upload) } }
                    let result = try await driver.execute(step.sql)
                    if let staged {
                        // What was staged, for the audit: one line per copy, `<copy SHA-256> <source>`.
                        let line = TargetHistory.literal(staged)
                        try await driver.record("""
                            UPDATE \(target.history) SET STAGED_SHA256 = IFF(STAGED_SHA256 IS NULL, \(line), \
                            IFF(CONTAINS(STAGED_SHA256, \(line)), STAGED_SHA256, STAGED_SHA256 || '\\n' || \(line))) WHERE VERSION = \(m.version)
                            """)
                    }
                    if case let .copy(load) = step.kind, !settings.dryRun {
                        var count = result.rowsLoaded ?? -1
                        // No count, or another one: a COPY sent again after its answer was lost
                        // loads nothing the second time. What the table holds of the file decides.
                        if count != Int64(load.rows) { count = Int64(try await rowsPresent(load)) }
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
            if !step.isRepeatable && k + 1 < total {
                try await driver.record("UPDATE \(target.history) SET \(progress(m, k + 1)) WHERE VERSION = \(m.version)")
            }
        }
        let seconds = (clock.now - began).seconds
        try await driver.record("""
            UPDATE \(target.history) SET STATUS = 'APPLIED', \(progress(m, total)), FINISHED_AT = \(TargetHistory.literal(TargetHistory.now())), \
            DURATION_MS = \(Int(seconds * 1000)) WHERE VERSION = \(m.version)
            """)
        let outcome = MigrationOutcome(version: m.version, file: m.fileName, result: resumed ? "resumed" : "applied",
                                       statementsRun: total - start, statementsTotal: total, resumedAt: resumed ? start + 1 : nil,
                                       filesLoaded: loaded, filesAlreadyLoaded: alreadyLoaded, seconds: seconds, destructive: m.isDestructive)
        reporter.finished(outcome)
        return outcome
    }

    /// The history's progress columns after `applied` statements of `m`.
    private func progress(_ m: LocalMigration, _ applied: Int) -> String {
        "STATEMENTS_APPLIED = \(applied), STATEMENT_HASHES = \(TargetHistory.literal(m.statementHashes.prefix(applied).joined(separator: ",")))"
    }

    private func recordFailure(_ m: LocalMigration, statement k: Int, load: LoadFile?, error: Error) async throws {
        let (code, message) = Applier.codeAndMessage(error)
        try await driver.record("""
            UPDATE \(target.history) SET STATUS = 'FAILED', \(progress(m, k)), FAILED_STATEMENT = \(k + 1), \
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
    private func writeCanonical(_ load: LoadFile, migration m: LocalMigration, statement: Int) throws -> (path: URL, sha256: String) {
        do throws(LoadError) {
            let spec = try canonicalSpec(load)
            let output = StagingCache.path(of: spec, in: settings.projectRoot.appendingPathComponent(StagingCache.folder))
            if let sha = StagingCache.intactSHA256(output) { return (output, sha) }
            reporter.loadStepStarted(.canonicalCopy(load))
            defer { reporter.loadStepFinished(.canonicalCopy(load)) }
            let copy = try StagingCache.ensure(spec, at: output)
            if let written = copy.written, written.rows != load.rows {
                StagingCache.remove(output)
                throw LoadError(path: load.path, message: "the canonical copy has \(written.rows) rows but the migration planned \(load.rows)",
                                hint: "the file is read differently than when it was planned; plan it again with this version of spark")
            }
            return (output, copy.sha256)
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
                                  message: "\(load.path): the file changed since it was planned (SHA-256 \(actual), the migration says \(load.sha256))\nhint: restore the planned file, or plan the new file as a new wave")
        }
    }

    /// Whether `table` has the column `name` now.
    private func columnExists(_ table: TableRef, _ name: String) async throws -> Bool {
        let r = try await driver.query("""
            SELECT COUNT(*) AS N FROM \(Identifier.quoted(table.database)).INFORMATION_SCHEMA.COLUMNS \
            WHERE TABLE_SCHEMA = \(TargetHistory.literal(table.schema)) AND TABLE_NAME = \(TargetHistory.literal(table.table)) \
            AND COLUMN_NAME = \(TargetHistory.literal(name))
            """)
        return (Int(r.first("N") ?? "0") ?? 0) > 0
    }

    /// Rows of `load`'s file already in its table, found by the file's SHA-256 column.
    private func rowsPresent(_ load: LoadFile) async throws -> Int {
        guard let shaColumn = load.constants.first(where: { $0.value == load.sha256 })?.column else { return 0 }
        let table = [load.table.database, load.table.schema, load.table.table].map(Identifier.quoted).joined(separator: ".")
        let r = try await driver.query("SELECT COUNT(*) AS N FROM \(table) WHERE \(Identifier.quoted(shaColumn)) = \(TargetHistory.literal(load.sha256))")
        return Int(r.first("N") ?? "0") ?? 0
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
        /// The last step of a rewrite: the new column takes the old one's name. It runs only
        /// while the new column is there, so a rerun after it ran skips it.
        case renameRewrite(RewriteColumn)
    }

    var kind: Kind = .plain
    /// The statement as sent: local `file://` paths made absolute.
    var sql: String
    /// Whether running it again is harmless.
    var isRepeatable: Bool

    var load: LoadFile? {
        switch kind {
        case .plain, .renameRewrite: nil
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

    /// The step of `statement`, from its `-- spark:step N role` line and the header change it names.
    init(_ statement: MigrationStatement, migration m: LocalMigration, root: URL) throws {
        sql = statement.sql
        original = statement.sql
        guard let tag = statement.step else {
            // Added by hand: spark knows nothing of it, so it is run once, with progress recorded after it.
            kind = .plain
            isRepeatable = false
            return
        }
        guard tag.change <= m.header.changes.count else {
            throw ApplyError.badStep(file: m.fileName, line: statement.line - 1, message: "the step names change \(tag.change), but the header has \(m.header.changes.count)")
        }
        let change = m.header.changes[tag.change - 1]
        guard tag.role == .custom || change.kind.statementRoles.contains(tag.role) else {
            throw ApplyError.badStep(file: m.fileName, line: statement.line - 1, message: "change \(tag.change) is a \(change.kind.rawValue), which has no \(tag.role.rawValue) statement")
        }
        isRepeatable = tag.role.isRepeatable
        // Local paths are written as the emitter wrote them (relative, as SQL literals) and sent absolute.
        func absolute(_ path: String) -> String {
            original.replacingOccurrences(of: SQLText.literal("file://" + path), with: SQLText.literal("file://" + root.appendingPathComponent(path).path))
        }
        switch (tag.role, change) {
        case let (.putCanonical, .loadFile(load)):
            kind = .putCanonical(load)
            sql = absolute(load.canonicalPath)
        case let (.putRaw, .loadFile(load)):
            kind = .putRaw(load)
            sql = absolute(load.path)
        case let (.putRejects, .loadFile(load)):
            kind = .putRejects(load)
            if let rejects = load.rejects { sql = absolute(rejects.path) }
        case let (.copy, .loadFile(load)):
            kind = .copy(load)
        case let (.rewriteRename, .rewriteColumn(r)):
            kind = .renameRewrite(r)
        default:
            kind = .plain
        }
    }
}
