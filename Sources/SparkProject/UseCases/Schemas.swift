import Foundation
import Logging
import SnowflakeClient
import SparkModel
import SparkState

/// What `spark schemas` lists: the client schemas, from state.sqlite or the live target.
public struct SchemasReport: Encodable, Sendable {
    public struct Table: Encodable, Equatable, Sendable {
        public var name: String
        public var columns: Int
    }

    public struct UserRole: Encodable, Equatable, Sendable {
        public var user: String
        public var role: String
        public var access: String
    }

    public struct Schema: Encodable, Sendable {
        public var database: String
        public var schema: String
        public var client: String?
        public var platform: String?
        public var year: Int?
        public var tables: [Table]
        public var columns: Int
        public var waves: [Int]
        /// State: files planned; target: files PROCESSING_LOG records as loaded.
        public var files: Int
        /// nil when read from the target.
        public var users: [UserRole]?
    }

    /// `state.sqlite` or the target's URL and database.
    public var source: String
    public var schemas: [Schema]
}

extension Project {
    /// `spark schemas`: the client schemas with their tables, column counts, waves, files and
    /// users. With a connection, read from the target's INFORMATION_SCHEMA and PROCESSING_LOGs;
    /// without one, from state.sqlite.
    public func schemas(connection config: ConnectionConfig?) async throws -> SchemasReport {
        try requireProject()
        if let config { return try await liveSchemas(config) }
        return try schemasFromState()
    }

    /// The client schemas as state.sqlite records them.
    public func schemasFromState() throws -> SchemasReport {
        guard FileManager.default.fileExists(atPath: statePath) else {
            throw Diagnostic.project(file: statePath, line: 1, message: "no state.sqlite",
                               hint: "plan a wave first (`spark plan …`), run `spark state rebuild` if migrations/ came from git, or pass --connection to read the target")
        }
        let schemas = try StateStore(path: statePath).schemaSummaries().map { s in
            let tables = s.tables.map { SchemasReport.Table(name: $0.name, columns: $0.columns) }
            return SchemasReport.Schema(database: s.database, schema: s.schema, client: s.client, platform: s.platform, year: s.year,
                          tables: tables, columns: tables.reduce(0) { $0 + $1.columns }, waves: s.waves, files: s.files,
                          users: s.users.map { SchemasReport.UserRole(user: $0.user, role: $0.role, access: $0.access) })
        }
        return SchemasReport(source: "state.sqlite", schemas: schemas)
    }

    private func liveSchemas(_ config: ConnectionConfig) async throws -> SchemasReport {
        let database = try settings().database
        return try await SnowflakeSession.withSession(config, label: "spark.schemas") { session in
            try await Self.liveSchemas(session, statePath: statePath, database: database, source: Project.targetName(config, database))
        }
    }

    private static func liveSchemas(_ session: SnowflakeSession, statePath: String, database: String, source: String) async throws -> SchemasReport {
        let info = SQLText.qualified([database, "INFORMATION_SCHEMA"])
        let names = try await session.execute("""
            SELECT SCHEMA_NAME FROM \(info).SCHEMATA WHERE LEFT(SCHEMA_NAME, 7) = 'CLIENT_' ORDER BY SCHEMA_NAME
            """).rows.compactMap { $0.first??.description }
        var tables: [String: [SchemasReport.Table]] = [:]
        for row in try await session.execute("""
            SELECT TABLE_SCHEMA, TABLE_NAME, COUNT(*) FROM \(info).COLUMNS WHERE LEFT(TABLE_SCHEMA, 7) = 'CLIENT_'
            GROUP BY TABLE_SCHEMA, TABLE_NAME ORDER BY TABLE_SCHEMA, TABLE_NAME
            """).rows {
            guard row.count == 3, let schema = row[0]?.description, let table = row[1]?.description,
                  let n = row[2].flatMap({ Int($0.description) }) else { continue }
            tables[schema, default: []].append(SchemasReport.Table(name: table, columns: n))
        }
        // Client, platform and year as state.sqlite recorded them, when it knows the schema.
        var known: [String: (String, String, Int)] = [:]
        if FileManager.default.fileExists(atPath: statePath) {
            for (name, identity) in try StateStore(path: statePath).schemaIdentities(database: database) {
                known[name] = (identity.client, identity.platform, identity.year)
            }
        }
        var schemas: [SchemasReport.Schema] = []
        for name in names {
            let own = tables[name] ?? []
            var waves: [Int] = []
            var files = 0
            if own.contains(where: { $0.name == TableKind.processingLog.tableName }) {
                let log = SQLText.qualified([database, name, TableKind.processingLog.tableName])
                waves = try await session.execute("SELECT DISTINCT \"WAVE\" FROM \(log) WHERE \"STATUS\" = 'LOADED' ORDER BY \"WAVE\"")
                    .rows.compactMap { $0.first??.description }.compactMap { Int($0) }
                let count = try await session.execute("SELECT COUNT(DISTINCT \"FILE_SHA256\") FROM \(log) WHERE \"STATUS\" = 'LOADED'")
                files = (count.rows.first?.first??.description).flatMap { Int($0) } ?? 0
            }
            let parts = known[name] ?? parseSchemaName(name)
            schemas.append(SchemasReport.Schema(database: database, schema: name, client: parts?.0, platform: parts?.1, year: parts?.2, tables: own,
                                  columns: own.reduce(0) { $0 + $1.columns }, waves: waves, files: files, users: nil))
        }
        return SchemasReport(source: source, schemas: schemas)
    }

    /// `CLIENT_BYD_META_2024` → (BYD, META, 2024). A client with `_` in its name is read as such;
    /// a platform with one cannot be told apart, which is why state.sqlite's record wins.
    public static func parseSchemaName(_ schema: String) -> (String, String, Int)? {
        let parts = schema.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 4, parts[0] == "CLIENT", let year = Int(parts[parts.count - 1]), (1000...9999).contains(year) else { return nil }
        return (parts[1..<(parts.count - 2)].joined(separator: "_"), parts[parts.count - 2], year)
    }
}
