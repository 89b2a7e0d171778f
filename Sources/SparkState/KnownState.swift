import Foundation
import GRDB
import SparkModel

/// What state.sqlite knows about one client schema: the planner's second input.
public struct KnownState: Sendable, Hashable {
    /// True when an earlier migration created (or declared) the database.
    public var databaseKnown: Bool
    /// nil when no migration has created the schema yet: the next plan is a first wave.
    public var schema: KnownSchema?
    /// The highest migration version written so far (0 when none).
    public var latestVersion: Int

    public init(databaseKnown: Bool, schema: KnownSchema?, latestVersion: Int) {
        self.databaseKnown = databaseKnown
        self.schema = schema
        self.latestVersion = latestVersion
    }

    /// An empty state: nothing planned yet.
    public static let empty = KnownState(databaseKnown: false, schema: nil, latestVersion: 0)
}

public struct KnownSchema: Sendable, Hashable {
    public var database: String
    public var name: String
    /// Sorted by name.
    public var tables: [KnownTable]
    /// Files already planned, by SHA-256.
    public var files: [String: KnownFile]
    /// Whose schema it is: the client and platform it was first planned for.
    public var owner: SchemaOwner?

    public init(database: String, name: String, tables: [KnownTable], files: [String: KnownFile], owner: SchemaOwner? = nil) {
        self.database = database
        self.name = name
        self.tables = tables
        self.files = files
        self.owner = owner
    }

    public func table(_ name: String) -> KnownTable? { tables.first { $0.name == name } }
}

/// The client and platform a schema was created for, and the migration that created it.
public struct SchemaOwner: Sendable, Hashable {
    /// Normalized, as in the schema name: `ACME`.
    public var client: String
    public var platform: String
    /// The client as given, when normalizing lost characters.
    public var clientName: String?
    public var firstVersion: Int

    public init(client: String, platform: String, clientName: String?, firstVersion: Int) {
        self.client = client
        self.platform = platform
        self.clientName = clientName
        self.firstVersion = firstVersion
    }
}

public struct KnownTable: Sendable, Hashable {
    public var name: String
    /// In position order.
    public var columns: [KnownColumn]

    public init(name: String, columns: [KnownColumn]) {
        self.name = name
        self.columns = columns
    }

    public func column(_ name: String) -> KnownColumn? { columns.first { $0.name == name } }
}

public struct KnownColumn: Sendable, Hashable {
    public var name: String
    /// 1-based.
    public var position: Int
    public var type: SnowflakeType
    /// nil for spark's own columns.
    public var provenance: Provenance?
    /// The largest digits, scale and length loaded into the column so far.
    public var facts: ValueFacts

    public init(name: String, position: Int, type: SnowflakeType, provenance: Provenance?, facts: ValueFacts) {
        self.name = name
        self.position = position
        self.type = type
        self.provenance = provenance
        self.facts = facts
    }
}

public struct KnownFile: Sendable, Hashable {
    public var sha256: String
    public var path: String
    public var table: String
    public var wave: Int
    public var version: Int
    /// The content fingerprint, for files planned since spark recorded it.
    public var fingerprint: String?

    public init(sha256: String, path: String, table: String, wave: Int, version: Int, fingerprint: String? = nil) {
        self.sha256 = sha256
        self.path = path
        self.table = table
        self.wave = wave
        self.version = version
        self.fingerprint = fingerprint
    }
}

/// A migration recorded in state.
public struct WrittenMigration: Sendable, Hashable {
    public var version: Int
    public var fileName: String
    public var checksum: String
}

public enum StateError: Error, Hashable, CustomStringConvertible {
    case corrupt(state: String, message: String)
    case conflict(file: String, message: String)
    case stale(file: String)

    public var description: String {
        switch self {
        case let .corrupt(state, message):
            "\(state): \(message)\nhint: run `spark state rebuild` to recreate the state from migrations/"
        case let .stale(file):
            "\(file):1: state.sqlite does not match migrations/ (a migration written elsewhere, e.g. pulled from git)\nhint: run `spark state rebuild`, then plan again"
        case let .conflict(file, message):
            "\(file):1: \(message)\nhint: the migrations disagree with each other; restore migrations/ from git, then run `spark state rebuild`"
        }
    }
}

extension StateStore {
    /// Loads what the state knows about `database`.`schema`. Reads only that schema's rows.
    public static func load(_ db: Database, database: String, schema: String) throws -> KnownState {
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
    public static func namingKeys(_ db: Database, database: String, schema: String) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT value FROM naming_key_values WHERE database = ? AND schema = ?",
                                arguments: [database, schema]))
    }

    /// Every migration the state has recorded, by version.
    public static func writtenMigrations(_ db: Database) throws -> [WrittenMigration] {
        try Row.fetchAll(db, sql: "SELECT version, file_name, checksum FROM migrations ORDER BY version").map {
            WrittenMigration(version: $0[0], fileName: $0[1], checksum: $0[2])
        }
    }
}

extension StateStore {
    /// Throws unless the state records exactly these migrations (file name and spark.sum chain
    /// hash, in version order): a plan against a stale state would diff against the wrong schema.
    /// Comparing chain hashes needs no file reads once spark.sum itself was checked against the files.
    public static func ensureMatches(_ db: Database, migrations: [(fileName: String, checksum: String)]) throws {
        let recorded = try writtenMigrations(db).map { (fileName: $0.fileName, checksum: $0.checksum) }
        guard !migrations.elementsEqual(recorded, by: { $0.fileName == $1.fileName && $0.checksum == $1.checksum }) else { return }
        let first = migrations.first { m in !recorded.contains { $0 == m } }?.fileName
            ?? recorded.first { r in !migrations.contains { $0 == r } }?.fileName ?? "?"
        throw StateError.stale(file: "migrations/" + first)
    }
}
