import Foundation
import SparkProject
import ArgumentParser
import Logging
import SnowflakeClient

/// Connection flags shared by every command that talks to Snowflake. Secrets have no flags:
/// they come from the environment or `connections.toml`, so they never land in shell history.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("connection"), help: "The connections.toml connection to use (default: default_connection_name).")
    var connectionName: String?

    @Option(help: "Account identifier; overrides SNOWFLAKE_ACCOUNT and connections.toml.")
    var account: String?

    @Option(help: "Login name; overrides SNOWFLAKE_USER and connections.toml.")
    var user: String?

    @Option(help: "Database; overrides SNOWFLAKE_DATABASE and connections.toml.")
    var database: String?

    @Option(help: "Schema; overrides SNOWFLAKE_SCHEMA and connections.toml.")
    var schema: String?

    @Option(help: "Warehouse; overrides SNOWFLAKE_WAREHOUSE and connections.toml.")
    var warehouse: String?

    @Option(help: "Role; overrides SNOWFLAKE_ROLE and connections.toml.")
    var role: String?

    @Flag(help: "Allow a password or token over http to a host that is not loopback.")
    var insecure = false

    /// Flags, then `SNOWFLAKE_*` environment variables, then `connections.toml`.
    func resolve() throws -> ConnectionConfig {
        try ConnectionResolver(environment: Invocation.current.environment).resolve(
            connectionName: connectionName,
            overrides: ConnectionSettings(
                account: account, user: user, database: database, schema: schema, warehouse: warehouse, role: role),
            insecure: insecure)
    }
}

struct ConnectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connection", abstract: "Check Snowflake connections.", subcommands: [Test.self])

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Log in, run SELECT CURRENT_VERSION(), and show who and where (never secrets).",
            discussion: """
                Examples:
                  spark connection test                      # default_connection_name, or SNOWFLAKE_* variables
                  spark connection test --connection prod --format json
                """)

        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Output: text or json.") var format: OutputFormat = .text

        struct Report: Encodable {
            var url: String
            var user: String
            var account: String
            var authenticator: String
            var database: String?
            var schema: String?
            var warehouse: String?
            var role: String?
            var snowflakeVersion: String
        }

        func run() async throws {
            do { try await test() } catch { throw fail(error, json: format == .json) }
        }

        func test() async throws {
            let config = try connection.resolve()
            let session = try await SnowflakeSession.connect(config, logger: Logger(label: "spark.connection"))
            let version: String
            do {
                version = try await session.execute("SELECT CURRENT_VERSION()").rows.first?.first??.description ?? "unknown"
            } catch {
                await session.close()
                throw error
            }
            await session.close()
            let info = session.info
            let report = Report(url: "\(config.baseURL)", user: info.user, account: info.account, authenticator: config.authenticator.rawValue,
                                database: info.database, schema: info.schema, warehouse: info.warehouse, role: info.role,
                                snowflakeVersion: version)
            if format == .json {
                print(jsonText(report), terminator: "")
                return
            }
            print("Connected to \(report.url) as \(report.user) (account \(report.account), \(report.authenticator))")
            for (label, value) in [("database", report.database), ("schema", report.schema), ("warehouse", report.warehouse), ("role", report.role)] {
                print("  \(label): \(value ?? "(none)")")
            }
            print("  Snowflake version: \(version)")
        }
    }
}
