import SparkModel

/// Renders a plan for people, in the manner of `terraform plan`:
/// `+` create, `~` change, `-` revoke or destroy, `!` refused, `=` kept or skipped.
public enum PlanText {
    public static func render(_ plan: Plan) -> String {
        let t = plan.target
        var out = "spark plan: \(t.client.lowercased()) \(t.platform.lowercased()) \(t.year) wave \(t.wave) → \(t.database).\(t.schema).\(t.table.tableName)\n\n"
        for change in plan.changes { out += "  " + line(change) + "\n" }
        for r in plan.refusals {
            out += "  ! column \(r.table).\(r.column) \(r.from) → \(r.to) refused: \(r.file):\(r.line)"
                + (r.value.map { " \(shown($0))" } ?? "") + "\n"
        }
        for note in plan.notes { out += "  note: \(note)\n" }
        return out + "\n" + summary(plan) + "\n"
    }

    /// One change's line, with its `+ ~ - =` mark.
    public static func line(_ change: Change) -> String {
        switch change {
        case let .createDatabase(c): return "+ database \(c.database)"
        case let .createSchema(c): return "+ schema \(c.database).\(c.schema)"
        case let .createTable(c):
            let data = c.columns.filter { $0.provenance != nil }.count
            return "+ table \(c.table.table) (\(c.columns.count) columns, \(data) from the file)"
        case let .createFileFormat(c): return "+ file format \(c.name)"
        case let .createStage(c): return "+ stage \(c.name)"
        case let .createRole(c): return "+ role \(c.role) (\(c.access.rawValue), granted to \(c.parentRole))"
        case let .grant(g):
            if g.object == .role { return "+ grant role \(g.objectName.joined(separator: ".")) to role \(g.role)" }
            let on: String = switch g.object {
            case .database: "database"
            case .schema: "schema"
            case .allTables: "all tables in schema"
            case .futureTables: "future tables in schema"
            case .stage: "stage"
            case .fileFormat: "file format"
            case .role: "role"
            }
            return "+ grant \(g.privileges.joined(separator: ", ")) on \(on) \(g.objectName.joined(separator: ".")) to role \(g.role)"
        case let .addColumn(c):
            return "+ column \(c.table.table).\(c.column.name) \(c.column.type)" + (c.column.provenance.map { " (header \(shown($0.rawHeader)))" } ?? "")
        case let .widenColumn(c):
            return "~ column \(c.table.table).\(c.column) \(c.from) → \(c.to)" + evidence(c.file, c.evidence)
        case let .rewriteColumn(c):
            return "~ column \(c.table.table).\(c.column) \(c.from) → \(c.to), rewritten through \(c.temporaryName)" + evidence(c.file, c.evidence)
        case let .keepColumn(c): return "= column \(c.table.table).\(c.column) \(c.type) kept (not in \(c.file))"
        case let .loadFile(l):
            var out = "+ load \(l.path) (\(count(l.rows, "row")), \(count(l.columns.count, "column"))) into \(l.table.table)"
            if let rows = l.summaryRows {
                out += "\n      \(count(rows.count, "summary row")) left out: " + listed(rows.map { "line \($0.line) \(shown($0.label))" })
            }
            if let r = l.rejects {
                out += "\n      \(count(r.rows, "row")) rejected, listed in \(r.path)"
            }
            return out
        case let .skipFile(s):
            if let earlier = s.sameContentAs {
                return "= file \(s.path) holds the same rows as \(earlier), planned in \(s.plannedIn): a re-export, skipped"
            }
            return "= file \(s.path) already planned in \(s.plannedIn), skipped"
        case let .grantRoleToUser(g): return "+ grant role \(g.role) (\(g.access.rawValue)) to user \(shown(g.user))"
        case let .revokeRoleFromUser(g): return "- revoke role \(g.role) (\(g.access.rawValue)) from user \(shown(g.user))"
        case let .dropSchema(d):
            return "- drop schema \(d.database).\(d.schema) with all its tables, data and stage; drop role\(d.roles.count == 1 ? "" : "s") "
                + d.roles.joined(separator: ", ")
        }
    }

    static func evidence(_ file: String, _ e: Evidence?) -> String {
        guard let e else { return "" }
        return " (\(file):\(e.line) \(shown(e.value)))"
    }

    /// The last line: `Plan: 1 schema, 2 roles, 3 tables, 2 columns to add, 1 file to load.`
    public static func summary(_ plan: Plan) -> String {
        var n: [Change.Kind: Int] = [:]
        for c in plan.changes { n[c.kind, default: 0] += 1 }
        let parts: [(Int, String, String)] = [
            (n[.createDatabase] ?? 0, "database", "databases"),
            (n[.createSchema] ?? 0, "schema", "schemas"),
            (n[.createRole] ?? 0, "role", "roles"),
            (n[.createTable] ?? 0, "table", "tables"),
            (n[.createStage] ?? 0, "stage", "stages"),
            (n[.createFileFormat] ?? 0, "file format", "file formats"),
            (n[.grant] ?? 0, "grant", "grants"),
            (n[.addColumn] ?? 0, "column to add", "columns to add"),
            (n[.widenColumn] ?? 0, "column to widen", "columns to widen"),
            (n[.rewriteColumn] ?? 0, "column to rewrite", "columns to rewrite"),
            (n[.keepColumn] ?? 0, "column kept", "columns kept"),
            (n[.loadFile] ?? 0, "file to load", "files to load"),
            (n[.skipFile] ?? 0, "file skipped", "files skipped"),
            (n[.grantRoleToUser] ?? 0, "role to grant", "roles to grant"),
            (n[.revokeRoleFromUser] ?? 0, "role to revoke", "roles to revoke"),
            (n[.dropSchema] ?? 0, "schema to drop", "schemas to drop"),
            (plan.refusals.count, "change refused", "changes refused"),
        ]
        let text = parts.filter { $0.0 > 0 }.map { "\($0.0) \($0.0 == 1 ? $0.1 : $0.2)" }
        if !plan.hasChanges && plan.refusals.isEmpty {
            return text.isEmpty ? "No changes." : "No changes: " + text.joined(separator: ", ") + "."
        }
        return "Plan: " + text.joined(separator: ", ") + "."
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// Up to five items, then how many more.
    public static func listed(_ items: [String]) -> String {
        items.prefix(5).joined(separator: ", ") + (items.count > 5 ? " and \(items.count - 5) more" : "")
    }

    /// A value from a file, quoted and with control characters escaped so it cannot disturb a terminal.
    public static func shown(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80..<0xA0).contains(u.value) {
                    out += "\\u{\(String(u.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
