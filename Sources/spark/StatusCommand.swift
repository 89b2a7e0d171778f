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

    struct Entry: Encodable {
        var version: Int
        var file: String
        var status: String
        var statementsApplied: Int
        var statementsTotal: Int
        var failedStatement: Int?
        var error: String?

        /// `12/25 (failed at statement 13)`.
        var statements: String {
            "\(statementsApplied)/\(statementsTotal)" + (failedStatement.map { " (failed at statement \($0))" } ?? "")
        }
    }

    struct Report: Encodable {
        var target: String
        var lockHolder: String?
        var migrations: [Entry]
    }

    func run() async throws {
        // Errors print as every spark command prints them: file:line, message, hint.
        do { try await status() } catch let e as ExitCode { throw e } catch { throw fail(error, json: format == .json) }
    }

    func status() async throws {
        let migrations = try project.layout.loadVerifiedMigrations()
        let settings = try project.layout.settings()
        var reports: [Report] = []
        // A named connection must resolve; without one, status falls back to state.sqlite.
        if let config = connection.connectionName == nil ? try? connection.resolve() : try connection.resolve() {
            let session = try await SnowflakeSession.connect(config, logger: Logger(label: "spark.status"))
            let driver = SnowflakeDriver(session: session)
            var apply = ApplySettings(database: settings.database, holder: ApplyCommand.holder(snowflakeUser: config.user), projectRoot: project.root, nullMarkers: [])
            let historySchema = try history.resolve(project)
            apply.historySchema = historySchema
            apply.projectId = try project.layout.config().projectId
            let applier = Applier(driver: driver, migrations: migrations, settings: apply, reporter: ApplyProgress(json: true, dryRun: true))
            let history = try await applier.history()
            do { try applier.checkProject(history) } catch {
                await session.close()
                throw error
            }
            let lock = try? await applier.lockHolders().first
            await session.close()
            let target = ApplyCommand.targetName(config, settings.database)
            try? StateStore(path: project.statePath).recordApplied(target: target, history)
            reports.append(report(target: target, history: history, migrations: migrations,
                                  lock: lock.map(\.described)))
        } else {
            let store = try StateStore(path: project.statePath)
            let targets = try store.appliedTargets()
            for t in targets { reports.append(report(target: t, history: try store.applied(target: t), migrations: migrations, lock: nil)) }
            if targets.isEmpty { reports.append(report(target: "(never applied)", history: [], migrations: migrations, lock: nil)) }
        }
        if format == .json {
            print(jsonText(reports), terminator: "")
            return
        }
        for r in reports {
            print("target \(r.target)")
            if let holder = r.lockHolder { print("  locked by \(holder)") }
            for e in r.migrations {
                print("  \(e.status.padding(toLength: 8, withPad: " ", startingAt: 0)) \(e.file)  \(e.statements)")
                if let error = e.error { print("           last error: \(error)") }
            }
        }
    }

    func report(target: String, history: [AppliedMigration], migrations: [LocalMigration], lock: String?) -> Report {
        let byVersion = Dictionary(history.map { ($0.version, $0) }, uniquingKeysWith: { a, _ in a })
        let entries = migrations.map { m -> Entry in
            guard let h = byVersion[m.version] else {
                return Entry(version: m.version, file: m.fileName, status: "pending", statementsApplied: 0, statementsTotal: m.statements.count, error: nil)
            }
            let status = h.status == .applied ? (h.checksum == m.checksum ? "applied" : "EDITED") : h.status.rawValue.lowercased()
            return Entry(version: m.version, file: m.fileName, status: status, statementsApplied: h.statementsApplied, statementsTotal: h.statementsTotal,
                         failedStatement: h.failedStatement, error: h.status == .applied ? nil : h.error)
        }
        return Report(target: target, lockHolder: lock, migrations: entries)
    }
}
