import GRDB

/// What one target has applied of one migration, as its history table says; state.sqlite keeps
/// a copy per target so `spark status` can answer without a connection.
public struct AppliedMigration: Sendable, Equatable, Codable {
    public var version: Int
    public var checksum: String
    /// `APPLIED`, `FAILED` or `RUNNING` (a run that was killed, or is still going).
    public var status: String
    public var statementsApplied: Int
    public var statementsTotal: Int
    public var failedStatement: Int?
    public var error: String?
    public var appliedBy: String?
    public var appliedAt: String?
    public var durationMs: Int?

    public init(version: Int, checksum: String, status: String, statementsApplied: Int, statementsTotal: Int,
                failedStatement: Int? = nil, error: String? = nil, appliedBy: String? = nil, appliedAt: String? = nil, durationMs: Int? = nil) {
        self.version = version
        self.checksum = checksum
        self.status = status
        self.statementsApplied = statementsApplied
        self.statementsTotal = statementsTotal
        self.failedStatement = failedStatement
        self.error = error
        self.appliedBy = appliedBy
        self.appliedAt = appliedAt
        self.durationMs = durationMs
    }
}

extension StateStore {
    /// Replaces what state.sqlite knows about `target` with `rows`.
    public func recordApplied(target: String, _ rows: [AppliedMigration]) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM applied_migrations WHERE target = ?", arguments: [target])
            for r in rows {
                try db.execute(sql: """
                    INSERT INTO applied_migrations (target, version, checksum, status, statements_applied, statements_total,
                        failed_statement, error, applied_by, applied_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [target, r.version, r.checksum, r.status, r.statementsApplied, r.statementsTotal,
                                     r.failedStatement, r.error, r.appliedBy, r.appliedAt, r.durationMs])
            }
        }
    }

    /// What state.sqlite knows `target` has applied, in version order.
    public func applied(target: String) throws -> [AppliedMigration] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM applied_migrations WHERE target = ? ORDER BY version", arguments: [target]).map { r in
                AppliedMigration(version: r["version"], checksum: r["checksum"], status: r["status"], statementsApplied: r["statements_applied"],
                                 statementsTotal: r["statements_total"], failedStatement: r["failed_statement"], error: r["error"],
                                 appliedBy: r["applied_by"], appliedAt: r["applied_at"], durationMs: r["duration_ms"])
            }
        }
    }
}
