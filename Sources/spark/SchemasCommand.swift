import ArgumentParser
import Foundation
import SparkProject
import Logging
import SnowflakeClient
import SparkModel
import SparkState

struct SchemasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemas",
        abstract: "List the client schemas: tables, column counts, waves, files and users.",
        discussion: """
            Without a connection it reads state.sqlite: what the migrations in migrations/ describe \
            (files planned, users granted by `spark grant`). With --connection (or SNOWFLAKE_* \
            variables) it reads the live target: the CLIENT_% schemas of the project's database in \
            INFORMATION_SCHEMA, their tables and column counts, and the files and waves each \
            schema's PROCESSING_LOG records as loaded. Grants to users are not read from the target.

            Examples:
              spark schemas
              spark schemas --format json
              spark schemas --connection prod
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Output: text (an aligned table) or json.") var format: OutputFormat = .text

    struct Table: Encodable, Equatable {
        var name: String
        var columns: Int
    }

    struct UserRole: Encodable, Equatable {
        var user: String
        var role: String
        var access: String
    }

    struct Schema: Encodable {
        var database: String
        var schema: String
        var client: String?
        var platform: String?
        var year: Int?
        var tables: [Table]
        var columns: Int
        var waves: [Int]
        /// State: files planned; target: files PROCESSING_LOG records as loaded.
        var files: Int
        /// nil when read from the target.
        var users: [UserRole]?
    }

    struct Report: Encodable {
        /// `state.sqlite` or the target's URL and database.
        var source: String
        var schemas: [Schema]
    }

    func run() async throws {
        do {
            try project.layout.requireProject()
            let report: Report
            // A named connection must resolve; without one, schemas falls back to state.sqlite.
            if let config = connection.connectionName == nil ? try? connection.resolve() : try connection.resolve() {
                report = try await live(config)
            } else {
                report = try fromState()
            }
            print(try render(report), terminator: "")
        } catch {
            throw fail(error, json: format == .json)
        }
    }

    func fromState() throws -> Report {
        guard FileManager.default.fileExists(atPath: project.statePath) else {
            throw ProjectError(file: project.statePath, line: 1, message: "no state.sqlite",
                               hint: "plan a wave first (`spark plan …`), run `spark state rebuild` if migrations/ came from git, or pass --connection to read the target")
        }
        let schemas = try StateStore(path: project.statePath).schemaSummaries().map { s in
            let tables = s.tables.map { Table(name: $0.name, columns: $0.columns) }
            return Schema(database: s.database, schema: s.schema, client: s.client, platform: s.platform, year: s.year,
                          tables: tables, columns: tables.reduce(0) { $0 + $1.columns }, waves: s.waves, files: s.files,
                          users: s.users.map { UserRole(user: $0.user, role: $0.role, access: $0.access) })
        }
        return Report(source: "state.sqlite", schemas: schemas)
    }

    func live(_ config: ConnectionConfig) async throws -> Report {
        let database = try project.layout.settings().database
        let session = try await SnowflakeSession.connect(config, logger: Logger(label: "spark.schemas"))
        do {
            let report = try await live(session, database: database, source: ApplyCommand.targetName(config, database))
            await session.close()
            return report
        } catch {
            await session.close()
            throw error
        }
    }

    func live(_ session: SnowflakeSession, database: String, source: String) async throws -> Report {
        let info = SQLText.qualified([database, "INFORMATION_SCHEMA"])
        let names = try await session.execute("""
            SELECT SCHEMA_NAME FROM \(info).SCHEMATA WHERE LEFT(SCHEMA_NAME, 7) = 'CLIENT_' ORDER BY SCHEMA_NAME
            """).rows.compactMap { $0.first??.description }
        var tables: [String: [Table]] = [:]
        for row in try await session.execute("""
            SELECT TABLE_SCHEMA, TABLE_NAME, COUNT(*) FROM \(info).COLUMNS WHERE LEFT(TABLE_SCHEMA, 7) = 'CLIENT_'
            GROUP BY TABLE_SCHEMA, TABLE_NAME ORDER BY TABLE_SCHEMA, TABLE_NAME
            """).rows {
            guard row.count == 3, let schema = row[0]?.description, let table = row[1]?.description,
                  let n = row[2].flatMap({ Int($0.description) }) else { continue }
            tables[schema, default: []].append(Table(name: table, columns: n))
        }
        // Client, platform and year as state.sqlite recorded them, when it knows the schema.
        var known: [String: (String, String, Int)] = [:]
        if FileManager.default.fileExists(atPath: project.statePath) {
            for (name, identity) in try StateStore(path: project.statePath).schemaIdentities(database: database) {
                known[name] = (identity.client, identity.platform, identity.year)
            }
        }
        var schemas: [Schema] = []
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
            let parts = known[name] ?? Self.parse(name)
            schemas.append(Schema(database: database, schema: name, client: parts?.0, platform: parts?.1, year: parts?.2, tables: own,
                                  columns: own.reduce(0) { $0 + $1.columns }, waves: waves, files: files, users: nil))
        }
        return Report(source: source, schemas: schemas)
    }

    /// `CLIENT_BYD_META_2024` → (BYD, META, 2024). A client with `_` in its name is read as such;
    /// a platform with one cannot be told apart, which is why state.sqlite's record wins.
    static func parse(_ schema: String) -> (String, String, Int)? {
        let parts = schema.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 4, parts[0] == "CLIENT", let year = Int(parts[parts.count - 1]), (1000...9999).contains(year) else { return nil }
        return (parts[1..<(parts.count - 2)].joined(separator: "_"), parts[parts.count - 2], year)
    }

    func render(_ report: Report) throws -> String {
        if format == .json {
            return jsonText(report)
        }
        guard !report.schemas.isEmpty else {
            return "No client schemas in \(report.source).\n"
        }
        let header = ["SCHEMA", "CLIENT", "PLATFORM", "YEAR", "TABLES", "COLUMNS", "WAVES", "FILES", "USERS"]
        let rows = report.schemas.map { s -> [String] in
            [s.schema, s.client ?? "?", s.platform ?? "?", s.year.map(String.init) ?? "?", String(s.tables.count), String(s.columns),
             s.waves.isEmpty ? "-" : s.waves.map(String.init).joined(separator: ","), String(s.files),
             s.users.map { $0.isEmpty ? "-" : $0.map { "\($0.user) (\($0.access))" }.joined(separator: ", ") } ?? "(not read)"]
        }
        let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ") + "\n"
        }
        let files = report.source == "state.sqlite" ? "FILES counts files planned; run with --connection for what the target loaded." : "FILES counts files the target's PROCESSING_LOG records as loaded."
        return "Client schemas in \(report.source):\n\n" + line(header) + rows.map(line).joined() + "\n" + files + "\n"
    }
}
