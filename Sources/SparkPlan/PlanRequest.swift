import SparkModel

/// Project-wide settings for planning, from `spark.toml`.
public struct PlanSettings: Sendable, Hashable, Codable {
    /// The database client schemas live in. Used exactly as written (quoted), so case matters.
    public var database: String
    /// The role the schema's read-write and read-only roles are granted to.
    public var parentRole: String
    /// Header cell (as exported, surrounding spaces ignored) → column name, so a renamed export
    /// column keeps loading into its existing column.
    public var headerAliases: [String: String]
    /// The column, in both `NAMING_KEYS` and the campaign data, that holds the naming key.
    public var namingKeyColumn: String
    /// Values that mean NULL; nil means spark's defaults (empty, `--`, `-`, `N/A`, `n/a`, `null`, `NULL`).
    public var nullMarkers: [String]?
    /// The decimal mark of every file; nil decides it per file from its evidence.
    public var decimalSeparator: DecimalSeparator?
    /// The day/month order of dates that fit both, when a file does not show it.
    public var dateOrder: DateOrder?
    /// What to do with bad rows.
    public var badRows: BadRows = .refuse
    /// Column types by header (or column name), checked against the data like inferred types.
    public var columnTypes: [String: SnowflakeType] = [:]
    /// Platforms beyond ``Platforms/known`` that `--platform` accepts (`platforms` in spark.toml).
    public var platforms: [String] = []

    public static let defaultDatabase = "SPARK_DB"
    public static let defaultParentRole = "SYSADMIN"
    public static let defaultNamingKeyColumn = "NAMING_KEY"

    public init(database: String = PlanSettings.defaultDatabase, parentRole: String = PlanSettings.defaultParentRole,
                headerAliases: [String: String] = [:], namingKeyColumn: String = PlanSettings.defaultNamingKeyColumn,
                nullMarkers: [String]? = nil) {
        self.database = database
        self.parentRole = parentRole
        self.headerAliases = headerAliases
        self.namingKeyColumn = namingKeyColumn
        self.nullMarkers = nullMarkers
    }
}

/// A header alias that would put two of a file's columns into one.
public struct AliasCollision: Error, Hashable, DiagnosticConvertible {
    public var path: String
    public var line: Int
    public var column: String
    public var headers: [String]

    public var diagnostic: Diagnostic {
        Diagnostic(code: "plan.alias_collision", file: path, line: line,
                   message: "headers \(headers.map { PlanText.shown($0) }.joined(separator: " and ")) would both load into \(column)",
                   hint: "change the header aliases in spark.toml so each column of the file has its own name")
    }
}

extension PlanSettings {
    /// The profile with `headerAliases` applied to its column names.
    /// - Throws: ``AliasCollision`` when an alias gives a column the name another column of the file has.
    public func applyingAliases(to profile: FileProfile, path: String) throws(AliasCollision) -> FileProfile {
        guard !headerAliases.isEmpty else { return profile }
        let trimmed = Dictionary(headerAliases.map { ($0.key.trimmingSpaces, Identifier.normalize($0.value, position: 0)) },
                                 uniquingKeysWith: { a, _ in a })
        var out = profile
        for i in out.columns.indices {
            if let alias = trimmed[out.columns[i].source.trimmingSpaces] { out.columns[i].name = alias }
        }
        var owner: [String: String] = [:]
        for c in out.columns {
            if let other = owner[c.name] {
                throw AliasCollision(path: path, line: profile.dialect.headerLine, column: c.name, headers: [other, c.source])
            }
            owner[c.name] = c.source
        }
        return out
    }
}

/// One file to plan: its profile and its path as the migration will name it.
public struct PlanInput: Sendable, Hashable {
    public var profile: FileProfile
    /// Path relative to the project directory; what `spark apply` re-reads.
    public var path: String
    /// For a naming-keys file: its distinct naming keys, sorted.
    public var namingKeys: [String]?
    /// The rejects file of `--bad-rows reject`, when the file has rejected rows.
    public var rejects: RejectsFile?
    /// The content fingerprint: a file whose rows an earlier file already holds is skipped.
    public var fingerprint: String?
    /// Rows whose naming key matched none in NAMING_KEYS, loaded under `--allow-unknown-keys`.
    public var keysUnmatched: Int?

    public init(profile: FileProfile, path: String, namingKeys: [String]? = nil, rejects: RejectsFile? = nil, fingerprint: String? = nil,
                keysUnmatched: Int? = nil) {
        self.profile = profile
        self.path = path
        self.namingKeys = namingKeys
        self.rejects = rejects
        self.fingerprint = fingerprint
        self.keysUnmatched = keysUnmatched
    }
}

/// What `spark plan` was asked to do.
public struct PlanRequest: Sendable, Hashable {
    public var client: String
    public var platform: String
    public var year: Int
    public var wave: Int
    /// The table the files load into: `.campaign` or `.namingKeys`.
    public var table: TableKind
    public var allowRewrite: Bool
    public var settings: PlanSettings
    public var inputs: [PlanInput]

    public init(client: String, platform: String, year: Int, wave: Int, table: TableKind = .campaign,
                allowRewrite: Bool = false, settings: PlanSettings = .init(), inputs: [PlanInput]) {
        self.client = client
        self.platform = platform
        self.year = year
        self.wave = wave
        self.table = table
        self.allowRewrite = allowRewrite
        self.settings = settings
        self.inputs = inputs
    }
}

/// The ad platforms `--platform` accepts; spark.toml's `platforms` adds others. A typo would
/// otherwise plan a new schema.
public enum Platforms {
    public static let known = ["meta", "linkedin", "google_ads", "tiktok", "snapchat", "pinterest", "x", "reddit",
                               "amazon_ads", "dv360", "the_trade_desk", "microsoft_ads"]
}

/// The names a request resolves to.
public struct PlanTarget: Sendable, Hashable, Codable {
    /// Normalized, as in the schema name: `ACME`.
    public var client: String
    public var platform: String
    public var year: Int
    public var wave: Int
    public var database: String
    /// `CLIENT_{CLIENT}_{PLATFORM}_{YEAR}`
    public var schema: String
    public var table: TableKind
    /// The migration's description: `byd_meta_2024_wave3` (`…_naming_keys` for the naming-keys table).
    public var slug: String
    /// `--client` as given, when normalizing it lost characters (`a.b` for `A_B`); nil when
    /// `client` is the same name in capitals.
    public var clientName: String?

    public var stage: String { schema + "_STAGE" }
    public var readWriteRole: String { schema + "_RW" }
    public var readOnlyRole: String { schema + "_RO" }
    public static let fileFormat = "SPARK_CANONICAL_CSV"

    public func ref(_ kind: TableKind) -> TableRef { TableRef(database: database, schema: schema, table: kind.tableName) }
}

/// Errors in the request itself, before any file is looked at.
public enum PlanRequestError: Error, Hashable, DiagnosticConvertible {
    case badName(option: String, value: String)
    case badYear(Int)
    case badWave(Int)
    case noFiles
    case unknownPlatform(value: String, suggestion: String?, known: [String])

    public var diagnostic: Diagnostic { Diagnostic(code: "plan.bad_request", message: "spark plan: \(message)", hint: hint) }

    /// What is wrong, without the command's name.
    public var message: String {
        switch self {
        case let .badName(option, value): "--\(option) \"\(value)\" has no letters or digits"
        case let .badYear(y): "--year \(y) is not a four-digit year"
        case let .badWave(w): "--wave \(w) must be 1 or more"
        case .noFiles: "no files given"
        case let .unknownPlatform(value, suggestion, _):
            "--platform \"\(value)\" is not a known platform\(suggestion.map { "; did you mean \($0)?" } ?? "")"
        }
    }

    /// What to do about it.
    public var hint: String {
        switch self {
        case let .badName(option, _): "pass a short name such as `--\(option) byd`"
        case .badYear: "pass the campaign year, e.g. `--year 2024`"
        case .badWave: "waves are numbered from 1"
        case .noFiles: "pass the wave's CSV files, e.g. `spark plan … byd_meta_2024_wave1.csv`"
        case let .unknownPlatform(value, _, known):
            "the known platforms are \(known.joined(separator: ", ")); add another with platforms = [\"\(value)\"] in spark.toml"
        }
    }
}

extension PlanRequest {
    /// Resolves the schema, stage and role names. Throws on an unusable client, platform, year or wave.
    public func target() throws -> PlanTarget {
        func part(_ value: String, _ option: String) throws -> String {
            let n = Identifier.normalize(value, position: 0)
            guard n != "COL_0", !n.isEmpty else { throw PlanRequestError.badName(option: option, value: value) }
            return n
        }
        let c = try part(client, "client")
        let p = try part(platform, "platform")
        let platforms = Platforms.known + settings.platforms.map { Identifier.normalize($0, position: 0).lowercased() }
        guard platforms.contains(p.lowercased()) else {
            throw PlanRequestError.unknownPlatform(value: platform, suggestion: Spelling.closest(to: p.lowercased(), in: platforms), known: platforms)
        }
        guard (1000...9999).contains(year) else { throw PlanRequestError.badYear(year) }
        guard wave >= 1 else { throw PlanRequestError.badWave(wave) }
        let suffix = table == .namingKeys ? "_naming_keys" : ""
        return PlanTarget(client: c, platform: p, year: year, wave: wave, database: settings.database,
                          schema: "CLIENT_\(c)_\(p)_\(year)", table: table,
                          slug: "\(c.lowercased())_\(p.lowercased())_\(year)_wave\(wave)\(suffix)",
                          clientName: client.uppercased() == c ? nil : client)
    }
}

/// A file named by the standard nomenclature, whose name says what `spark plan`'s flags would:
/// `<client>_<platform>_<year>_wave<N>.csv` (a campaign file; `…_wave<N>_<k>.csv` for a wave's
/// further files), `<client>_<platform>_<year>_wave<N>_naming_keys.csv` (the naming keys), and
/// `<client>_<platform>_<year>_naming_keys.csv` (naming keys, wave not said). Case is ignored.
public struct StandardName: Sendable, Hashable {
    public var client: String
    public var platform: String
    public var year: Int
    public var wave: Int?
    public var table: TableKind

    public init(client: String, platform: String, year: Int, wave: Int?, table: TableKind) {
        self.client = client
        self.platform = platform
        self.year = year
        self.wave = wave
        self.table = table
    }

    /// The name's parts, or nil when `fileName` (a path's last component is taken) does not
    /// follow the nomenclature. The platform is the longest of `platforms` (and the known ones)
    /// that ends the part before the year, so `acme_google_ads_2024_wave1.csv` is client acme on
    /// google_ads.
    public static func parse(_ fileName: String, platforms: [String] = []) -> StandardName? {
        var name = Substring(fileName.split(separator: "/").last ?? "").lowercased()[...]
        guard name.hasSuffix(".csv") else { return nil }
        name = name.dropLast(4)
        var table = TableKind.campaign
        if name.hasSuffix("_naming_keys") {
            table = .namingKeys
            name = name.dropLast("_naming_keys".count)
        }
        var parts = name.split(separator: "_", omittingEmptySubsequences: false)
        var wave: Int?
        // A wave's further file: `…_wave1_2`.
        if table == .campaign, parts.count >= 2, let last = parts.last, Int(last) != nil, parts[parts.count - 2].hasPrefix("wave") {
            parts.removeLast()
        }
        if let last = parts.last, last.hasPrefix("wave"), let n = Int(last.dropFirst(4)), !last.dropFirst(4).hasPrefix("+") {
            wave = n
            parts.removeLast()
        } else if table == .campaign {
            return nil
        }
        guard let yearPart = parts.last, yearPart.count == 4, let year = Int(yearPart) else { return nil }
        parts.removeLast()
        let rest = parts.joined(separator: "_")
        let candidates = (Platforms.known + platforms.map { $0.lowercased() }).sorted { $0.count > $1.count }
        for p in candidates where rest.hasSuffix("_" + p) {
            let client = String(rest.dropLast(p.count + 1))
            guard !client.isEmpty else { continue }
            return StandardName(client: client, platform: p, year: year, wave: wave, table: table)
        }
        return nil
    }
}
