import Foundation
import GRDB
import SparkModel

extension StateTransaction {
    /// Records a written migration: applies its header's changes to the state.
    ///
    /// `spark plan` and `spark state rebuild` both come through here, which is what makes a
    /// rebuilt state equal to the planned one.
    /// - Parameters:
    ///   - fileName: the migration's file name, for the record and for error messages.
    ///   - checksum: the file's spark.sum chain hash, which pins its bytes and every migration before it.
    public func record(header: MigrationHeader, fileName: String, checksum: String) throws {
        func conflict(_ message: String) -> StateError { .conflict(file: "migrations/" + fileName, message: message) }
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM migrations WHERE version = ?)", arguments: [header.version]) ?? false {
            throw conflict("version \(header.version) is already recorded")
        }
        let v = header.version
        for change in header.changes {
            switch change {
            case let .createDatabase(c):
                try db.execute(sql: "INSERT OR IGNORE INTO databases (name) VALUES (?)", arguments: [c.database])
            case let .createSchema(c):
                try db.execute(sql: "INSERT OR IGNORE INTO databases (name) VALUES (?)", arguments: [c.database])
                guard try !exists("schemas", "database = ? AND name = ?", [c.database, c.schema]) else {
                    throw conflict("schema \(c.schema) is created a second time")
                }
                try db.execute(sql: "INSERT INTO schemas (database, name, client, platform, year, first_version, client_name) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: [c.database, c.schema, c.client, c.platform, c.year, v, c.clientName])
            case let .createTable(c):
                guard try !exists("tables", "database = ? AND schema = ? AND name = ?", [c.table.database, c.table.schema, c.table.table]) else {
                    throw conflict("table \(c.table.table) is created a second time")
                }
                try db.execute(sql: "INSERT INTO tables (database, schema, name, kind, first_version) VALUES (?, ?, ?, ?, ?)",
                               arguments: [c.table.database, c.table.schema, c.table.table, c.kind.rawValue, v])
                for (i, col) in c.columns.enumerated() {
                    try insertColumn(table: c.table, column: col, position: i + 1)
                }
            case let .createFileFormat(c):
                try db.execute(sql: "INSERT OR REPLACE INTO file_formats (database, schema, name) VALUES (?, ?, ?)",
                               arguments: [c.database, c.schema, c.name])
            case let .createStage(c):
                try db.execute(sql: "INSERT OR REPLACE INTO stages (database, schema, name, file_format) VALUES (?, ?, ?, ?)",
                               arguments: [c.database, c.schema, c.name, c.fileFormat])
            case let .createRole(c):
                try db.execute(sql: "INSERT OR REPLACE INTO roles (name, database, schema, access, parent_role) VALUES (?, ?, ?, ?, ?)",
                               arguments: [c.role, header.database, c.schema, c.access.rawValue, c.parentRole])
            case let .grant(g):
                try db.execute(sql: "INSERT OR IGNORE INTO grants (role, privileges, object, object_name) VALUES (?, ?, ?, ?)",
                               arguments: [g.role, g.privileges.joined(separator: ","), g.object.rawValue, g.objectName.joined(separator: ".")])
            case let .addColumn(c):
                guard try !exists("columns", "database = ? AND schema = ? AND table_name = ? AND name = ?",
                                  [c.table.database, c.table.schema, c.table.table, c.column.name]) else {
                    throw conflict("column \(c.table.table).\(c.column.name) is added a second time")
                }
                let next = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(position), 0) + 1 FROM columns WHERE database = ? AND schema = ? AND table_name = ?",
                                            arguments: [c.table.database, c.table.schema, c.table.table]) ?? 1
                try insertColumn(table: c.table, column: c.column, position: next)
            case let .widenColumn(c):
                try updateType(table: c.table, column: c.column, to: c.to, conflict: conflict)
            case let .rewriteColumn(c):
                try updateType(table: c.table, column: c.column, to: c.to, conflict: conflict)
                // ADD + DROP + RENAME leaves the column last, as Snowflake does.
                try db.execute(sql: "UPDATE columns SET position = 1000000 WHERE database = ? AND schema = ? AND table_name = ? AND name = ?",
                               arguments: [c.table.database, c.table.schema, c.table.table, c.column])
                let names = try String.fetchAll(db, sql: "SELECT name FROM columns WHERE database = ? AND schema = ? AND table_name = ? ORDER BY position",
                                                arguments: [c.table.database, c.table.schema, c.table.table])
                for (i, name) in names.enumerated() {
                    try db.execute(sql: "UPDATE columns SET position = ? WHERE database = ? AND schema = ? AND table_name = ? AND name = ?",
                                   arguments: [i + 1, c.table.database, c.table.schema, c.table.table, name])
                }
            case .keepColumn, .skipFile:
                break
            case let .grantRoleToUser(g):
                guard try exists("roles", "name = ? AND database = ? AND schema = ?", [g.role, g.database, g.schema]) else {
                    throw conflict("role \(g.role) is granted to user \(g.user) but no migration created it")
                }
                guard try !exists("user_grants", "role = ? AND user = ?", [g.role, g.user]) else {
                    throw conflict("role \(g.role) is granted to user \(g.user) a second time")
                }
                try db.execute(sql: "INSERT INTO user_grants (database, schema, role, access, user, version) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [g.database, g.schema, g.role, g.access.rawValue, g.user, v])
            case let .revokeRoleFromUser(g):
                try db.execute(sql: "DELETE FROM user_grants WHERE role = ? AND user = ?", arguments: [g.role, g.user])
                guard db.changesCount == 1 else { throw conflict("role \(g.role) is revoked from user \(g.user) but was never granted") }
            case let .dropSchema(d):
                try dropSchema(d, conflict: conflict)
            case let .loadFile(l):
                let names = String(decoding: try JSONEncoder().encode(l.columns.map(\.column)), as: UTF8.self)
                try db.execute(sql: """
                    INSERT INTO files (database, schema, sha256, table_name, path, wave, rows, column_names, version, fingerprint)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [l.table.database, l.table.schema, l.sha256, l.table.table, l.path, l.wave, l.rows, names, v, l.fingerprint])
                for col in l.columns {
                    try db.execute(sql: """
                        UPDATE columns SET max_integer_digits = MAX(max_integer_digits, ?), max_scale = MAX(max_scale, ?),
                               max_length = MAX(max_length, ?)
                        WHERE database = ? AND schema = ? AND table_name = ? AND name = ?
                        """, arguments: [col.facts.maxIntegerDigits, col.facts.maxScale, col.facts.maxLength,
                                         l.table.database, l.table.schema, l.table.table, col.column])
                }
                for key in l.namingKeys ?? [] {
                    try db.execute(sql: "INSERT OR IGNORE INTO naming_key_values (database, schema, value) VALUES (?, ?, ?)",
                                   arguments: [l.table.database, l.table.schema, key])
                }
            }
        }
        try db.execute(sql: "INSERT INTO migrations (version, file_name, checksum, database, schema, wave) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [v, fileName, checksum, header.database, header.schema, header.wave])
    }

    /// Forgets the schema and everything in it, so a later plan for the client starts from nothing.
    private func dropSchema(_ d: DropSchema, conflict: (String) -> StateError) throws {
        try db.execute(sql: "DELETE FROM schemas WHERE database = ? AND name = ?", arguments: [d.database, d.schema])
        guard db.changesCount == 1 else { throw conflict("schema \(d.schema) is dropped but no migration created it") }
        for table in ["tables", "columns", "stages", "file_formats", "files", "row_hashes", "naming_key_values", "user_grants"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE database = ? AND schema = ?", arguments: [d.database, d.schema])
        }
        let roles = Set(d.roles).union(try String.fetchAll(db, sql: "SELECT name FROM roles WHERE database = ? AND schema = ?",
                                                           arguments: [d.database, d.schema]))
        for role in roles.sorted() {
            try db.execute(sql: "DELETE FROM roles WHERE name = ?", arguments: [role])
            try db.execute(sql: "DELETE FROM grants WHERE role = ? OR (object = 'role' AND object_name = ?)", arguments: [role, role])
        }
        // Grants on the schema's objects to any other role.
        let prefix = d.database + "." + d.schema
        try db.execute(sql: "DELETE FROM grants WHERE object_name = ? OR substr(object_name, 1, ?) = ?",
                       arguments: [prefix, prefix.count + 1, prefix + "."])
    }

    private func exists(_ table: String, _ condition: String, _ args: StatementArguments) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE \(condition))", arguments: args) ?? false
    }

    private func insertColumn(table: TableRef, column: SparkModel.ColumnDefinition, position: Int) throws {
        try db.execute(sql: """
            INSERT INTO columns (database, schema, table_name, name, position, type, default_expression, raw_header, first_file, first_wave)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [table.database, table.schema, table.table, column.name, position, column.type.description,
                             column.defaultExpression, column.provenance?.rawHeader, column.provenance?.firstFile,
                             column.provenance?.firstWave])
    }

    private func updateType(table: TableRef, column: String, to: SnowflakeType,
                                   conflict: (String) -> StateError) throws {
        try db.execute(sql: "UPDATE columns SET type = ? WHERE database = ? AND schema = ? AND table_name = ? AND name = ?",
                       arguments: [to.description, table.database, table.schema, table.table, column])
        guard db.changesCount == 1 else { throw conflict("column \(table.table).\(column) changes type but was never created") }
    }
}
