import ArgumentParser
import Foundation
import SparkProject
import Logging
import SnowflakeClient
import SparkExecute
import SparkModel
import SparkState

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show pending, applied and failed migrations, the lock holder and the last error.",
        discussion: """
            With a connection it reads the target's SPARK_HISTORY and lock; without one it shows what \
            state.sqlite recorded at the last apply of each target.

            Examples:
              spark status --connection prod
              spark status --format json
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Output: text or json.")
    var format: OutputFormat = .text

    @OptionGroup var history: HistorySchemaOption

    func run() async throws {
        // Errors print as every spark command prints them: file:line, message, hint.
        do { try await status() } catch let e as ExitCode { throw e } catch { throw fail(error, json: format == .json) }
    }

    func status() async throws {
        // A named connection must resolve; without one, status falls back to state.sqlite.
        let config = connection.connectionName == nil ? try? connection.resolve() : try connection.resolve()
        let reports = try await project.layout.status(connection: config, historySchema: history.historySchema)
        if format == .json {
            print(jsonText(reports), terminator: "")
            return
        }
        for r in reports {
            print("target \(r.target)")
            if let holder = r.lockHolder { print("  locked by \(holder)") }
            for e in r.migrations {
                print("  \(e.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(e.file)  \(e.statements)")
                if let error = e.error { print("           last error: \(error)") }
            }
        }
    }
}
