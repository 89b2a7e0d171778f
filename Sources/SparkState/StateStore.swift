import Foundation
import GRDB
import SparkModel

/// state.sqlite: spark's local index of what `migrations/` describes.
///
/// It is an index, not the source of truth; `spark state rebuild` recreates it from the
/// migration headers. Its own schema is migrated by GRDB's `DatabaseMigrator`.
public final class StateStore: Sendable {
    /// GRDB stays inside SparkState: other modules reach the state through this type's typed
    /// queries and ``StateTransaction``.
    let queue: DatabaseQueue

    /// Opens (creating if needed) and migrates the state at `path`.
    /// - Parameter busyTimeout: how long to wait for another spark process holding the lock.
    public init(path: String, busyTimeout: TimeInterval = 60) throws {
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        // DatabaseMigrator checks and applies migrations in separate transactions, so two processes
        // creating the same new state would both run them. An advisory lock on the state's folder
        // makes opening-and-migrating one step across processes.
        let folder = open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent, O_RDONLY)
        if folder >= 0 { flock(folder, LOCK_EX) }
        defer { if folder >= 0 { flock(folder, LOCK_UN); Foundation.close(folder) } }
        queue = try DatabaseQueue(path: path, configuration: config)
        try StateSchema.migrator.migrate(queue)
    }

    /// An empty state in memory, for dry runs without a state file and for tests.
    public init() throws {
        queue = try DatabaseQueue()
        try StateSchema.migrator.migrate(queue)
    }

    /// Closes the database file; the store cannot be used after.
    public func close() throws {
        try queue.close()
    }

    /// Runs `body` inside an exclusive transaction: no other spark process can read or write the
    /// state until it returns. The transaction commits when `body` returns and rolls back when it throws.
    public func withExclusiveLock<T>(_ body: (StateTransaction) throws -> T) throws -> T {
        var result: T?
        try queue.inTransaction(.exclusive) { db in
            result = try body(StateTransaction(db: db))
            return .commit
        }
        return result!
    }

    /// Reads without taking the planning lock.
    public func read<T>(_ body: (StateTransaction) throws -> T) throws -> T {
        try queue.inDatabase { try body(StateTransaction(db: $0)) }
    }
}

/// The state inside one `read` or `withExclusiveLock`: its typed queries and records, so that a
/// plan's checks, its migration and its state change commit together.
public struct StateTransaction {
    let db: Database
}

/// The schema of state.sqlite, one GRDB migration per change of it.
public enum StateSchema {
    public static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE databases (name TEXT PRIMARY KEY NOT NULL);
                CREATE TABLE schemas (
                    database TEXT NOT NULL, name TEXT NOT NULL,
                    client TEXT NOT NULL, platform TEXT NOT NULL, year INTEGER NOT NULL,
                    first_version INTEGER NOT NULL,
                    PRIMARY KEY (database, name));
                CREATE TABLE tables (
                    database TEXT NOT NULL, schema TEXT NOT NULL, name TEXT NOT NULL,
                    kind TEXT NOT NULL, first_version INTEGER NOT NULL,
                    PRIMARY KEY (database, schema, name));
                CREATE TABLE columns (
                    database TEXT NOT NULL, schema TEXT NOT NULL, table_name TEXT NOT NULL, name TEXT NOT NULL,
                    position INTEGER NOT NULL, type TEXT NOT NULL, default_expression TEXT,
                    raw_header TEXT, first_file TEXT, first_wave INTEGER,
                    max_integer_digits INTEGER NOT NULL DEFAULT 0, max_scale INTEGER NOT NULL DEFAULT 0,
                    max_length INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (database, schema, table_name, name));
                CREATE TABLE roles (
                    name TEXT PRIMARY KEY NOT NULL, database TEXT NOT NULL, schema TEXT NOT NULL,
                    access TEXT NOT NULL, parent_role TEXT NOT NULL);
                CREATE TABLE grants (
                    role TEXT NOT NULL, privileges TEXT NOT NULL, object TEXT NOT NULL, object_name TEXT NOT NULL,
                    PRIMARY KEY (role, privileges, object, object_name));
                CREATE TABLE stages (
                    database TEXT NOT NULL, schema TEXT NOT NULL, name TEXT NOT NULL, file_format TEXT NOT NULL,
                    PRIMARY KEY (database, schema, name));
                CREATE TABLE file_formats (
                    database TEXT NOT NULL, schema TEXT NOT NULL, name TEXT NOT NULL,
                    PRIMARY KEY (database, schema, name));
                CREATE TABLE files (
                    database TEXT NOT NULL, schema TEXT NOT NULL, sha256 TEXT NOT NULL,
                    table_name TEXT NOT NULL, path TEXT NOT NULL, wave INTEGER NOT NULL, rows INTEGER NOT NULL,
                    column_names TEXT NOT NULL, version INTEGER NOT NULL,
                    PRIMARY KEY (database, schema, sha256));
                CREATE TABLE naming_key_values (
                    database TEXT NOT NULL, schema TEXT NOT NULL, value TEXT NOT NULL,
                    PRIMARY KEY (database, schema, value));
                CREATE TABLE migrations (
                    version INTEGER PRIMARY KEY NOT NULL, file_name TEXT NOT NULL UNIQUE, checksum TEXT NOT NULL,
                    database TEXT NOT NULL, schema TEXT NOT NULL, wave INTEGER NOT NULL);
                CREATE TABLE applied_migrations (
                    target TEXT NOT NULL, version INTEGER NOT NULL, checksum TEXT NOT NULL, status TEXT NOT NULL,
                    statements_applied INTEGER NOT NULL, statements_total INTEGER NOT NULL,
                    failed_statement INTEGER, error TEXT, applied_by TEXT, applied_at TEXT, duration_ms INTEGER,
                    PRIMARY KEY (target, version));
                """)
        }
        // A cache of spark.sum chain hashes by file stat, so a plan need not re-hash every migration.
        m.registerMigration("v2 sum cache") { db in
            try db.execute(sql: """
                CREATE TABLE sum_cache (
                    file_name TEXT PRIMARY KEY NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                    previous_hash TEXT NOT NULL, hash TEXT NOT NULL);
                """)
        }
        // Schema roles granted to users by `spark grant`, so `spark revoke` can check and `spark schemas` can show them.
        m.registerMigration("v2-ops") { db in
            try db.execute(sql: """
                CREATE TABLE user_grants (
                    database TEXT NOT NULL, schema TEXT NOT NULL, role TEXT NOT NULL, access TEXT NOT NULL,
                    user TEXT NOT NULL, version INTEGER NOT NULL,
                    PRIMARY KEY (role, user));
                """)
        }
        // Content fingerprints of planned files, and the 8-byte hashes of their rows, so a file
        // exported again (other bytes, same rows) is not loaded twice.
        m.registerMigration("v3 content") { db in
            try db.execute(sql: """
                ALTER TABLE files ADD COLUMN fingerprint TEXT;
                CREATE TABLE row_hashes (
                    database TEXT NOT NULL, schema TEXT NOT NULL, sha256 TEXT NOT NULL, table_name TEXT NOT NULL,
                    hashes BLOB NOT NULL,
                    PRIMARY KEY (database, schema, sha256));
                """)
        }
        // The client name as given, when schema names lose some of it (a.b and a-b both give A_B),
        // so two clients cannot share a schema; and the history schema each target was applied
        // with, so changing it cannot make apply run every migration again.
        m.registerMigration("v4 identity") { db in
            try db.execute(sql: """
                ALTER TABLE schemas ADD COLUMN client_name TEXT;
                CREATE TABLE targets (target TEXT PRIMARY KEY NOT NULL, history_schema TEXT NOT NULL);
                """)
        }
        return m
    }

    /// The tables `spark state rebuild` recreates. `applied_migrations` is per target; its truth
    /// is the target's history table, not `migrations/`. `sum_cache` is a cache.
    public static let rebuiltTables = [
        "databases", "schemas", "tables", "columns", "roles", "grants", "stages", "file_formats",
        "files", "row_hashes", "naming_key_values", "migrations", "user_grants",
    ]
}
