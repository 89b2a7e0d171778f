import Foundation
import GRDB
import SparkModel

/// A migration recorded in state.
public struct WrittenMigration: Sendable, Hashable {
    public var version: Int
    public var fileName: String
    public var checksum: String
}

public enum StateError: Error, Hashable, DiagnosticConvertible {
    case corrupt(state: String, message: String)
    case conflict(file: String, message: String)
    case stale(file: String)

    public var diagnostic: Diagnostic {
        switch self {
        case let .corrupt(state, message):
            Diagnostic(code: "state.corrupt", file: state, message: message, hint: "run `spark state rebuild` to recreate the state from migrations/")
        case let .stale(file):
            Diagnostic(code: "state.stale", file: file, line: 1, message: "state.sqlite does not match migrations/ (a migration written elsewhere, e.g. pulled from git)",
                       hint: "run `spark state rebuild`, then plan again")
        case let .conflict(file, message):
            Diagnostic(code: "state.conflict", file: file, line: 1, message: message,
                       hint: "the migrations disagree with each other; restore migrations/ from git, then run `spark state rebuild`")
        }
    }
}

extension StateTransaction {
    /// Loads what the state knows about `database`.`schema`. Reads only that schema's rows.
    public func load(database: String, schema: String) throws -> KnownState {
        let databaseKnown = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM databases WHERE name = ?)",
                                              arguments: [database]) ?? false
        let latest = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM migrations") ?? 0
        guard let owner = try Row.fetchOne(db, sql: "SELECT client, platform, client_name, first_version FROM schemas WHERE database = ? AND name = ?",
                                           arguments: [database, schema]) else {
            return KnownState(databaseKnown: databaseKnown, schema: nil, latestVersion: latest)
        }
        var columnsByTable: [String: [KnownColumn]] = [:]
        let rows = try Row.fetchAll(db, sql: """
            SELECT table_name, name, position, type, raw_header, first_file, first_wave,
                   max_integer_digits, max_scale, max_length
            FROM columns WHERE database = ? AND schema = ? ORDER BY table_name, position
            """, arguments: [database, schema])
        for r in rows {
            let typeText: String = r["type"]
            guard let type = SnowflakeType(snowflake: typeText) else {
                throw StateError.corrupt(state: "state.sqlite", message: "column \(r["name"] as String) has unknown type \(typeText)")
            }
            var provenance: Provenance?
            if let raw: String = r["raw_header"], let file: String = r["first_file"], let wave: Int = r["first_wave"] {
                provenance = Provenance(rawHeader: raw, firstFile: file, firstWave: wave)
            }
            let facts = ValueFacts(maxIntegerDigits: r["max_integer_digits"], maxScale: r["max_scale"], maxLength: r["max_length"])
            columnsByTable[r["table_name"], default: []].append(
                KnownColumn(name: r["name"], position: r["position"], type: type, provenance: provenance, facts: facts))
        }
        let tableNames = try String.fetchAll(db, sql: "SELECT name FROM tables WHERE database = ? AND schema = ? ORDER BY name",
                                             arguments: [database, schema])
        let tables = tableNames.map { KnownTable(name: $0, columns: columnsByTable[$0] ?? []) }
        var files: [String: KnownFile] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT sha256, path, table_name, wave, version, fingerprint FROM files WHERE database = ? AND schema = ?",
                                  arguments: [database, schema]) {
            files[r["sha256"]] = KnownFile(sha256: r["sha256"], path: r["path"], table: r["table_name"], wave: r["wave"], version: r["version"],
                                           fingerprint: r["fingerprint"])
        }
        return KnownState(databaseKnown: databaseKnown,
                          schema: KnownSchema(database: database, name: schema, tables: tables, files: files,
                                              owner: SchemaOwner(client: owner["client"], platform: owner["platform"], clientName: owner["client_name"],
                                                                 firstVersion: owner["first_version"])),
                          latestVersion: latest)
    }

    /// The naming keys planned into the schema's `NAMING_KEYS` so far.
    public func namingKeys(database: String, schema: String) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT value FROM naming_key_values WHERE database = ? AND schema = ?",
                                arguments: [database, schema]))
    }

    /// Every migration the state has recorded, by version.
    public func writtenMigrations() throws -> [WrittenMigration] {
        try Row.fetchAll(db, sql: "SELECT version, file_name, checksum FROM migrations ORDER BY version").map {
            WrittenMigration(version: $0[0], fileName: $0[1], checksum: $0[2])
        }
    }
}

extension StateTransaction {
    /// Throws unless the state records exactly these migrations (file name and spark.sum chain
    /// hash, in version order): a plan against a stale state would diff against the wrong schema.
    /// Comparing chain hashes needs no file reads once spark.sum itself was checked against the files.
    public func ensureMatches(migrations: [(fileName: String, checksum: String)]) throws {
        let recorded = try writtenMigrations().map { (fileName: $0.fileName, checksum: $0.checksum) }
        guard !migrations.elementsEqual(recorded, by: { $0.fileName == $1.fileName && $0.checksum == $1.checksum }) else { return }
        let first = migrations.first { m in !recorded.contains { $0 == m } }?.fileName
            ?? recorded.first { r in !migrations.contains { $0 == r } }?.fileName ?? "?"
        throw StateError.stale(file: "migrations/" + first)
    }
}
