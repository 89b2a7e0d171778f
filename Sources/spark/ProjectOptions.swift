import ArgumentParser
import Foundation
import SparkEmit
import SparkInfer
import SparkModel
import SparkPlan
import SparkState
import TOMLKit

/// `--project DIR` and `--state PATH`, shared by the commands that read a project.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The project directory, holding migrations/, templates/, state.sqlite and spark.toml.", valueName: "dir"))
    var project: String = "."

    @Option(name: .long, help: ArgumentHelp("Where the state lives (default: <project>/state.sqlite).", valueName: "path"))
    var state: String?

    var root: URL { URL(fileURLWithPath: project).standardizedFileURL }
    var statePath: String { state.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? root.appendingPathComponent("state.sqlite").path }
    var migrationsDir: URL { root.appendingPathComponent("migrations") }
    var sumURL: URL { migrationsDir.appendingPathComponent(MigrationSum.fileName) }

    /// `spark.toml`, parsed; nil when the project has none.
    func sparkToml() throws -> TOMLTable? {
        let url = root.appendingPathComponent("spark.toml")
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        do {
            return try TOMLTable(string: String(decoding: data, as: UTF8.self))
        } catch let e as TOMLParseError {
            throw ProjectError(file: "spark.toml", line: e.source.begin.line, message: e.description, hint: "fix the TOML syntax")
        }
    }

    /// The planning settings from `spark.toml` (see `spark init` for every key); defaults without one.
    func settings() throws -> PlanSettings {
        var s = PlanSettings()
        guard let table = try sparkToml() else { return s }
        if let v = try table.nonEmptyString("database") { s.database = v }
        if let v = try table.nonEmptyString("parent_role") { s.parentRole = v }
        if let v = try table.nonEmptyString("naming_key_column") { s.namingKeyColumn = Identifier.normalize(v, position: 0) }
        if let value = table["null_markers"] {
            let markers = value.array?.compactMap(\.string) ?? []
            guard let array = value.array, markers.count == array.count else {
                throw ProjectError(file: "spark.toml", line: 1, message: "`null_markers` must be a list of strings",
                                   hint: "write it as null_markers = [\"--\", \"N/A\"] (an empty cell is always NULL)")
            }
            s.nullMarkers = markers
        }
        if let v = try table.nonEmptyString("decimal_separator") {
            guard v == "auto" || DecimalSeparator(rawValue: v) != nil else {
                throw ProjectError(file: "spark.toml", line: 1, message: "`decimal_separator` must be \"auto\", \".\" or \",\", not \"\(v)\"",
                                   hint: "write decimal_separator = \",\" for files that write 1.234,56")
            }
            s.decimalSeparator = DecimalSeparator(rawValue: v)
        }
        if let v = try table.nonEmptyString("date_order") {
            guard v == "auto" || DateOrder(rawValue: v) != nil else {
                throw ProjectError(file: "spark.toml", line: 1, message: "`date_order` must be \"auto\", \"DMY\" or \"MDY\", not \"\(v)\"",
                                   hint: "write date_order = \"DMY\" for files that write 5/3/2024 for the 5th of March")
            }
            s.dateOrder = DateOrder(rawValue: v)
        }
        if let v = try table.nonEmptyString("bad_rows") {
            guard let b = BadRows(rawValue: v) else {
                throw ProjectError(file: "spark.toml", line: 1, message: "`bad_rows` must be \"refuse\" or \"reject\", not \"\(v)\"",
                                   hint: "write bad_rows = \"reject\" to load the good rows and list the others in a rejects file")
            }
            s.badRows = b
        }
        if let value = table["column_types"] {
            guard let types = value.table else {
                throw ProjectError(file: "spark.toml", line: 1, message: "`column_types` must be a table",
                                   hint: "write it as [column_types] with lines such as \"Reichweite\" = \"NUMBER(38,0)\"")
            }
            for (header, type) in types {
                guard let text = type.string, let t = SnowflakeType(snowflake: text) else {
                    throw ProjectError(file: "spark.toml", line: 1, message: "column type of \(header.debugDescription) must be a Snowflake type such as \"NUMBER(38,0)\", \"VARCHAR\" or \"DATE\"",
                                       hint: "write it as \(header.debugDescription) = \"NUMBER(38,0)\"")
                }
                s.columnTypes[header] = t
            }
        }
        if let value = table["header_aliases"] {
            guard let aliases = value.table else {
                throw ProjectError(file: "spark.toml", line: 1, message: "`header_aliases` must be a table",
                                   hint: "write it as [header_aliases] with lines such as \"Amount Spent (USD)\" = \"AMOUNT_SPENT_USD\"")
            }
            for (header, target) in aliases {
                guard let name = target.string, Identifier.normalize(name, position: 0) != "COL_0" else {
                    throw ProjectError(file: "spark.toml", line: 1, message: "header alias \(header.debugDescription) must name a column",
                                       hint: "write it as \(header.debugDescription) = \"COLUMN_NAME\"")
                }
                s.headerAliases[header] = name
            }
        }
        return s
    }

    /// The project's state for reading, or an empty one in memory when there is none: nothing is created.
    func existingOrEmptyState() throws -> StateStore {
        FileManager.default.fileExists(atPath: statePath) ? try StateStore(path: statePath) : try StateStore()
    }

    /// `history_schema` from spark.toml: where apply keeps SPARK_HISTORY and SPARK_LOCK.
    func historySchema() throws -> String? {
        try sparkToml()?.nonEmptyString("history_schema")
    }

    /// The default templates with the project's `templates/*.sql.mustache` files in their place.
    func templates() throws -> TemplateSet {
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
    struct MigrationEntry {
        var name: String
        var path: String
        var size: Int64
        var mtimeNanoseconds: Int64
    }

    /// The migration files in `migrations/`, in version order, with their stat. Other files are ignored.
    func listMigrations() throws -> [MigrationEntry] {
        let dir = migrationsDir.path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        var entries: [(MigrationName, MigrationEntry)] = []
        var byVersion: [Int: String] = [:]
        for name in names {
            guard let parsed = MigrationName(fileName: name) else { continue }
            if let other = byVersion[parsed.version] {
                throw ProjectError(file: "migrations/\(name)", line: 1, message: "version \(parsed.version) is also used by \(other)",
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
    func migrationFiles() throws -> [(name: String, contents: Data)] {
        try listMigrations().map { e in
            guard let data = FileManager.default.contents(atPath: e.path) else {
                throw ProjectError(file: "migrations/\(e.name)", line: 1, message: "cannot read the file", hint: "check its permissions")
            }
            return (e.name, data)
        }
    }

    /// spark.sum, or nil when there is none.
    func readSum() throws -> MigrationSum? {
        guard let data = FileManager.default.contents(atPath: sumURL.path) else { return nil }
        return try MigrationSum.parse(String(decoding: data, as: UTF8.self))
    }

    /// Checks `migrations/` against spark.sum; throws naming the first problem.
    ///
    /// A file whose size, modification time and previous chain hash match `cache` is not
    /// re-read (as git trusts its index); `spark verify` passes no cache and hashes everything.
    /// - Returns: the file names, the sum, and the cache entries to keep for the next run.
    func verifiedMigrations(cache: [String: CachedSumHash] = [:]) throws -> (names: [String], sum: MigrationSum, cache: [CachedSumHash]) {
        let entries = try listMigrations()
        guard let sum = try readSum() else {
            if let first = entries.first {
                throw ProjectError(file: "migrations/\(first.name)", line: 1, message: "migrations/ has no spark.sum",
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
            throw ProjectError(file: p.fileName, line: 1, message: p.message + more,
                               hint: "restore migrations/ from git; `spark verify` lists every difference")
        }
        return (entries.map(\.name), sum, newCache)
    }

    /// `path` relative to the project root (with `..` when outside it): what migrations record.
    func relativePath(_ path: String) -> String {
        let file = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        let base = root.pathComponents
        var common = 0
        while common < min(file.count, base.count) && file[common] == base[common] { common += 1 }
        let parts = Array(repeating: "..", count: base.count - common) + file[common...]
        return parts.joined(separator: "/")
    }
}

/// `--history-schema`, shared by apply and status.
struct HistorySchemaOption: ParsableArguments {
    @Option(help: ArgumentHelp("Schema (in the project's database) that holds SPARK_HISTORY and SPARK_LOCK (default: spark.toml's history_schema, else SPARK).", valueName: "name"))
    var historySchema: String?

    func resolve(_ project: ProjectOptions) throws -> String {
        try historySchema ?? project.historySchema() ?? "SPARK"
    }
}

extension TOMLTable {
    /// A string setting, or nil when absent; anything else is an error naming the key.
    func nonEmptyString(_ key: String) throws -> String? {
        guard let value = self[key] else { return nil }
        guard let text = value.string, !text.isEmpty else {
            throw ProjectError(file: "spark.toml", line: 1, message: "`\(key)` must be a non-empty string",
                               hint: "write it as \(key) = \"NAME\"")
        }
        return text
    }
}

/// A user-facing error: file, line, what went wrong, what to do next.
struct ProjectError: Error, CustomStringConvertible {
    var file: String
    var line: Int
    var message: String
    var hint: String

    var description: String { "\(file):\(line): \(message)\nhint: \(hint)" }
}

extension SumProblem {
    var fileName: String {
        switch self {
        case let .edited(f), let .added(f), let .removed(f): "migrations/" + f
        }
    }

    var message: String {
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
func writeAtomically(_ data: Data, to url: URL) throws {
    let tmp = temporaryFile(beside: url)
    try data.write(to: tmp)
    guard rename(tmp.path, url.path) == 0 else {
        let err = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: tmp)
        throw ProjectError(file: url.path, line: 1, message: "cannot write: \(err)", hint: "check the folder's permissions")
    }
}

/// Creates `url` with `data`, failing if it exists.
func createExclusively(_ data: Data, at url: URL) throws {
    try createExclusively(at: url, reportingAs: url.path, hint: "run `spark verify`, then plan again") { try data.write(to: $0) }
}

/// Creates `url`, failing if it exists: `fill` writes a temporary file beside it, which is then
/// hard-linked into place (a link never replaces), so the name never holds half a file. The
/// temporary file is removed whatever happens; a failed link is reported as `file`, with `hint`.
func createExclusively(at url: URL, reportingAs file: String, hint: String, fill: (URL) throws -> Void) throws {
    let tmp = temporaryFile(beside: url)
    try? FileManager.default.removeItem(at: tmp)
    defer { unlink(tmp.path) }
    try fill(tmp)
    guard link(tmp.path, url.path) == 0 else {
        let err = errno == EEXIST ? "it already exists" : String(cString: strerror(errno))
        throw ProjectError(file: file, line: 1, message: "cannot create: \(err)", hint: hint)
    }
}

/// Prints an error the way every spark command does, and exits 1.
func fail(_ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data((String(describing: error) + "\n").utf8))
    return ExitCode.failure
}

extension PlanSettings {
    /// spark.toml's `null_markers`, or inference's defaults.
    var effectiveNullMarkers: [String] { nullMarkers ?? InferOptions.defaultNullMarkers }
}
