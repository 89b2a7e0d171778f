import Foundation

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
