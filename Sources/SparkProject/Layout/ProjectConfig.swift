import Foundation
import SparkInfer
import SparkModel
import SparkPlan
import TOMLKit

/// spark.toml, decoded: every key spark reads, typed. An unknown key, a value of the wrong type
/// or a value outside its choices is an error naming its line (TOMLKit gives no positions for
/// values, so ``TOMLLines`` finds them in the text).
public struct ProjectConfig: Equatable {
    /// Identifies the project's migrations in SPARK_HISTORY, so two projects cannot share one
    /// history. `spark init` writes it; a project without one gets it on its next plan.
    public var projectId: String?
    public var database: String?
    public var parentRole: String?
    public var historySchema: String?
    public var namingKeyColumn: String?
    public var nullMarkers: [String]?
    public var decimalSeparator: DecimalSeparator?
    public var dateOrder: DateOrder?
    public var badRows: BadRows?
    public var platforms: [String] = []
    public var headerAliases: [String: String] = [:]
    public var columnTypes: [String: SnowflakeType] = [:]
    /// Where each key was written, for errors that point at a setting.
    public var lines: TOMLLines

    public static let keys = ["project_id", "database", "parent_role", "history_schema", "naming_key_column", "null_markers", "decimal_separator",
                       "date_order", "bad_rows", "platforms", "header_aliases", "column_types"]

    /// Decodes `text` (the file named `file` in errors).
    public init(text: String, file: String = "spark.toml") throws {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw Diagnostic.project(file: file, line: e.source.begin.line, message: e.description, hint: "fix the TOML syntax")
        }
        lines = TOMLLines(text)
        let lines = self.lines
        func error(_ key: [String], _ message: String, _ hint: String) -> Diagnostic {
            Diagnostic.project(file: file, line: lines.line(of: key), message: message, hint: hint)
        }
        for key in table.keys.sorted() where !Self.keys.contains(key) {
            let guess = Spelling.closest(to: key, in: Self.keys).map { "did you mean \($0)? " } ?? ""
            throw error([key], "unknown setting `\(key)`", "\(guess)the settings are \(Self.keys.joined(separator: ", ")); `spark init` writes them all, commented")
        }
        func string(_ key: String) throws -> String? {
            guard let value = table[key] else { return nil }
            guard let text = value.string, !text.isEmpty else {
                throw error([key], "`\(key)` must be a non-empty string", "write it as \(key) = \"NAME\"")
            }
            return text
        }
        func strings(_ key: String, example: String) throws -> [String]? {
            guard let value = table[key] else { return nil }
            let items = value.array?.compactMap(\.string) ?? []
            guard let array = value.array, items.count == array.count else {
                throw error([key], "`\(key)` must be a list of strings", "write it as \(key) = \(example)")
            }
            return items
        }
        /// A string among `choices`.
        func choice(_ key: String, _ choices: [String], hint: String) throws -> String? {
            guard let v = try string(key) else { return nil }
            guard choices.contains(v) else {
                throw error([key], "`\(key)` must be \(choices.map { "\"\($0)\"" }.dropLast().joined(separator: ", ")) or \"\(choices.last!)\", not \"\(v)\"", hint)
            }
            return v
        }
        func strings(in key: String, example: String) throws -> [(String, TOMLValueConvertible)] {
            guard let value = table[key] else { return [] }
            guard let inner = value.table else {
                throw error([key], "`\(key)` must be a table", "write it as [\(key)] with lines such as \(example)")
            }
            return inner.keys.sorted().map { ($0, inner[$0]!) }
        }

        projectId = try string("project_id")
        database = try string("database")
        parentRole = try string("parent_role")
        historySchema = try string("history_schema")
        namingKeyColumn = try string("naming_key_column")
        nullMarkers = try strings("null_markers", example: "[\"--\", \"N/A\"] (an empty cell is always NULL)")
        // "auto" is the default written out: no value.
        decimalSeparator = try choice("decimal_separator", ["auto", ".", ","], hint: "write decimal_separator = \",\" for files that write 1.234,56")
            .flatMap(DecimalSeparator.init(rawValue:))
        dateOrder = try choice("date_order", ["auto", "DMY", "MDY"], hint: "write date_order = \"DMY\" for files that write 5/3/2024 for the 5th of March")
            .flatMap(DateOrder.init(rawValue:))
        badRows = try choice("bad_rows", ["refuse", "reject"], hint: "write bad_rows = \"reject\" to load the good rows and list the others in a rejects file")
            .flatMap(BadRows.init(rawValue:))
        for name in try strings("platforms", example: "[\"taboola\", \"outbrain\"]") ?? [] {
            guard Identifier.normalize(name, position: 0) != "COL_0" else {
                throw error(["platforms"], "platform \(PlanText.shown(name)) has no letters or digits", "write platforms = [\"taboola\"]")
            }
            platforms.append(name)
        }
        for (header, target) in try strings(in: "header_aliases", example: "\"Amount Spent (USD)\" = \"AMOUNT_SPENT_USD\"") {
            guard let name = target.tomlValue.string, Identifier.normalize(name, position: 0) != "COL_0" else {
                throw error(["header_aliases", header], "header alias \(PlanText.shown(header)) must name a column",
                            "write it as \(PlanText.shown(header)) = \"COLUMN_NAME\"")
            }
            headerAliases[header] = name
        }
        for (header, type) in try strings(in: "column_types", example: "\"Reichweite\" = \"NUMBER(38,0)\"") {
            guard let text = type.tomlValue.string, let t = SnowflakeType(snowflake: text) else {
                throw error(["column_types", header],
                            "column type of \(PlanText.shown(header)) must be a Snowflake type such as \"NUMBER(38,0)\", \"VARCHAR\" or \"DATE\"",
                            "write it as \(PlanText.shown(header)) = \"NUMBER(38,0)\"")
            }
            columnTypes[header] = t
        }
    }

    /// The lines that give a project its id, put at the top of spark.toml (above any table).
    public static func projectIdLines(_ id: String) -> String {
        "# Identifies this project's migrations in SPARK_HISTORY (written by spark; keep it).\nproject_id = \"\(id)\"\n\n"
    }

    public static func newProjectId() -> String { UUID().uuidString.lowercased() }

    /// The planning settings: these values over the defaults.
    public var settings: PlanSettings {
        var s = PlanSettings()
        if let database { s.database = database }
        if let parentRole { s.parentRole = parentRole }
        if let namingKeyColumn { s.namingKeyColumn = Identifier.normalize(namingKeyColumn, position: 0) }
        s.nullMarkers = nullMarkers
        s.decimalSeparator = decimalSeparator
        s.dateOrder = dateOrder
        if let badRows { s.badRows = badRows }
        s.platforms = platforms
        s.headerAliases = headerAliases
        s.columnTypes = columnTypes
        return s
    }
}

/// The line each key of a TOML document is written on, for error messages. Keys are looked up
/// by path: `["database"]`, or `["column_types", "Reichweite"]` for a key under `[column_types]`.
/// A key written inside an inline table or a dotted key is found at its outermost key's line.
public struct TOMLLines: Equatable {
    private var lines: [String: Int] = [:]

    public init(_ text: String) {
        var section: [String] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var s = Substring(raw.trimmingCharacters(in: .whitespaces))
            guard let first = s.first, first != "#" else { continue }
            if first == "[" {
                s = s.drop { $0 == "[" }
                guard let keys = Self.keyPath(&s), s.first == "]" else { continue }
                section = keys
                record(section, i + 1)
            } else if let keys = Self.keyPath(&s), s.first == "=" {
                for n in 1...keys.count { record(section + keys.prefix(n), i + 1) }
            }
        }
    }

    private mutating func record(_ path: [String], _ line: Int) {
        let key = path.joined(separator: "\u{1F}")
        if lines[key] == nil { lines[key] = line }
    }

    /// The line of `path`, else of its nearest enclosing key; 1 when none is found.
    public func line(of path: [String]) -> Int {
        var p = path
        while !p.isEmpty {
            if let l = lines[p.joined(separator: "\u{1F}")] { return l }
            p.removeLast()
        }
        return 1
    }

    /// Reads a dotted key (bare, "basic" or 'literal' parts) from the start of `s`, leaving
    /// `s` at the character after it (spaces skipped); nil when `s` does not start with one.
    private static func keyPath(_ s: inout Substring) -> [String]? {
        var parts: [String] = []
        while true {
            s = s.drop { $0 == " " || $0 == "\t" }
            guard let c = s.first else { return nil }
            if c == "\"" || c == "'" {
                var part = "", escaped = false, closed = false
                s = s.dropFirst()
                while let ch = s.first {
                    s = s.dropFirst()
                    if c == "\"" && escaped { part.append(ch); escaped = false; continue }
                    if c == "\"" && ch == "\\" { escaped = true; continue }
                    if ch == c { closed = true; break }
                    part.append(ch)
                }
                guard closed else { return nil }
                parts.append(part)
            } else {
                let bare = s.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
                guard !bare.isEmpty else { return nil }
                parts.append(String(bare))
                s = s.dropFirst(bare.count)
            }
            s = s.drop { $0 == " " || $0 == "\t" }
            guard s.first == "." else { return parts }
            s = s.dropFirst()
        }
    }
}
