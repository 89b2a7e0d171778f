import GRDB
import SparkModel

extension StateStore {
    /// Replaces what state.sqlite knows about `target` with `rows`.
    public func recordApplied(target: String, _ rows: [AppliedMigration]) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM applied_migrations WHERE target = ?", arguments: [target])
            for r in rows {
                try db.execute(sql: """
                    INSERT INTO applied_migrations (target, version, checksum, status, statements_applied, statements_total,
                        failed_statement, error, applied_by, applied_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [target, r.version, r.checksum, r.status.rawValue, r.statementsApplied, r.statementsTotal,
                                     r.failedStatement, r.error, r.appliedBy, r.appliedAt, r.durationMs])
            }
        }
    }

    /// The history schema `target` was last applied with.
    public func historySchema(target: String) throws -> String? {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT history_schema FROM targets WHERE target = ?", arguments: [target]) }
    }

    public func recordHistorySchema(target: String, _ schema: String) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO targets (target, history_schema) VALUES (?, ?)", arguments: [target, schema])
        }
    }

    /// What state.sqlite knows `target` has applied, in version order.
    public func applied(target: String) throws -> [AppliedMigration] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM applied_migrations WHERE target = ? ORDER BY version", arguments: [target]).map { r in
                let text: String = r["status"]
                guard let status = MigrationStatus(rawValue: text) else {
                    throw StateError.corrupt(state: "state.sqlite", message: "migration \(r["version"] as Int) of \(target) has unknown status \(text)")
                }
                return AppliedMigration(version: r["version"], checksum: r["checksum"], status: status, statementsApplied: r["statements_applied"],
                                 statementsTotal: r["statements_total"], failedStatement: r["failed_statement"], error: r["error"],
                                 appliedBy: r["applied_by"], appliedAt: r["applied_at"], durationMs: r["duration_ms"])
            }
        }
    }

    /// Copies what each target has applied, and its history schema, into `other` (a rebuilt
    /// state): those are not in migrations/, and a rebuild would forget them.
    public func copyTargets(to other: StateStore) throws {
        let (targets, schemas) = try queue.read { db in
            (try String.fetchAll(db, sql: "SELECT DISTINCT target FROM applied_migrations ORDER BY target"),
             try Row.fetchAll(db, sql: "SELECT target, history_schema FROM targets ORDER BY target").map { ($0[0] as String, $0[1] as String) })
        }
        for t in targets { try other.recordApplied(target: t, try applied(target: t)) }
        for (t, schema) in schemas { try other.recordHistorySchema(target: t, schema) }
    }
}
