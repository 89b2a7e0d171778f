import Foundation
import Logging
import SnowflakeClient
import SparkExecute
import SparkModel
import SparkState

/// What `spark status` shows of one target: its migrations and its lock holder.
public struct StatusReport: Encodable, Sendable {
    /// A migration's status on the target, as `spark status` prints it.
    public enum Status: String, Encodable, Sendable {
        /// Not run on the target.
        case pending
        case applied
        /// Applied, but the local file is no longer what was applied.
        case edited = "EDITED"
        case failed, running, stopped

        init(_ status: MigrationStatus) {
            switch status {
            case .applied: self = .applied
            case .failed: self = .failed
            case .running: self = .running
            case .stopped: self = .stopped
            }
        }
    }

    public struct Entry: Encodable, Sendable {
        public var version: Int
        public var file: String
        public var status: Status
        public var statementsApplied: Int
        public var statementsTotal: Int
        public var failedStatement: Int?
        public var error: String?

        /// `12/25 (failed at statement 13)`.
        public var statements: String {
            "\(statementsApplied)/\(statementsTotal)" + (failedStatement.map { " (failed at statement \($0))" } ?? "")
        }
    }

    public var target: String
    public var lockHolder: String?
    public var migrations: [Entry]
}

extension Project {
    /// `spark status`: pending, applied and failed migrations and the lock holder. With a
    /// connection, from the target's SPARK_HISTORY (recorded in state.sqlite as it is read);
    /// without one, as state.sqlite recorded each target at its last apply.
    public func status(connection config: ConnectionConfig?, historySchema override: String?) async throws -> [StatusReport] {
        let migrations = try loadVerifiedMigrations()
        let settings = try settings()
        var reports: [StatusReport] = []
        if let config {
            let apply = try applySettings(user: config.user, historySchema: override)
            let (history, lock) = try await SnowflakeSession.withSession(config, label: "spark.status") { session in
                let applier = Applier(driver: SnowflakeDriver(session: session), migrations: migrations, settings: apply, reporter: SilentReporter())
                let history = try await applier.history()
                try applier.checkProject(history)
                return (history, try? await applier.lockHolders().first)
            }
            let target = Project.targetName(config, settings.database)
            try? StateStore(path: statePath).recordApplied(target: target, history)
            reports.append(report(target: target, history: history, migrations: migrations,
                                  lock: lock.map(\.described)))
        } else {
            let store = try StateStore(path: statePath)
            let targets = try store.appliedTargets()
            for t in targets { reports.append(report(target: t, history: try store.applied(target: t), migrations: migrations, lock: nil)) }
            if targets.isEmpty { reports.append(report(target: "(never applied)", history: [], migrations: migrations, lock: nil)) }
        }
        return reports
    }

    private func report(target: String, history: [AppliedMigration], migrations: [LocalMigration], lock: String?) -> StatusReport {
        let byVersion = Dictionary(history.map { ($0.version, $0) }, uniquingKeysWith: { a, _ in a })
        let entries = migrations.map { m -> StatusReport.Entry in
            guard let h = byVersion[m.version] else {
                return StatusReport.Entry(version: m.version, file: m.fileName, status: .pending, statementsApplied: 0, statementsTotal: m.statements.count, error: nil)
            }
            let status: StatusReport.Status = h.status == .applied && h.checksum != m.checksum ? .edited : StatusReport.Status(h.status)
            return StatusReport.Entry(version: m.version, file: m.fileName, status: status, statementsApplied: h.statementsApplied, statementsTotal: h.statementsTotal,
                         failedStatement: h.failedStatement, error: h.status == .applied ? nil : h.error)
        }
        return StatusReport(target: target, lockHolder: lock, migrations: entries)
    }
}
