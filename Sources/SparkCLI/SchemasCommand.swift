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

    func run() async throws {
        do {
            // A named connection must resolve; without one, schemas falls back to state.sqlite.
            let config = connection.connectionName == nil ? try? connection.resolve() : try connection.resolve()
            print(try render(try await project.layout.schemas(connection: config)), terminator: "")
        } catch {
            throw fail(error, json: format == .json)
        }
    }

    func render(_ report: SchemasReport) throws -> String {
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
