import Foundation
import GRDB

/// The rows of one planned file, as 8-byte hashes (SparkLoad's `ContentDigest`), 8 bytes per
/// row in one BLOB: 10 million rows take 80 MB of state.sqlite.
public struct PlannedRows: Sendable, Hashable {
    public var sha256: String
    public var path: String
    public var wave: Int
    public var hashes: Data
}

extension StateTransaction {
    /// Records the row hashes of a planned file (replacing any recorded before).
    public func saveRowHashes(database: String, schema: String, table: String, sha256: String, hashes: Data) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO row_hashes (database, schema, sha256, table_name, hashes) VALUES (?, ?, ?, ?, ?)",
                       arguments: [database, schema, sha256, table, hashes])
    }

    /// The row hashes of every file planned into a table, oldest first.
    public func plannedRows(database: String, schema: String, table: String) throws -> [PlannedRows] {
        try Row.fetchAll(db, sql: """
            SELECT h.sha256, f.path, f.wave, h.hashes FROM row_hashes h
            JOIN files f ON f.database = h.database AND f.schema = h.schema AND f.sha256 = h.sha256
            WHERE h.database = ? AND h.schema = ? AND h.table_name = ? ORDER BY f.version, f.path
            """, arguments: [database, schema, table]).map {
            PlannedRows(sha256: $0["sha256"], path: $0["path"], wave: $0["wave"], hashes: $0["hashes"])
        }
    }

    /// The files state.sqlite knows, with the version that planned each: what `state rebuild`
    /// recomputes row hashes for.
    public func plannedFiles() throws -> [(version: Int, database: String, schema: String, sha256: String)] {
        try Row.fetchAll(db, sql: "SELECT version, database, schema, sha256 FROM files ORDER BY version, sha256").map {
            ($0["version"], $0["database"], $0["schema"], $0["sha256"])
        }
    }
}
