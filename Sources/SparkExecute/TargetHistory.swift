import Foundation
import SparkModel

/// spark's bookkeeping tables in the target: `SPARK_HISTORY` (one row per migration) and
/// `SPARK_LOCK` (a row only while an apply runs; see ``TargetLock``).
struct TargetHistory {
    let database: String
    let schema: String

    var history: String { [database, schema, "SPARK_HISTORY"].map(Identifier.quoted).joined(separator: ".") }
    var lock: String { [database, schema, "SPARK_LOCK"].map(Identifier.quoted).joined(separator: ".") }

    var setup: [String] {
        [
            "CREATE DATABASE IF NOT EXISTS \(Identifier.quoted(database))",
            "CREATE SCHEMA IF NOT EXISTS \(Identifier.quoted(database)).\(Identifier.quoted(schema))",
            """
            CREATE TABLE IF NOT EXISTS \(history) (VERSION NUMBER(38,0), DESCRIPTION VARCHAR, CHECKSUM VARCHAR(64), STATUS VARCHAR(16), \
            STATEMENTS_APPLIED NUMBER(38,0), STATEMENTS_TOTAL NUMBER(38,0), FAILED_STATEMENT NUMBER(38,0), ERROR_CODE VARCHAR, \
            ERROR_MESSAGE VARCHAR, APPLIED_BY VARCHAR, STARTED_AT VARCHAR, FINISHED_AT VARCHAR, DURATION_MS NUMBER(38,0))
            """,
            // Histories made before project ids get the column.
            "ALTER TABLE \(history) ADD COLUMN IF NOT EXISTS PROJECT_ID VARCHAR",
            // The SHA-256 of each canonical copy apply staged for the migration, a line each:
            // `<copy SHA-256> <source path>`.
            "ALTER TABLE \(history) ADD COLUMN IF NOT EXISTS STAGED_SHA256 VARCHAR",
            // A short hash of each statement applied so far, comma-separated: a resume whose
            // earlier statements were edited since is refused.
            "ALTER TABLE \(history) ADD COLUMN IF NOT EXISTS STATEMENT_HASHES VARCHAR",
            TargetLock.createTable(lock),
        ]
    }

    /// The columns added to SPARK_HISTORY after its first version, which an older history lacks
    /// until the next apply adds them.
    static let laterColumns = ["PROJECT_ID", "STATEMENT_HASHES"]

    /// The history's rows, without the later columns in `missing` (read as NULL).
    func select(without missing: Set<String> = []) -> String {
        let later = Self.laterColumns.map { missing.contains($0) ? "NULL AS \($0)" : $0 }.joined(separator: ", ")
        return """
            SELECT VERSION, CHECKSUM, STATUS, STATEMENTS_APPLIED, STATEMENTS_TOTAL, FAILED_STATEMENT, ERROR_CODE, ERROR_MESSAGE, \
            APPLIED_BY, FINISHED_AT, DURATION_MS, DESCRIPTION, \(later) FROM \(history) ORDER BY VERSION
            """
    }

    func rows(_ r: StatementResult) throws -> [(AppliedMigration, description: String)] {
        try r.rows.compactMap { row in
            func s(_ i: Int) -> String? { i < row.count ? row[i] : nil }
            func n(_ i: Int) -> Int? { s(i).flatMap { Int($0) } }
            guard let version = n(0) else { return nil }
            let error = [s(6).map { "Snowflake error \($0): " }, s(7)].compactMap { $0 }.joined()
            guard let status = MigrationStatus(rawValue: s(2) ?? "") else {
                throw ApplyError.unknownStatus(history: history, version: version, status: s(2) ?? "NULL")
            }
            return (AppliedMigration(version: version, checksum: s(1) ?? "", status: status, statementsApplied: n(3) ?? 0,
                                     statementsTotal: n(4) ?? 0, failedStatement: n(5), error: error.isEmpty ? nil : error,
                                     appliedBy: s(8), appliedAt: s(9), durationMs: n(10), projectId: s(12),
                                     statementHashes: s(13).map { $0.split(separator: ",").map(String.init) }), s(11) ?? "")
        }
    }

    /// A string literal, or NULL.
    static func literal(_ s: String?) -> String {
        s.map(SQLText.literal) ?? "NULL"
    }

    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}
