import Foundation
import SparkEmit
import SparkModel
import SparkState

/// The one way a command writes a migration (`plan`, `grant`, `revoke`, `drop`).
///
/// Under state.sqlite's exclusive lock it checks migrations/ against spark.sum and the state,
/// asks `decide` for the migration's header given the next free version, renders it, writes the
/// file exclusively, appends spark.sum and records the header in the state. Any error undoes all
/// of it: the transaction rolls back, the file and any extra files are removed, spark.sum is
/// restored, and a project that had no migrations/ or state is left without them.
public struct MigrationWriter {
    public var project: Project
    public var templates: TemplateSet

    public init(project: Project, templates: TemplateSet) {
        self.project = project
        self.templates = templates
    }

    public struct Written<T> {
        public var value: T
        public var migration: EmittedMigration?
        public var written: Bool
    }

    /// - Parameters:
    ///   - dryRun: read the state without the lock, render, and write nothing.
    ///   - decide: reads the state and returns a value for the caller and the header to write
    ///     (nil when there is nothing to do). Throw to refuse; nothing is written then.
    ///   - beforeWriting: runs under the lock just before the migration file is created; returns
    ///     files it created, which are removed if a later step fails.
    public func write<T>(dryRun: Bool = false,
                  decide: (_ db: StateTransaction, _ nextVersion: Int) throws -> (T, MigrationHeader?),
                  beforeWriting: (EmittedMigration) throws -> [URL] = { _ in [] }) throws -> Written<T> {
        if dryRun {
            let store = try project.existingOrEmptyState()
            return try store.read { db in
                let (names, sum, _) = try project.verifiedMigrations(cache: try db.sumCache())
                try db.ensureMatches(migrations: sum.entries.map { ($0.fileName, $0.hash) })
                try checkDatabase(db)
                let (value, header) = try decide(db, try Self.nextVersion(db, names: names))
                return Written(value: value, migration: try header.map { try Emitter.render($0, templates: templates) }, written: false)
            }
        }

        let hadMigrations = FileManager.default.fileExists(atPath: project.migrationsDir.path)
        let hadState = FileManager.default.fileExists(atPath: project.statePath)
        try FileManager.default.createDirectory(at: project.migrationsDir, withIntermediateDirectories: true)
        let store = try StateStore(path: project.statePath)
        var created: [URL] = []
        var previousSum: Data?
        var previousToml: Data?
        do {
            return try store.withExclusiveLock { db in
                // Under the lock, so a concurrent writer sees this one's file, sum and state, or none of them.
                let (names, sum, cache) = try project.verifiedMigrations(cache: try db.sumCache())
                try db.ensureMatches(migrations: sum.entries.map { ($0.fileName, $0.hash) })
                try db.saveSumCache(cache)
                try checkDatabase(db)
                let (value, header) = try decide(db, try Self.nextVersion(db, names: names))
                guard let header else { return Written(value: value, migration: nil, written: false) }
                let migration = try Emitter.render(header, templates: templates)
                created += try beforeWriting(migration)
                let data = Data(migration.contents.utf8)
                let url = project.migrationsDir.appendingPathComponent(migration.fileName)
                try createExclusively(data, at: url)
                created.append(url)
                var newSum = sum
                newSum.append(name: migration.fileName, contents: data)
                previousSum = FileManager.default.contents(atPath: project.sumURL.path) ?? Data()
                try writeAtomically(Data(newSum.render().utf8), to: project.sumURL)
                try db.record(header: migration.header, fileName: migration.fileName, checksum: newSum.entries.last!.hash)
                previousToml = try giveProjectAnId()
                return Written(value: value, migration: migration, written: true)
            }
        } catch {
            for url in created { unlink(url.path) }
            if let previousSum {
                if previousSum.isEmpty { unlink(project.sumURL.path) } else { try? writeAtomically(previousSum, to: project.sumURL) }
            }
            if let previousToml { try? writeAtomically(previousToml, to: project.tomlURL) }
            // A first migration that fails leaves the project as it found it, without an empty folder or state.
            if !hadMigrations { rmdir(project.migrationsDir.path) }
            if !hadState { try? store.close(); unlink(project.statePath) }
            throw error
        }
    }

    /// A project made before project ids gets one, at the top of its spark.toml, with the first
    /// migration it writes. Returns the file's bytes before, for undoing; nil when it had an id.
    public func giveProjectAnId() throws -> Data? {
        guard try project.config().projectId == nil, let before = FileManager.default.contents(atPath: project.tomlURL.path) else { return nil }
        try writeAtomically(Data(ProjectConfig.projectIdLines(ProjectConfig.newProjectId()).utf8) + before, to: project.tomlURL)
        return before
    }

    /// The migrations use spark.toml's database (the state matches them, checked just before).
    public func checkDatabase(_ db: StateTransaction) throws {
        let used = try db.migrationDatabases()
        try project.checkDatabase(try project.config(), migrations: used)
    }

    /// One more than the highest version in the state or in migrations/.
    public static func nextVersion(_ db: StateTransaction, names: [String]) throws -> Int {
        let recorded = try db.latestVersion()
        return max(recorded, names.compactMap { MigrationName(fileName: $0)?.version }.max() ?? 0) + 1
    }
}
