/// One step of a plan, in the manner of Atlas's `schema.Change`.
///
/// A migration's header records its changes in this form (as JSON), so `spark state rebuild`
/// can recreate state.sqlite from `migrations/` alone. Every name in a change is a plain,
/// unquoted Snowflake identifier; quoting happens once, when SQL is rendered.
public enum Change: Sendable, Hashable {
    case createDatabase(CreateDatabase)
    case createSchema(CreateSchema)
    case createTable(CreateTable)
    case createFileFormat(CreateFileFormat)
    case createStage(CreateStage)
    case createRole(CreateRole)
    case grant(Grant)
    /// A column first seen in this wave.
    case addColumn(AddColumn)
    /// An in-place type change Snowflake allows: a longer VARCHAR, or a NUMBER with more precision at the same scale.
    case widenColumn(WidenColumn)
    /// A type change Snowflake cannot make in place, planned only with `--allow-rewrite`:
    /// add a new column, copy with a cast, drop the old column, rename the new one.
    case rewriteColumn(RewriteColumn)
    /// A known column that this wave's file does not have. It is kept; nothing is emitted.
    case keepColumn(KeepColumn)
    /// PUT the canonical and raw files, COPY INTO with an explicit column list, log the load.
    case loadFile(LoadFile)
    /// A file whose SHA-256 was already planned. Nothing is emitted.
    case skipFile(SkipFile)
    /// `GRANT ROLE <schema role> TO USER <user>` (`spark grant`).
    case grantRoleToUser(UserGrant)
    /// `REVOKE ROLE <schema role> FROM USER <user>` (`spark revoke`).
    case revokeRoleFromUser(UserGrant)
    /// Drops a client schema with everything in it, and its roles (`spark drop`). Destructive.
    case dropSchema(DropSchema)

    /// The stable name of the change kind; also the default template's file name.
    public var kind: Kind {
        switch self {
        case .createDatabase: .createDatabase
        case .createSchema: .createSchema
        case .createTable: .createTable
        case .createFileFormat: .createFileFormat
        case .createStage: .createStage
        case .createRole: .createRole
        case .grant: .grant
        case .addColumn: .addColumn
        case .widenColumn: .widenColumn
        case .rewriteColumn: .rewriteColumn
        case .keepColumn: .keepColumn
        case .loadFile: .loadFile
        case .skipFile: .skipFile
        case .grantRoleToUser: .grantRoleToUser
        case .revokeRoleFromUser: .revokeRoleFromUser
        case .dropSchema: .dropSchema
        }
    }

    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case createDatabase = "create_database"
        case createSchema = "create_schema"
        case createTable = "create_table"
        case createFileFormat = "create_file_format"
        case createStage = "create_stage"
        case createRole = "create_role"
        case grant
        case addColumn = "add_column"
        case widenColumn = "widen_column"
        case rewriteColumn = "rewrite_column"
        case keepColumn = "keep_column"
        case loadFile = "load_file"
        case skipFile = "skip_file"
        case grantRoleToUser = "grant_role_to_user"
        case revokeRoleFromUser = "revoke_role_from_user"
        case dropSchema = "drop_schema"
    }

    /// True for the changes that destroy objects or data: `spark apply` asks before running them.
    public var isDestructive: Bool {
        if case .dropSchema = self { true } else { false }
    }

    /// True for the changes that emit SQL; `keepColumn` and `skipFile` only report.
    public var emitsStatements: Bool {
        switch self {
        case .keepColumn, .skipFile: false
        default: true
        }
    }
}

/// A fully qualified table: database, schema, table.
public struct TableRef: Sendable, Hashable, Codable, Comparable {
    public var database: String
    public var schema: String
    public var table: String

    public init(database: String, schema: String, table: String) {
        self.database = database
        self.schema = schema
        self.table = table
    }

    public static func < (a: TableRef, b: TableRef) -> Bool {
        (a.database, a.schema, a.table) < (b.database, b.schema, b.table)
    }
}

/// The three tables every client schema has.
public enum TableKind: String, Sendable, Hashable, Codable, CaseIterable {
    case namingKeys = "NAMING_KEYS"
    case campaign = "PROCESSED_CAMPAIGN_DATA"
    case processingLog = "PROCESSING_LOG"

    public var tableName: String { rawValue }
}

/// Where a column came from: kept in state and in the column's COMMENT.
public struct Provenance: Sendable, Hashable, Codable {
    /// The header cell exactly as decoded.
    public var rawHeader: String
    /// The first file (path relative to the project) that had the column.
    public var firstFile: String
    public var firstWave: Int

    public init(rawHeader: String, firstFile: String, firstWave: Int) {
        self.rawHeader = rawHeader
        self.firstFile = firstFile
        self.firstWave = firstWave
    }
}

/// A column as created or added. `provenance` is nil for spark's own columns (load metadata, log).
public struct ColumnDefinition: Sendable, Hashable, Codable {
    public var name: String
    public var type: SnowflakeType
    /// SQL default expression, for spark's own columns only (e.g. `CURRENT_TIMESTAMP()`).
    public var defaultExpression: String?
    public var provenance: Provenance?

    public init(name: String, type: SnowflakeType, defaultExpression: String? = nil, provenance: Provenance? = nil) {
        self.name = name
        self.type = type
        self.defaultExpression = defaultExpression
        self.provenance = provenance
    }
}

public struct CreateDatabase: Sendable, Hashable, Codable {
    public var database: String
    public init(database: String) { self.database = database }
}

public struct CreateSchema: Sendable, Hashable, Codable {
    public var database: String
    public var schema: String
    public var client: String
    public var platform: String
    public var year: Int
    /// The client as given, when `client` (its normalized form) lost characters: `a.b` for `A_B`.
    public var clientName: String?

    public init(database: String, schema: String, client: String, platform: String, year: Int, clientName: String? = nil) {
        self.database = database
        self.schema = schema
        self.client = client
        self.platform = platform
        self.year = year
        self.clientName = clientName
    }
}

public struct CreateTable: Sendable, Hashable, Codable {
    public var table: TableRef
    public var kind: TableKind
    public var columns: [ColumnDefinition]

    public init(table: TableRef, kind: TableKind, columns: [ColumnDefinition]) {
        self.table = table
        self.kind = kind
        self.columns = columns
    }
}

public struct CreateFileFormat: Sendable, Hashable, Codable {
    public var database: String
    public var schema: String
    public var name: String
    public init(database: String, schema: String, name: String) {
        self.database = database
        self.schema = schema
        self.name = name
    }
}

public struct CreateStage: Sendable, Hashable, Codable {
    public var database: String
    public var schema: String
    public var name: String
    public var fileFormat: String
    public init(database: String, schema: String, name: String, fileFormat: String) {
        self.database = database
        self.schema = schema
        self.name = name
        self.fileFormat = fileFormat
    }
}

public struct CreateRole: Sendable, Hashable, Codable {
    public enum Access: String, Sendable, Hashable, Codable { case readWrite = "read-write", readOnly = "read-only" }
    public var role: String
    public var schema: String
    public var access: Access
    /// The role this role is granted to (`SYSADMIN` unless spark.toml says otherwise).
    public var parentRole: String

    public init(role: String, schema: String, access: Access, parentRole: String) {
        self.role = role
        self.schema = schema
        self.access = access
        self.parentRole = parentRole
    }
}

/// `GRANT <privileges> ON <object> TO ROLE <role>`, or, for `.role`, `GRANT ROLE <object> TO ROLE <role>`.
public struct Grant: Sendable, Hashable, Codable {
    public enum Object: String, Sendable, Hashable, Codable {
        case database
        case schema
        case allTables = "all-tables"
        case futureTables = "future-tables"
        case stage
        case fileFormat = "file-format"
        case role
    }
    public var privileges: [String]
    public var object: Object
    /// The object's path, unquoted parts: `[db]`, `[db, schema]`, `[db, schema, stage]`, `[role]`.
    public var objectName: [String]
    public var role: String

    public init(privileges: [String], object: Object, objectName: [String], role: String) {
        self.privileges = privileges
        self.object = object
        self.objectName = objectName
        self.role = role
    }
}

public struct AddColumn: Sendable, Hashable, Codable {
    public var table: TableRef
    public var column: ColumnDefinition
    public init(table: TableRef, column: ColumnDefinition) {
        self.table = table
        self.column = column
    }
}

public struct WidenColumn: Sendable, Hashable, Codable {
    public var table: TableRef
    public var column: String
    public var from: SnowflakeType
    public var to: SnowflakeType
    /// The file that needed the wider type, and the value that did.
    public var file: String
    public var evidence: Evidence?

    public init(table: TableRef, column: String, from: SnowflakeType, to: SnowflakeType, file: String, evidence: Evidence?) {
        self.table = table
        self.column = column
        self.from = from
        self.to = to
        self.file = file
        self.evidence = evidence
    }
}

public struct RewriteColumn: Sendable, Hashable, Codable {
    public var table: TableRef
    public var column: String
    public var from: SnowflakeType
    public var to: SnowflakeType
    /// The name of the new column while the data is copied; renamed to `column` at the end.
    public var temporaryName: String
    public var file: String
    public var evidence: Evidence?

    public init(table: TableRef, column: String, from: SnowflakeType, to: SnowflakeType, temporaryName: String,
                file: String, evidence: Evidence?) {
        self.table = table
        self.column = column
        self.from = from
        self.to = to
        self.temporaryName = temporaryName
        self.file = file
        self.evidence = evidence
    }
}

public struct KeepColumn: Sendable, Hashable, Codable {
    public var table: TableRef
    public var column: String
    public var type: SnowflakeType
    /// The file of this wave that lacks the column.
    public var file: String

    public init(table: TableRef, column: String, type: SnowflakeType, file: String) {
        self.table = table
        self.column = column
        self.type = type
        self.file = file
    }
}

/// One source column of a load and where it goes.
public struct LoadColumn: Sendable, Hashable, Codable {
    /// 0-based position of the column in the source file.
    public var sourceIndex: Int
    /// The header cell exactly as decoded.
    public var rawHeader: String
    /// The target column.
    public var column: String
    /// The type inference found in this file.
    public var inferredType: SnowflakeType
    /// The target column's type once this migration has run; the canonical writer converts to it.
    public var columnType: SnowflakeType
    public var nulls: Int
    public var facts: ValueFacts

    public init(sourceIndex: Int, rawHeader: String, column: String, inferredType: SnowflakeType, columnType: SnowflakeType,
                nulls: Int, facts: ValueFacts) {
        self.sourceIndex = sourceIndex
        self.rawHeader = rawHeader
        self.column = column
        self.inferredType = inferredType
        self.columnType = columnType
        self.nulls = nulls
        self.facts = facts
    }
}

/// A column of the COPY column list that spark fills with a constant (wave, source file, SHA-256).
public struct LoadConstant: Sendable, Hashable, Codable {
    public var column: String
    public var value: String
    public init(column: String, value: String) {
        self.column = column
        self.value = value
    }
}

/// Everything `spark apply` needs to find, verify, canonicalize and load one file.
///
/// The canonical file's columns are, in order: `columns` (by `sourceIndex` → `column`), then
/// `constants`. That is also the COPY column list.
public struct LoadFile: Sendable, Hashable, Codable {
    public var table: TableRef
    public var wave: Int
    /// Path of the original file, relative to the project directory.
    public var path: String
    public var sha256: String
    public var bytes: Int
    public var rows: Int
    public var dialect: Dialect
    public var columns: [LoadColumn]
    public var constants: [LoadConstant]
    /// Where `spark apply` writes the canonical gzip'd CSV, relative to the project: `.spark/staging/<sha256>.csv.gz`.
    public var canonicalPath: String
    /// The stage the files go to.
    public var stage: String
    /// Stage path of the canonical file: `wave<N>/<sha256>.csv.gz`.
    public var stagePath: String
    /// Stage folder of the raw original: `raw/<sha256>/`.
    public var rawStageFolder: String
    public var fileFormat: String
    /// The values that mean NULL in this file, when spark.toml sets `null_markers`; nil means
    /// spark's defaults. The canonical writer must use the markers inference used.
    public var nullMarkers: [String]?
    /// For a `NAMING_KEYS` load: the file's distinct naming keys, sorted. state.sqlite keeps them
    /// so `spark validate` can check campaign files without Snowflake, and a rebuilt state has them too.
    public var namingKeys: [String]?
    /// Records left out as totals of other rows (`Total: Account`); nil when none.
    public var summaryRows: [SummaryRow]?
    /// Records left out under `--bad-rows reject`, listed in a rejects file; nil when none.
    public var rejects: RejectsFile?
    /// The file's content fingerprint (see SparkLoad's `ContentDigest`): the same rows written
    /// another way have the same one. nil in migrations written before spark recorded it.
    public var fingerprint: String?
    /// Rows whose naming key is empty or not in NAMING_KEYS, planned under `--allow-unknown-keys`;
    /// nil when every row's key matched (or the file has no naming-key column).
    public var keysUnmatched: Int?

    public init(table: TableRef, wave: Int, path: String, sha256: String, bytes: Int, rows: Int, dialect: Dialect,
                columns: [LoadColumn], constants: [LoadConstant], canonicalPath: String, stage: String,
                stagePath: String, rawStageFolder: String, fileFormat: String, nullMarkers: [String]? = nil,
                namingKeys: [String]? = nil, summaryRows: [SummaryRow]? = nil, rejects: RejectsFile? = nil, fingerprint: String? = nil,
                keysUnmatched: Int? = nil) {
        self.table = table
        self.wave = wave
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
        self.rows = rows
        self.dialect = dialect
        self.columns = columns
        self.constants = constants
        self.canonicalPath = canonicalPath
        self.stage = stage
        self.stagePath = stagePath
        self.rawStageFolder = rawStageFolder
        self.fileFormat = fileFormat
        self.nullMarkers = nullMarkers
        self.namingKeys = namingKeys
        self.summaryRows = summaryRows
        self.rejects = rejects
        self.fingerprint = fingerprint
        self.keysUnmatched = keysUnmatched
    }

    /// Lines of the records the load leaves out (summary rows; rejected rows are in the rejects file).
    public var summaryLines: Set<Int> { Set(summaryRows?.map(\.line) ?? []) }

    /// The COPY column list, in canonical-file order.
    public var copyColumns: [String] { columns.map(\.column) + constants.map(\.column) }
}

/// The rejects file of a load: the records `--bad-rows reject` left out, with their lines,
/// reasons and text (`LINE,REASON,RECORD`, UTF-8, RFC 4180). `spark apply` PUTs it to the
/// stage's `rejects/` folder and leaves its lines out of the canonical copy.
public struct RejectsFile: Sendable, Hashable, Codable {
    /// Path relative to the project: `data/<client>/<platform>/<year>/<slug>.rejects.csv`.
    public var path: String
    public var sha256: String
    public var rows: Int

    public init(path: String, sha256: String, rows: Int) {
        self.path = path
        self.sha256 = sha256
        self.rows = rows
    }

    /// Stage folder of the rejects file: `rejects/<source sha256>/`.
    public static func stageFolder(sourceSHA256: String) -> String { "rejects/\(sourceSHA256)/" }
}

/// A schema role granted to (or revoked from) a Snowflake user.
public struct UserGrant: Sendable, Hashable, Codable {
    public var database: String
    public var schema: String
    /// The schema's read-write or read-only role.
    public var role: String
    public var access: CreateRole.Access
    /// The user's name exactly as `SHOW USERS` lists it (e.g. `jane.doe@agency.com`); quoted, never normalized.
    public var user: String

    public init(database: String, schema: String, role: String, access: CreateRole.Access, user: String) {
        self.database = database
        self.schema = schema
        self.role = role
        self.access = access
        self.user = user
    }
}

/// `DROP SCHEMA IF EXISTS … CASCADE` and `DROP ROLE IF EXISTS …` for each of the schema's roles.
public struct DropSchema: Sendable, Hashable, Codable {
    public var database: String
    public var schema: String
    /// The schema's roles, sorted.
    public var roles: [String]

    public init(database: String, schema: String, roles: [String]) {
        self.database = database
        self.schema = schema
        self.roles = roles
    }
}

public struct SkipFile: Sendable, Hashable, Codable {
    public var path: String
    public var sha256: String
    /// The migration that first planned the file, when known (e.g. `V0003`), or "this plan".
    public var plannedIn: String
    public var wave: Int
    /// When the bytes differ but the rows are the same (a re-export): the earlier file's path
    /// and wave, as `data/…csv (wave 2)`.
    public var sameContentAs: String?

    public init(path: String, sha256: String, plannedIn: String, wave: Int, sameContentAs: String? = nil) {
        self.path = path
        self.sha256 = sha256
        self.plannedIn = plannedIn
        self.wave = wave
        self.sameContentAs = sameContentAs
    }
}

extension Change: Codable {
    private enum CodingKeys: String, CodingKey { case kind, change }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(Kind.self, forKey: .kind) {
        case .createDatabase: self = .createDatabase(try c.decode(CreateDatabase.self, forKey: .change))
        case .createSchema: self = .createSchema(try c.decode(CreateSchema.self, forKey: .change))
        case .createTable: self = .createTable(try c.decode(CreateTable.self, forKey: .change))
        case .createFileFormat: self = .createFileFormat(try c.decode(CreateFileFormat.self, forKey: .change))
        case .createStage: self = .createStage(try c.decode(CreateStage.self, forKey: .change))
        case .createRole: self = .createRole(try c.decode(CreateRole.self, forKey: .change))
        case .grant: self = .grant(try c.decode(Grant.self, forKey: .change))
        case .addColumn: self = .addColumn(try c.decode(AddColumn.self, forKey: .change))
        case .widenColumn: self = .widenColumn(try c.decode(WidenColumn.self, forKey: .change))
        case .rewriteColumn: self = .rewriteColumn(try c.decode(RewriteColumn.self, forKey: .change))
        case .keepColumn: self = .keepColumn(try c.decode(KeepColumn.self, forKey: .change))
        case .loadFile: self = .loadFile(try c.decode(LoadFile.self, forKey: .change))
        case .skipFile: self = .skipFile(try c.decode(SkipFile.self, forKey: .change))
        case .grantRoleToUser: self = .grantRoleToUser(try c.decode(UserGrant.self, forKey: .change))
        case .revokeRoleFromUser: self = .revokeRoleFromUser(try c.decode(UserGrant.self, forKey: .change))
        case .dropSchema: self = .dropSchema(try c.decode(DropSchema.self, forKey: .change))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        switch self {
        case let .createDatabase(x): try c.encode(x, forKey: .change)
        case let .createSchema(x): try c.encode(x, forKey: .change)
        case let .createTable(x): try c.encode(x, forKey: .change)
        case let .createFileFormat(x): try c.encode(x, forKey: .change)
        case let .createStage(x): try c.encode(x, forKey: .change)
        case let .createRole(x): try c.encode(x, forKey: .change)
        case let .grant(x): try c.encode(x, forKey: .change)
        case let .addColumn(x): try c.encode(x, forKey: .change)
        case let .widenColumn(x): try c.encode(x, forKey: .change)
        case let .rewriteColumn(x): try c.encode(x, forKey: .change)
        case let .keepColumn(x): try c.encode(x, forKey: .change)
        case let .loadFile(x): try c.encode(x, forKey: .change)
        case let .skipFile(x): try c.encode(x, forKey: .change)
        case let .grantRoleToUser(x): try c.encode(x, forKey: .change)
        case let .revokeRoleFromUser(x): try c.encode(x, forKey: .change)
        case let .dropSchema(x): try c.encode(x, forKey: .change)
        }
    }
}
