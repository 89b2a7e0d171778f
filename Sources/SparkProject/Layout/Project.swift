import Foundation
import SparkEmit
import SparkInfer
import SparkModel
import SparkPlan
import SparkState

/// A spark project on disk: its folder (spark.toml, migrations/ with spark.sum, templates/,
/// data/) and its state.sqlite. What every command that reads a project shares; the CLI's
/// `--project` and `--state` options name one.
public struct Project: Sendable {
    /// The folder as the user gave it, for errors.
    public let directory: String
    public let root: URL
    public let statePath: String

    /// - Parameters:
    ///   - directory: the project folder (`--project`, default the current one).
    ///   - state: where state.sqlite lives (`--state`), default `<project>/state.sqlite`.
    public init(directory: String = ".", state: String? = nil) {
        self.directory = directory
        root = URL(fileURLWithPath: directory).standardizedFileURL
        statePath = state.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? root.appendingPathComponent("state.sqlite").path
    }

    public var migrationsDir: URL { root.appendingPathComponent("migrations") }
    public var sumURL: URL { migrationsDir.appendingPathComponent(MigrationSum.fileName) }
    public var tomlURL: URL { root.appendingPathComponent("spark.toml") }

    /// spark.toml, decoded. Every project command but `init` needs one: without it spark would
    /// plan into a folder that is not a project and create one there.
    public func config() throws -> ProjectConfig {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Diagnostic.project(file: directory, line: 0, message: "no such project directory",
                               hint: "pass --project with an existing folder (by default the current one)")
        }
        guard let data = FileManager.default.contents(atPath: root.appendingPathComponent("spark.toml").path) else {
            throw Diagnostic.project(file: root.path, line: 0, message: "not a spark project: there is no spark.toml",
                               hint: "run `spark init` to make this folder a project, or pass --project with the project's folder")
        }
        return try ProjectConfig(text: String(decoding: data, as: UTF8.self))
    }

    /// Throws unless every migration uses spark.toml's `database`: changing it after planning
    /// would plan a new database without the columns the migrations made.
    public func checkDatabase(_ config: ProjectConfig, migrations: [(file: String, database: String)]) throws {
        let database = config.settings.database
        guard let other = migrations.first(where: { $0.database != database }) else { return }
        let setting = config.database == nil ? "is not set, so it is \"\(database)\"," : "is \"\(database)\""
        throw Diagnostic.project(file: "spark.toml", line: config.database == nil ? 0 : config.lines.line(of: ["database"]),
                           message: "database \(setting) but the migrations use \"\(other.database)\" (migrations/\(other.file))",
                           hint: "set database = \"\(other.database)\" again: the migrations create and load that database; for another database, start another project with `spark init`")
    }

    /// Throws unless the folder is a spark project with a valid spark.toml.
    public func requireProject() throws {
        _ = try config()
    }

    /// The planning settings from spark.toml (see `spark init` for every key).
    public func settings() throws -> PlanSettings {
        try config().settings
    }

    /// For commands that also run outside a project (infer, preview): spark.toml's settings when
    /// the folder has one, else the defaults.
    public func settingsIfProject() throws -> PlanSettings {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("spark.toml").path) ? try settings() : PlanSettings()
    }

    /// The project's state for reading, or an empty one in memory when there is none: nothing is created.
    public func existingOrEmptyState() throws -> StateStore {
        FileManager.default.fileExists(atPath: statePath) ? try StateStore(path: statePath) : try StateStore()
    }

    /// `history_schema` from spark.toml: where apply keeps SPARK_HISTORY and SPARK_LOCK.
    public func historySchema() throws -> String? {
        try config().historySchema
    }

    /// The default templates with the project's `templates/*.sql.mustache` files in their place.
    public func templates() throws -> TemplateSet {
        let dir = root.appendingPathComponent("templates")
        var overrides: [String: String] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".sql.mustache") {
            if let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) {
                overrides[name] = String(decoding: data, as: UTF8.self)
            }
        }
        return try TemplateSet(overrides: overrides)
    }

    /// A migration file as listed, not yet read.
    public struct MigrationEntry {
        public var name: String
        public var path: String
        public var size: Int64
        public var mtimeNanoseconds: Int64
    }

    /// The migration files in `migrations/`, in version order, with their stat. Other files are ignored.
    public func listMigrations() throws -> [MigrationEntry] {
        let dir = migrationsDir.path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        var entries: [(MigrationName, MigrationEntry)] = []
        var byVersion: [Int: String] = [:]
        for name in names {
            guard let parsed = MigrationName(fileName: name) else { continue }
            if let other = byVersion[parsed.version] {
                throw Diagnostic.project(file: "migrations/\(name)", line: 1, message: "version \(parsed.version) is also used by \(other)",
                                   hint: "two migrations were written with one version (a merge?); keep one, then run `spark state rebuild`")
            }
            byVersion[parsed.version] = name
            // Plain string paths: this runs for every migration on every plan, and URL building is slow.
            let path = dir + "/" + name
            var st = stat()
            guard stat(path, &st) == 0 else { continue }
            let mtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            entries.append((parsed, MigrationEntry(name: name, path: path, size: Int64(st.st_size), mtimeNanoseconds: mtime)))
        }
        return entries.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The migration files in `migrations/` and their bytes, in version order.
    public func migrationFiles() throws -> [(name: String, contents: Data)] {
        try listMigrations().map { e in
            guard let data = FileManager.default.contents(atPath: e.path) else {
                throw Diagnostic.project(file: "migrations/\(e.name)", line: 1, message: "cannot read the file", hint: "check its permissions")
            }
            return (e.name, data)
        }
    }

    /// spark.sum, or nil when there is none.
    public func readSum() throws -> MigrationSum? {
        guard let data = FileManager.default.contents(atPath: sumURL.path) else { return nil }
        return try MigrationSum.parse(String(decoding: data, as: UTF8.self))
    }

    /// Checks `migrations/` against spark.sum; throws naming the first problem.
    ///
    /// A file whose size, modification time and previous chain hash match `cache` is not
    /// re-read (as git trusts its index); `spark verify` passes no cache and hashes everything.
    /// - Returns: the file names, the sum, and the cache entries to keep for the next run.
    public func verifiedMigrations(cache: [String: CachedSumHash] = [:]) throws -> (names: [String], sum: MigrationSum, cache: [CachedSumHash]) {
        let entries = try listMigrations()
        guard let sum = try readSum() else {
            if let first = entries.first {
                throw Diagnostic.project(file: "migrations/\(first.name)", line: 1, message: "migrations/ has no spark.sum",
                                   hint: "restore migrations/spark.sum from git")
            }
            return ([], MigrationSum(), [])
        }
        let byName = Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        // Only files untouched for a while are cached, so an edit within the clock's granularity is still seen.
        let settled = Int64(Date().timeIntervalSince1970 * 1e9) - 2_000_000_000
        var newCache: [CachedSumHash] = []
        let problems = sum.problems(fileNames: entries.map(\.name)) { name, previous in
            guard let e = byName[name] else { return nil }
            if let c = cache[name], c.size == e.size, c.mtimeNanoseconds == e.mtimeNanoseconds, c.previousHash == previous {
                newCache.append(c)
                return c.hash
            }
            guard let data = FileManager.default.contents(atPath: e.path) else { return nil }
            let hash = MigrationSum.chainHash(previous: previous, name: name, contents: data)
            if e.mtimeNanoseconds < settled {
                newCache.append(CachedSumHash(fileName: name, size: e.size, mtimeNanoseconds: e.mtimeNanoseconds, previousHash: previous, hash: hash))
            }
            return hash
        }
        if let p = problems.first {
            let more = problems.count > 1 ? " (and \(problems.count - 1) more; see `spark verify`)" : ""
            throw Diagnostic.project(file: p.fileName, line: 1, message: p.message + more,
                               hint: "restore migrations/ from git; `spark verify` lists every difference")
        }
        return (entries.map(\.name), sum, newCache)
    }

    /// A migration named by any spelling its name uses: `3`, `V0003`, `V0003__name.sql`,
    /// `migrations/V0003__name.sql`. nil when it is none of them.
    public static func versionNumber(_ text: String) -> Int? {
        let name = text.hasPrefix("migrations/") ? String(text.dropFirst("migrations/".count)) : text
        if let parsed = MigrationName(fileName: name) { return parsed.version }
        let digits = name.hasPrefix("V") || name.hasPrefix("v") ? String(name.dropFirst()) : name
        return Int(digits).flatMap { $0 >= 0 ? $0 : nil }
    }

    /// `path` relative to the project root (with `..` when outside it): what migrations record.
    public func relativePath(_ path: String) -> String {
        let file = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        let base = root.pathComponents
        var common = 0
        while common < min(file.count, base.count) && file[common] == base[common] { common += 1 }
        let parts = Array(repeating: "..", count: base.count - common) + file[common...]
        return parts.joined(separator: "/")
    }
}

extension SumProblem {
    public var fileName: String {
        switch self {
        case let .edited(f), let .added(f), let .removed(f): "migrations/" + f
        }
    }

    public var message: String {
        switch self {
        case .edited: "edited after spark.sum recorded it"
        case .added: "not recorded in spark.sum"
        case .removed: "recorded in spark.sum but missing"
        }
    }
}

/// The temporary file beside `url` that is written first, then moved or linked into place.
private func temporaryFile(beside url: URL) -> URL {
    url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
}

/// Writes `data` to `url` atomically: a temporary file in the same folder, then a rename.
public func writeAtomically(_ data: Data, to url: URL) throws {
    let tmp = temporaryFile(beside: url)
    try data.write(to: tmp)
    guard rename(tmp.path, url.path) == 0 else {
        let err = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: tmp)
        throw Diagnostic.project(file: url.path, line: 1, message: "cannot write: \(err)", hint: "check the folder's permissions")
    }
}

/// Creates `url` with `data`, failing if it exists.
public func createExclusively(_ data: Data, at url: URL) throws {
    try createExclusively(at: url, reportingAs: url.path, hint: "run `spark verify`, then plan again") { try data.write(to: $0) }
}

/// Creates `url`, failing if it exists: `fill` writes a temporary file beside it, which is then
/// hard-linked into place (a link never replaces), so the name never holds half a file. The
/// temporary file is removed whatever happens; a failed link is reported as `file`, with `hint`.
public func createExclusively(at url: URL, reportingAs file: String, hint: String, fill: (URL) throws -> Void) throws {
    let tmp = temporaryFile(beside: url)
    try? FileManager.default.removeItem(at: tmp)
    defer { unlink(tmp.path) }
    try fill(tmp)
    guard link(tmp.path, url.path) == 0 else {
        let err = errno == EEXIST ? "it already exists" : String(cString: strerror(errno))
        throw Diagnostic.project(file: file, line: 1, message: "cannot create: \(err)", hint: hint)
    }
}

extension PlanSettings {
    /// spark.toml's `null_markers`, or inference's defaults.
    public var effectiveNullMarkers: [String] { nullMarkers ?? InferOptions.defaultNullMarkers }
}
