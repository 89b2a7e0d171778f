import GRDB
import SparkModel

/// The questions the commands ask of the state besides the planner's (``StateTransaction/load(database:schema:)``).

/// A client schema as `spark schemas` lists it from state.sqlite.
public struct SchemaSummary: Sendable, Hashable {
    public var database: String
    public var schema: String
    public var client: String
    public var platform: String
    public var year: Int
    /// Each table and how many columns it has, by name.
    public var tables: [(name: String, columns: Int)]
    public var waves: [Int]
    public var files: Int
    public var users: [(user: String, role: String, access: String)]

    public static func == (a: SchemaSummary, b: SchemaSummary) -> Bool {
        a.database == b.database && a.schema == b.schema && a.client == b.client && a.platform == b.platform && a.year == b.year
            && a.tables.elementsEqual(b.tables, by: ==) && a.waves == b.waves && a.files == b.files && a.users.elementsEqual(b.users, by: ==)
    }

    public func hash(into h: inout Hasher) {
        h.combine(database)
        h.combine(schema)
    }
}

/// Who a schema was planned for: its client, platform and year.
public struct SchemaIdentity: Sendable, Hashable {
    public var client: String
    public var platform: String
    public var year: Int
}

extension StateTransaction {
    /// Each migration's file name and the database its header names, in version order.
    public func migrationDatabases() throws -> [(file: String, database: String)] {
        try Row.fetchAll(db, sql: "SELECT file_name, database FROM migrations ORDER BY version").map { (file: $0[0], database: $0[1]) }
    }

    /// The highest version recorded, 0 when none.
    public func latestVersion() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT MAX(version) FROM migrations") ?? 0
    }

    /// Who `database`.`name` was planned for; nil when the state does not know the schema.
    public func schemaIdentity(database: String, name: String) throws -> SchemaIdentity? {
        try Row.fetchOne(db, sql: "SELECT client, platform, year FROM schemas WHERE database = ? AND name = ?", arguments: [database, name]).map {
            SchemaIdentity(client: $0["client"], platform: $0["platform"], year: $0["year"])
        }
    }

    /// The roles planned for a schema, with their access (`rw` or `ro`).
    public func roles(database: String, schema: String) throws -> [(name: String, access: String)] {
        try Row.fetchAll(db, sql: "SELECT name, access FROM roles WHERE database = ? AND schema = ?", arguments: [database, schema])
            .map { (name: $0["name"], access: $0["access"]) }
    }

    /// Whether a migration already granted `role` to `user`.
    public func isGranted(role: String, user: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM user_grants WHERE role = ? AND user = ?)", arguments: [role, user]) ?? false
    }
}

extension StateStore {
    /// The targets state.sqlite has a copy of the history of.
    public func appliedTargets() throws -> [String] {
        try queue.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT target FROM applied_migrations ORDER BY target") }
    }

    /// Every target's record of the migrations from `version` on: what `spark discard` must not remove.
    public func applied(fromVersion version: Int) throws -> [(target: String, version: Int, status: String)] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT target, version, status FROM applied_migrations WHERE version >= ? ORDER BY version, target",
                             arguments: [version]).map { (target: $0["target"], version: $0["version"], status: $0["status"]) }
        }
    }

    /// The client schemas state.sqlite knows, by database and name, with their tables, waves, files and users.
    public func schemaSummaries() throws -> [SchemaSummary] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT database, name, client, platform, year FROM schemas ORDER BY database, name").map { r in
                let (database, schema): (String, String) = (r["database"], r["name"])
                let args: StatementArguments = [database, schema]
                let tables = try Row.fetchAll(db, sql: """
                    SELECT t.name, (SELECT COUNT(*) FROM columns c WHERE c.database = t.database AND c.schema = t.schema AND c.table_name = t.name) AS n
                    FROM tables t WHERE t.database = ? AND t.schema = ? ORDER BY t.name
                    """, arguments: args).map { (name: $0["name"] as String, columns: $0["n"] as Int) }
                let waves = try Int.fetchAll(db, sql: "SELECT DISTINCT wave FROM files WHERE database = ? AND schema = ? ORDER BY wave", arguments: args)
                let files = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM files WHERE database = ? AND schema = ?", arguments: args) ?? 0
                let users = try Row.fetchAll(db, sql: "SELECT user, role, access FROM user_grants WHERE database = ? AND schema = ? ORDER BY user, role",
                                             arguments: args).map { (user: $0["user"] as String, role: $0["role"] as String, access: $0["access"] as String) }
                return SchemaSummary(database: database, schema: schema, client: r["client"], platform: r["platform"], year: r["year"],
                                     tables: tables, waves: waves, files: files, users: users)
            }
        }
    }

    /// Who each schema of `database` was planned for, by schema name.
    public func schemaIdentities(database: String) throws -> [String: SchemaIdentity] {
        try queue.read { db in
            var out: [String: SchemaIdentity] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT name, client, platform, year FROM schemas WHERE database = ?", arguments: [database]) {
                out[r["name"]] = SchemaIdentity(client: r["client"], platform: r["platform"], year: r["year"])
            }
            return out
        }
    }

    /// Adds naming keys to a schema's record directly, as a planned naming-keys load would; for
    /// setting up large states quickly (the benchmarks).
    public func addNamingKeys(database: String, schema: String, _ values: some Sequence<String>) throws {
        try queue.write { db in
            let insert = try db.makeStatement(sql: "INSERT INTO naming_key_values (database, schema, value) VALUES (?, ?, ?)")
            for value in values { try insert.execute(arguments: [database, schema, value]) }
        }
    }
}

/// One file a migration loads, as state.sqlite records it, with what the targets did with it.
public struct PlannedFile: Sendable {
    public var database: String
    public var schema: String
    public var client: String
    public var platform: String
    public var year: Int
    public var table: String
    public var path: String
    public var wave: Int
    public var rows: Int
    public var sha256: String
    /// The migration that loads it.
    public var version: Int
    public var migration: String
    /// The statuses (`APPLIED`, `FAILED`, …) of that migration on the targets spark applied it to.
    public var appliedStatuses: [String]
}

extension StateStore {
    /// Every planned file, by client, platform, year, wave and path.
    public func plannedFiles() throws -> [PlannedFile] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT f.database, f.schema, s.client, s.platform, s.year, f.table_name, f.path, f.wave, f.rows, f.sha256, f.version,
                       COALESCE(m.file_name, '') AS file_name,
                       (SELECT GROUP_CONCAT(a.status, ',') FROM applied_migrations a WHERE a.version = f.version) AS statuses
                FROM files f JOIN schemas s ON s.database = f.database AND s.name = f.schema
                LEFT JOIN migrations m ON m.version = f.version
                ORDER BY s.client, s.platform, s.year, f.wave, f.path
                """).map { r in
                PlannedFile(database: r["database"], schema: r["schema"], client: r["client"], platform: r["platform"], year: r["year"],
                            table: r["table_name"], path: r["path"], wave: r["wave"], rows: r["rows"], sha256: r["sha256"],
                            version: r["version"], migration: r["file_name"],
                            appliedStatuses: ((r["statuses"] as String?) ?? "").split(separator: ",").map(String.init).sorted())
            }
        }
    }
}
