import Foundation

/// A migration file's name: `V<NNNN>__<description>.sql` (Flyway/schemachange naming).
public struct MigrationName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var version: Int
    public var description: String

    public init(version: Int, description: String) {
        self.version = version
        self.description = description
    }

    /// Parses `V0007__byd_meta_2024_wave3.sql`; nil for any other name.
    public init?(fileName: String) {
        guard fileName.hasPrefix("V"), fileName.hasSuffix(".sql"),
              let sep = fileName.range(of: "__") else { return nil }
        let digits = fileName[fileName.index(after: fileName.startIndex)..<sep.lowerBound]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let v = Int(digits) else { return nil }
        let desc = fileName[sep.upperBound..<fileName.index(fileName.endIndex, offsetBy: -4)]
        guard !desc.isEmpty else { return nil }
        self.version = v
        self.description = String(desc)
    }

    /// `V0007` — at least four digits.
    public var versionLabel: String {
        let s = String(version)
        return "V" + String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    public var fileName: String { "\(versionLabel)__\(description).sql" }

    public static func < (a: MigrationName, b: MigrationName) -> Bool { a.version < b.version }
}

/// What a migration file says about itself, in its header.
public struct MigrationHeader: Sendable, Hashable, Codable {
    /// The header format; bumped when the header changes incompatibly.
    public var format: Int
    public var version: Int
    public var description: String
    public var client: String
    public var platform: String
    public var year: Int
    public var wave: Int
    public var database: String
    public var schema: String
    public var changes: [Change]

    public static let currentFormat = 1

    public init(version: Int, description: String, client: String, platform: String, year: Int, wave: Int,
                database: String, schema: String, changes: [Change]) {
        self.format = MigrationHeader.currentFormat
        self.version = version
        self.description = description
        self.client = client
        self.platform = platform
        self.year = year
        self.wave = wave
        self.database = database
        self.schema = schema
        self.changes = changes
    }

    public var name: MigrationName { MigrationName(version: version, description: description) }
}

/// One SQL statement of a migration, without its terminating `;`.
public struct MigrationStatement: Sendable, Hashable {
    /// The statement's text, from its first non-comment character to just before its `;`.
    public var sql: String
    /// 1-based line of the file where the statement starts.
    public var line: Int
    /// Its `-- spark:step N role` line, in a migration file spark wrote (nil in files written
    /// before spark 0.16, and in templates).
    public var step: StatementTag?
    /// Its `-- spark:role NAME` line, in a rendered template: the name as written, and the line.
    public var role: RoleLine?

    public struct RoleLine: Sendable, Hashable {
        public var name: String
        public var line: Int
    }

    public init(sql: String, line: Int, step: StatementTag? = nil, role: RoleLine? = nil) {
        self.sql = sql
        self.line = line
        self.step = step
        self.role = role
    }
}

public enum MigrationFileError: Error, Hashable, DiagnosticConvertible {
    case noHeader(file: String)
    case badHeaderLine(file: String, line: Int, message: String)
    case versionMismatch(file: String, header: Int)
    case unterminated(file: String, line: Int)
    case badStep(file: String, line: Int, message: String)

    public var diagnostic: Diagnostic {
        switch self {
        case let .noHeader(file):
            Diagnostic(code: "migration.no_header", file: file, line: 1, message: "no spark header (`-- spark:migration {…}` lines)",
                       hint: "only files written by `spark plan` can be read; restore the file from git")
        case let .badHeaderLine(file, line, message):
            Diagnostic(code: "migration.bad_header", file: file, line: line, message: "unreadable spark header line: \(message)",
                       hint: "the header was edited by hand; restore the file from git")
        case let .versionMismatch(file, header):
            Diagnostic(code: "migration.version_mismatch", file: file, line: 1, message: "header says version \(header) but the file name says otherwise",
                       hint: "rename the file back, or restore it from git")
        case let .unterminated(file, line):
            Diagnostic(code: "migration.unterminated", file: file, line: line, message: "statement has no terminating `;` (or an unclosed quote or comment)",
                       hint: "end every statement with `;`")
        case let .badStep(file, line, message):
            Diagnostic(code: "migration.bad_step", file: file, line: line, message: message,
                       hint: "`-- spark:step` lines are written by `spark plan`; restore the file from git")
        }
    }
}

/// The layout of a migration file.
///
/// ```
/// -- spark:migration {"client":"byd",…,"version":7,"wave":3}
/// -- spark:change {"change":{…},"kind":"create_schema"}
/// -- spark:change …
/// -- spark:end
///
/// CREATE SCHEMA IF NOT EXISTS "SPARK_DB"."CLIENT_BYD_META_2024";
/// …
/// ```
///
/// Header lines are single-line JSON (keys sorted, so the output is byte-stable). The body is
/// split into statements by this rule: a `;` outside single-quoted strings (with `''` and `\`
/// escapes), double-quoted identifiers (with `""`), `$$…$$` strings, `--` line comments and
/// `/* */` comments ends a statement. Text that is only whitespace and comments is not a statement.
public enum MigrationFile {
    static let migrationPrefix = "-- spark:migration "
    static let changePrefix = "-- spark:change "
    static let endLine = "-- spark:end"
    /// In a template, before a statement: what the statement does (``StatementRole``).
    public static let rolePrefix = "-- spark:role "

    /// Renders the header lines, ending with `-- spark:end` and a newline.
    public static func renderHeader(_ header: MigrationHeader) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var meta = header
        meta.changes = []
        var out = migrationPrefix + String(decoding: try encoder.encode(MetaLine(meta)), as: UTF8.self) + "\n"
        for change in header.changes {
            out += changePrefix + String(decoding: try encoder.encode(change), as: UTF8.self) + "\n"
        }
        return out + endLine + "\n"
    }

    /// Reads the header of a migration file.
    /// - Parameter file: the name to put in error messages.
    public static func parseHeader(_ text: String, file: String) throws -> MigrationHeader {
        let decoder = JSONDecoder()
        var meta: MetaLine?
        var changes: [Change] = []
        var lineNo = 0
        var ended = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            do {
                if line.hasPrefix(migrationPrefix) {
                    meta = try decoder.decode(MetaLine.self, from: Data(line.dropFirst(migrationPrefix.count).utf8))
                } else if line.hasPrefix(changePrefix) {
                    changes.append(try decoder.decode(Change.self, from: Data(line.dropFirst(changePrefix.count).utf8)))
                } else if line == endLine {
                    ended = true
                    break
                } else {
                    break
                }
            } catch {
                throw MigrationFileError.badHeaderLine(file: file, line: lineNo, message: String(describing: error))
            }
        }
        guard let meta, ended else { throw MigrationFileError.noHeader(file: file) }
        guard meta.format <= MigrationHeader.currentFormat else {
            throw MigrationFileError.badHeaderLine(file: file, line: 1, message: "header format \(meta.format) is newer than this spark understands")
        }
        if let name = MigrationName(fileName: (file as NSString).lastPathComponent), name.version != meta.version {
            throw MigrationFileError.versionMismatch(file: file, header: meta.version)
        }
        return MigrationHeader(version: meta.version, description: meta.description, client: meta.client,
                               platform: meta.platform, year: meta.year, wave: meta.wave, database: meta.database,
                               schema: meta.schema, changes: changes)
    }

    /// Splits a migration into statements by the rule above.
    /// - Parameter file: the name to put in error messages.
    public static func statements(in text: String, file: String) throws -> [MigrationStatement] {
        let bytes = Array(text.utf8)
        var result: [MigrationStatement] = []
        var i = 0
        var line = 1
        var start: Int? = nil  // first byte of the current statement that is not whitespace or comment
        var startLine = 1
        let n = bytes.count

        var pendingStep: StatementTag?
        var pendingRole: MigrationStatement.RoleLine?

        func begin() { if start == nil { start = i; startLine = line } }

        while i < n {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\n"):
                line += 1; i += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                i += 1
            case UInt8(ascii: "-") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "-"):
                let from = i
                while i < n && bytes[i] != UInt8(ascii: "\n") { i += 1 }
                // Between statements, a step or role line names the statement that follows.
                if start == nil {
                    let comment = String(decoding: bytes[from..<i], as: UTF8.self)
                    if comment.hasPrefix(StatementTag.prefix) {
                        let parts = comment.dropFirst(StatementTag.prefix.count).split(separator: " ")
                        guard parts.count == 2, let change = Int(parts[0]), change >= 1, let role = StatementRole(rawValue: String(parts[1])) else {
                            throw MigrationFileError.badStep(file: file, line: line, message: "unreadable step line \(comment.debugDescription): it must be `-- spark:step <change> <role>`, the role one of \(StatementRole.allCases.map(\.rawValue).joined(separator: ", "))")
                        }
                        pendingStep = StatementTag(change: change, role: role)
                    } else if comment.hasPrefix(MigrationFile.rolePrefix) {
                        pendingRole = MigrationStatement.RoleLine(name: String(comment.dropFirst(MigrationFile.rolePrefix.count)).trimmingCharacters(in: .whitespaces), line: line)
                    }
                }
            case UInt8(ascii: "/") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "*"):
                let open = line
                i += 2
                while i < n && !(bytes[i] == UInt8(ascii: "*") && i + 1 < n && bytes[i + 1] == UInt8(ascii: "/")) {
                    if bytes[i] == UInt8(ascii: "\n") { line += 1 }
                    i += 1
                }
                guard i < n else { throw MigrationFileError.unterminated(file: file, line: open) }
                i += 2
            case UInt8(ascii: "'"):
                begin()
                let open = line
                i += 1
                var closed = false
                while i < n {
                    let c = bytes[i]
                    if c == UInt8(ascii: "\n") { line += 1 }
                    if c == UInt8(ascii: "\\") { i += 2; continue }
                    if c == UInt8(ascii: "'") {
                        if i + 1 < n && bytes[i + 1] == UInt8(ascii: "'") { i += 2; continue }
                        i += 1; closed = true; break
                    }
                    i += 1
                }
                guard closed else { throw MigrationFileError.unterminated(file: file, line: open) }
            case UInt8(ascii: "\""):
                begin()
                let open = line
                i += 1
                var closed = false
                while i < n {
                    let c = bytes[i]
                    if c == UInt8(ascii: "\n") { line += 1 }
                    if c == UInt8(ascii: "\"") {
                        if i + 1 < n && bytes[i + 1] == UInt8(ascii: "\"") { i += 2; continue }
                        i += 1; closed = true; break
                    }
                    i += 1
                }
                guard closed else { throw MigrationFileError.unterminated(file: file, line: open) }
            case UInt8(ascii: "$") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "$"):
                begin()
                let open = line
                i += 2
                while i < n && !(bytes[i] == UInt8(ascii: "$") && i + 1 < n && bytes[i + 1] == UInt8(ascii: "$")) {
                    if bytes[i] == UInt8(ascii: "\n") { line += 1 }
                    i += 1
                }
                guard i < n else { throw MigrationFileError.unterminated(file: file, line: open) }
                i += 2
            case UInt8(ascii: ";"):
                if let s = start {
                    let sql = String(decoding: bytes[s..<i], as: UTF8.self)
                    result.append(MigrationStatement(sql: sql.trimmingCharacters(in: .whitespacesAndNewlines), line: startLine,
                                                     step: pendingStep, role: pendingRole))
                    pendingStep = nil
                    pendingRole = nil
                }
                start = nil
                i += 1
            default:
                begin()
                i += 1
            }
        }
        if start != nil { throw MigrationFileError.unterminated(file: file, line: startLine) }
        return result
    }

    /// The header fields without the changes: the first header line.
    private struct MetaLine: Codable {
        var format: Int
        var version: Int
        var description: String
        var client: String
        var platform: String
        var year: Int
        var wave: Int
        var database: String
        var schema: String

        init(_ h: MigrationHeader) {
            format = h.format
            version = h.version
            description = h.description
            client = h.client
            platform = h.platform
            year = h.year
            wave = h.wave
            database = h.database
            schema = h.schema
        }
    }
}
