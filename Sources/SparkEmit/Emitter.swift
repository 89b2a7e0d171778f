import Foundation
import SparkModel

/// A rendered migration: its file name and its bytes. The CLI writes it; Emit touches no disk.
public struct EmittedMigration: Sendable, Hashable {
    public var fileName: String
    public var contents: String
    public var header: MigrationHeader
    /// The statements, split by ``MigrationFile/statements(in:file:)``.
    public var statements: [MigrationStatement]
}

/// Renders a migration header's changes through the templates.
public enum Emitter {
    /// - Returns: the migration file `V<NNNN>__<description>.sql` and its contents: the header, a
    ///   blank line, then each change's SQL, changes separated by blank lines. Byte-identical for
    ///   identical inputs; there is no timestamp anywhere.
    /// - Throws: `EmitError.badOutput` when a (user) template renders SQL that cannot be split.
    public static func render(_ header: MigrationHeader, templates: TemplateSet) throws -> EmittedMigration {
        var body: [String] = []
        for (index, change) in header.changes.enumerated() {
            let sql = templates.render(change.kind, context(change)).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !sql.isEmpty else { continue }
            body.append(try tagged(sql, change: change, number: index + 1, template: templates.origins[change.kind]!))
        }
        let name = header.name.fileName
        let contents = try MigrationFile.renderHeader(header) + "\n" + body.joined(separator: "\n\n") + "\n"
        let statements = try MigrationFile.statements(in: contents, file: "migrations/" + name)
        return EmittedMigration(fileName: name, contents: contents, header: header, statements: statements)
    }

    /// `sql`, one change's rendered template, with a `-- spark:step N role` line before each
    /// statement: the template's `-- spark:role NAME` line turned into one, or, where the
    /// template names none, the kind's only role. Throws when a role is unknown, missing where the
    /// kind has several, or when the statements leave out a step spark's guards rest on.
    static func tagged(_ sql: String, change: Change, number: Int, template: String) throws -> String {
        func bad(_ line: Int?, _ message: String) -> EmitError {
            .badRoles(template: template, message: (line.map { "line \($0) of its output: " } ?? "") + message)
        }
        let statements: [MigrationStatement]
        do { statements = try MigrationFile.statements(in: sql, file: template) } catch {
            throw EmitError.badOutput(template: template, message: String(describing: error))
        }
        let kindRoles = change.kind.statementRoles
        var lines = sql.components(separatedBy: "\n")
        var roles: [StatementRole] = []
        // Bottom up, so inserting a line keeps the line numbers above it.
        for (i, s) in statements.enumerated().reversed() {
            if i > 0 && statements[i - 1].line == s.line { throw bad(s.line, "two statements start on one line; start each on its own") }
            if let r = s.role {
                guard let role = StatementRole(rawValue: r.name), role == .custom || kindRoles.contains(role) else {
                    throw bad(r.line, "`-- spark:role \(r.name)` is not a role of a \(change.kind.rawValue) statement; use one of \((kindRoles.map(\.rawValue) + ["custom"]).joined(separator: ", "))")
                }
                lines[r.line - 1] = StatementTag(change: number, role: role).line
                roles.append(role)
            } else {
                guard kindRoles.count == 1 else {
                    throw bad(s.line, "the statement has no `-- spark:role` line before it; a \(change.kind.rawValue) template names each statement's role: \((kindRoles.map(\.rawValue) + ["custom"]).joined(separator: ", "))")
                }
                let indent = lines[s.line - 1].prefix { $0 == " " || $0 == "\t" }
                lines.insert(String(indent) + StatementTag(change: number, role: kindRoles[0]).line, at: s.line - 1)
                roles.append(kindRoles[0])
            }
        }
        if let problem = change.problem(withRoles: roles.reversed()) { throw bad(nil, problem) }
        return lines.joined(separator: "\n")
    }

    /// The values a change's template sees. Identifiers arrive quoted, strings as literals.
    static func context(_ change: Change) -> [String: Any] {
        let q = SQLText.qualified, lit = SQLText.literal
        switch change {
        case let .createDatabase(c):
            return ["database": q([c.database])]
        case let .createSchema(c):
            return ["schema": q([c.database, c.schema]),
                    "comment": lit("spark: client \(c.client), platform \(c.platform), year \(c.year)")]
        case let .createTable(c):
            let cols: [[String: Any]] = c.columns.enumerated().map { i, col in
                var d: [String: Any] = ["name": q([col.name]), "type": col.type.description, "last": i == c.columns.count - 1]
                if let e = col.defaultExpression { d["default"] = e }
                if let p = col.provenance { d["comment"] = lit(columnComment(p)) }
                return d
            }
            return ["table": q([c.table.database, c.table.schema, c.table.table]), "columns": cols]
        case let .createFileFormat(c):
            return ["fileFormat": q([c.database, c.schema, c.name])]
        case let .createStage(c):
            return ["stage": q([c.database, c.schema, c.name]),
                    "fileFormatName": lit(q([c.database, c.schema, c.fileFormat]))]
        case let .createRole(c):
            return ["role": q([c.role]), "comment": lit("spark: \(c.access.rawValue) role for schema \(c.schema)")]
        case let .grant(g):
            let objectType: String = switch g.object {
            case .database: "DATABASE"
            case .schema: "SCHEMA"
            case .allTables: "ALL TABLES IN SCHEMA"
            case .futureTables: "FUTURE TABLES IN SCHEMA"
            case .stage: "STAGE"
            case .fileFormat: "FILE FORMAT"
            case .role: "ROLE"
            }
            return ["isRole": g.object == .role, "privileges": g.privileges.joined(separator: ", "),
                    "objectType": objectType, "object": q(g.objectName), "role": q([g.role])]
        case let .addColumn(c):
            var d: [String: Any] = ["table": tableName(c.table), "column": q([c.column.name]), "type": c.column.type.description]
            if let p = c.column.provenance { d["comment"] = lit(columnComment(p)) } else { d["comment"] = lit("spark") }
            return d
        case let .widenColumn(c):
            return ["table": tableName(c.table), "column": q([c.column]), "from": c.from.description, "to": c.to.description]
        case let .rewriteColumn(c):
            return ["table": tableName(c.table), "column": q([c.column]), "temporary": q([c.temporaryName]),
                    "from": c.from.description, "to": c.to.description]
        case let .keepColumn(c):
            return ["table": tableName(c.table), "columnName": SQLText.comment(c.column), "file": SQLText.comment(c.file)]
        case let .skipFile(s):
            return ["file": SQLText.comment(s.path), "sha256": s.sha256, "plannedIn": SQLText.comment(s.plannedIn)]
        case let .grantRoleToUser(g), let .revokeRoleFromUser(g):
            return ["role": q([g.role]), "user": q([g.user]), "schema": q([g.database, g.schema])]
        case let .dropSchema(d):
            return ["schema": q([d.database, d.schema]), "roles": d.roles.map { ["role": q([$0])] }]
        case let .loadFile(l):
            let stage = q([l.table.database, l.table.schema, l.stage])
            let canonicalFolder = l.stagePath.split(separator: "/").dropLast().joined(separator: "/") + "/"
            let names = String(decoding: (try? JSONEncoder().encode(l.columns.map(\.column))) ?? Data(), as: UTF8.self)
            return [
                "table": tableName(l.table),
                "stage": stage,
                "canonicalFile": lit("file://" + l.canonicalPath),
                "canonicalFolder": canonicalFolder,
                "rawFile": lit("file://" + l.path),
                "rawFolder": l.rawStageFolder,
                "stagePath": l.stagePath,
                "columns": l.copyColumns.map { q([$0]) }.joined(separator: ", "),
                "fileFormatName": lit(q([l.table.database, l.table.schema, l.fileFormat])),
                "log": q([l.table.database, l.table.schema, TableKind.processingLog.tableName]),
                "tableName": lit(l.table.table),
                "wave": String(l.wave),
                "fileName": lit(l.path),
                "sha256": lit(l.sha256),
                "columnCount": String(l.columns.count),
                "rowCount": String(l.rows),
                "columnNames": lit(names),
                "summaryRows": String(l.summaryRows?.count ?? 0),
                "rejectedRows": String(l.rejects?.rows ?? 0),
                "keysUnmatched": String(l.keysUnmatched ?? 0),
                "rejectsFile": l.rejects.map { lit("file://" + $0.path) } ?? false,
                "rejectsFolder": RejectsFile.stageFolder(sourceSHA256: l.sha256),
            ]
        }
    }

    static func tableName(_ t: TableRef) -> String { SQLText.qualified([t.database, t.schema, t.table]) }

    static func columnComment(_ p: Provenance) -> String {
        "source header: \(p.rawHeader); first file: \(p.firstFile); first wave: \(p.firstWave)"
    }
}
