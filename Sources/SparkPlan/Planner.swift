import SparkModel

/// A type change the plan refuses: Snowflake cannot make it in place and `--allow-rewrite` was not given.
public struct Refusal: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    /// The line of the value that needed the new type (the header line when unknown).
    public var line: Int
    public var value: String?
    public var table: String
    public var column: String
    public var from: SnowflakeType
    public var to: SnowflakeType
    public var reason: String
    /// False when no type holds both the old and the new data, so even a rewrite cannot help.
    public var rewritable: Bool

    public var description: String {
        let shown = value.map { " (value \"\($0)\")" } ?? ""
        let hint = rewritable
            ? "hint: re-run with --allow-rewrite to rewrite \(column) as \(to) through a new column, or fix the file"
            : "hint: fix the values in the file; no Snowflake type holds both the old and the new data"
        return "\(file):\(line): column \(table).\(column) is \(from) but this file needs \(to)\(shown): \(reason)\n\(hint)"
    }
}

/// A plan for a schema that another client or platform owns: `acme` on `google_ads` and
/// `acme_google` on `ads` both name CLIENT_ACME_GOOGLE_ADS_2024, and `a.b` and `a-b` both A_B.
public struct SchemaTaken: Error, Hashable, DiagnosticConvertible {
    public var schema: String
    public var owner: SchemaOwner
    public var client: String
    public var platform: String

    /// nil when `target` is the owner: the same client (as given, ignoring case) and platform.
    init?(schema: String, owner: SchemaOwner, target: PlanTarget) {
        let given = target.clientName ?? target.client
        let owned = owner.clientName ?? owner.client
        guard owner.client != target.client || owner.platform != target.platform || owned.uppercased() != given.uppercased() else { return nil }
        self.schema = schema
        self.owner = owner
        self.client = given
        self.platform = target.platform
    }

    public var diagnostic: Diagnostic {
        let first = MigrationName(version: owner.firstVersion, description: "").versionLabel
        let ownerClient = owner.clientName ?? owner.client.lowercased()
        return Diagnostic(
            code: "plan.schema_taken",
            message: "spark plan: schema \(schema) belongs to client \(PlanText.shown(ownerClient)) on platform \(owner.platform.lowercased()) (created in \(first)); "
                + "this plan is for client \(PlanText.shown(client.uppercased() == client ? client.lowercased() : client)) on platform \(platform.lowercased())",
            hint: "one schema holds one client's platform; pass --client \(ownerClient) --platform \(owner.platform.lowercased()) if that is the client, "
                + "or a client name whose letters and digits differ")
    }
}

/// The planner's output: ordered typed changes, and the refusals that stop it from being written.
public struct Plan: Sendable, Hashable, Codable {
    public var target: PlanTarget
    public var changes: [Change]
    public var refusals: [Refusal]
    /// Things a reviewer should know that are not changes, e.g. a header renamed around a reserved name.
    public var notes: [String]

    /// True when the plan emits any statement; a plan of only skips and kept columns writes no migration.
    public var hasChanges: Bool { changes.contains { $0.emitsStatements } }

    /// The header of the migration this plan becomes.
    public func header(version: Int) -> MigrationHeader {
        MigrationHeader(version: version, description: target.slug, client: target.client, platform: target.platform,
                        year: target.year, wave: target.wave, database: target.database, schema: target.schema,
                        changes: changes)
    }
}

/// Diffs file profiles against the known state. Pure and deterministic.
public enum Planner {
    /// spark's own columns at the end of each data table, filled by every load.
    public static let waveColumn = "SPARK_WAVE"
    public static let sourceFileColumn = "SPARK_SOURCE_FILE"
    public static let sha256Column = "SPARK_FILE_SHA256"
    public static let loadedAtColumn = "SPARK_LOADED_AT"

    static let metadataColumns: [ColumnDefinition] = [
        ColumnDefinition(name: waveColumn, type: .number(precision: 38, scale: 0)),
        ColumnDefinition(name: sourceFileColumn, type: .varchar(length: nil)),
        ColumnDefinition(name: sha256Column, type: .varchar(length: 64)),
        ColumnDefinition(name: loadedAtColumn, type: .timestampNTZ, defaultExpression: "CURRENT_TIMESTAMP()"),
    ]

    static let processingLogColumns: [ColumnDefinition] = [
        ColumnDefinition(name: "LOGGED_AT", type: .timestampNTZ, defaultExpression: "CURRENT_TIMESTAMP()"),
        ColumnDefinition(name: "TABLE_NAME", type: .varchar(length: nil)),
        ColumnDefinition(name: "WAVE", type: .number(precision: 38, scale: 0)),
        ColumnDefinition(name: "FILE_NAME", type: .varchar(length: nil)),
        ColumnDefinition(name: "FILE_SHA256", type: .varchar(length: 64)),
        ColumnDefinition(name: "COLUMN_COUNT", type: .number(precision: 38, scale: 0)),
        ColumnDefinition(name: "ROW_COUNT", type: .number(precision: 38, scale: 0)),
        ColumnDefinition(name: "COLUMN_NAMES", type: .varchar(length: nil)),
        ColumnDefinition(name: "STATUS", type: .varchar(length: 16)),
        ColumnDefinition(name: "ERROR_MESSAGE", type: .varchar(length: nil)),
    ] + processingLogCounts

    /// Rows a load left out, by why (totals of other rows, rows `--bad-rows reject` rejected),
    /// and rows loaded with a naming key NAMING_KEYS does not hold (`--allow-unknown-keys`).
    /// Added to the logs of schemas created before spark counted them.
    static let processingLogCounts: [ColumnDefinition] = [
        ColumnDefinition(name: "ROWS_SUMMARY", type: .number(precision: 38, scale: 0)),
        ColumnDefinition(name: "ROWS_REJECTED", type: .number(precision: 38, scale: 0)),
        ColumnDefinition(name: "KEYS_UNMATCHED", type: .number(precision: 38, scale: 0)),
    ]

    /// Plans one wave.
    /// - Parameters:
    ///   - request: the files and the client/platform/year/wave they belong to.
    ///   - state: what state.sqlite knows about the request's schema.
    /// - Returns: the plan; if `refusals` is not empty it must not be written.
    /// - Throws: `PlanRequestError` for an unusable request.
    public static func plan(_ request: PlanRequest, state: KnownState) throws -> Plan {
        let target = try request.target()
        guard !request.inputs.isEmpty else { throw PlanRequestError.noFiles }
        var changes: [Change] = []
        var refusals: [Refusal] = []
        var notes: [String] = []

        // Working copy of the target table's columns, updated as each file is planned.
        var columns: [WorkingColumn]
        var knownFiles: [String: String] = [:]  // sha256 → where it was planned
        var knownContent: [String: (plannedIn: String, what: String)] = [:]  // fingerprint → where, and which file
        if let owner = state.schema?.owner, let conflict = SchemaTaken(schema: target.schema, owner: owner, target: target) {
            throw conflict
        }
        if let given = target.clientName {
            notes.append("client \(PlanText.shown(given)) is \(target.client) in schema and role names")
        }
        if let schema = state.schema {
            columns = (schema.table(request.table.tableName)?.columns ?? []).map {
                WorkingColumn(name: $0.name, type: $0.type, isData: $0.provenance != nil, facts: $0.facts, isNew: false, onlyNulls: false)
            }
            for (sha, f) in schema.files.sorted(by: { $0.value.version < $1.value.version }) {
                let label = MigrationName(version: f.version, description: "").versionLabel
                knownFiles[sha] = label
                if let fp = f.fingerprint, f.table == request.table.tableName, knownContent[fp] == nil {
                    knownContent[fp] = (label, "\(f.path) (wave \(f.wave))")
                }
            }
        } else {
            columns = []
        }
        let firstWave = state.schema == nil
        var firstWaveDataColumns: [ColumnDefinition] = []

        // A log made before spark counted left-out rows gets the columns before the first load.
        if let log = state.schema?.table(TableKind.processingLog.tableName) {
            for column in processingLogCounts where !log.columns.contains(where: { $0.name == column.name }) {
                changes.append(.addColumn(AddColumn(table: target.ref(.processingLog), column: column)))
            }
        }

        for input in request.inputs {
            let profile = try request.settings.applyingAliases(to: input.profile, path: input.path)
            if let plannedIn = knownFiles[profile.sha256] {
                changes.append(.skipFile(SkipFile(path: input.path, sha256: profile.sha256, plannedIn: plannedIn, wave: request.wave)))
                continue
            }
            if let fp = input.fingerprint, let earlier = knownContent[fp] {
                // The same rows in other bytes: a report exported again.
                changes.append(.skipFile(SkipFile(path: input.path, sha256: profile.sha256, plannedIn: earlier.plannedIn, wave: request.wave,
                                                  sameContentAs: earlier.what)))
                continue
            }
            knownFiles[profile.sha256] = "this plan"
            if let fp = input.fingerprint { knownContent[fp] = ("this plan", "\(input.path) (wave \(request.wave))") }
            if let note = decimalNote(profile, path: input.path) { notes.append(note) }

            var adds: [Change] = [], widens: [Change] = [], rewrites: [Change] = []
            var loadColumns: [LoadColumn] = []
            var seen = Set<String>()
            let reserved = Set(metadataColumns.map(\.name))
            let fileNames = Set(profile.columns.map(\.name))
            for (index, col) in profile.columns.enumerated() {
                var name = col.name
                if reserved.contains(name) {
                    var n = 2
                    while reserved.contains("\(col.name)_\(n)") || fileNames.contains("\(col.name)_\(n)") { n += 1 }
                    name = "\(col.name)_\(n)"
                    notes.append("\(input.path):\(profile.dialect.headerLine): header \(PlanText.shown(col.source)) would be \(col.name), a column spark fills itself; it becomes \(name)")
                }
                seen.insert(name)
                let allNull = profile.rows == 0 || col.nulls >= profile.rows
                if let i = columns.firstIndex(where: { $0.name == name }), columns[i].isNew {
                    // Created by this plan from an earlier file: the column is not in Snowflake
                    // yet, so it simply takes a type that holds both files.
                    if columns[i].onlyNulls {
                        columns[i].type = col.type
                    } else if !allNull {
                        switch columns[i].type.fit(of: col.type, facts: col.facts, known: columns[i].facts) {
                        case .fits: break
                        case let .widen(to), let .incompatible(_, rewriteTo: to?): columns[i].type = to
                        case let .incompatible(reason, nil):
                            refusals.append(Refusal(file: input.path, line: col.facts.evidence?.line ?? profile.dialect.headerLine,
                                                    value: col.facts.evidence?.value, table: request.table.tableName, column: name,
                                                    from: columns[i].type, to: col.type, reason: reason, rewritable: false))
                        }
                    }
                    columns[i].onlyNulls = columns[i].onlyNulls && allNull
                    columns[i].facts = columns[i].facts.merged(with: col.facts)
                } else if let i = columns.firstIndex(where: { $0.name == name }) {
                    let existing = columns[i]
                    let fit: TypeFit = allNull ? .fits : existing.type.fit(of: col.type, facts: col.facts, known: existing.facts)
                    let table = target.ref(request.table)
                    // A column that has held only NULLs so far (created as text for want of a
                    // type) takes the first real type it meets: with no values to lose, no flag.
                    let untyped = existing.isData && existing.type.family == .text && existing.facts.maxLength == 0
                    if untyped && !allNull && col.type.family != .text {
                        rewrites.append(.rewriteColumn(RewriteColumn(table: table, column: name, from: existing.type, to: col.type,
                                                                     temporaryName: temporaryName(for: name, in: columns),
                                                                     file: input.path, evidence: col.facts.evidence)))
                        notes.append("\(input.path): column \(name) has held only NULLs so far; it becomes \(col.type), rewritten through a new column without --allow-rewrite, since it has no values to lose")
                        columns[i].type = col.type
                        columns[i].facts = columns[i].facts.merged(with: col.facts)
                        loadColumns.append(LoadColumn(sourceIndex: index, rawHeader: col.source, column: name, inferredType: col.type,
                                                      columnType: col.type, nulls: col.nulls, facts: col.facts))
                        continue
                    }
                    switch fit {
                    case .fits:
                        break
                    case let .widen(to):
                        widens.append(.widenColumn(WidenColumn(table: table, column: name, from: existing.type, to: to,
                                                               file: input.path, evidence: col.facts.evidence)))
                        columns[i].type = to
                    case let .incompatible(reason, rewriteTo):
                        if request.allowRewrite, let to = rewriteTo {
                            rewrites.append(.rewriteColumn(RewriteColumn(table: table, column: name, from: existing.type, to: to,
                                                                         temporaryName: temporaryName(for: name, in: columns),
                                                                         file: input.path, evidence: col.facts.evidence)))
                            columns[i].type = to
                        } else {
                            refusals.append(Refusal(file: input.path, line: col.facts.evidence?.line ?? profile.dialect.headerLine,
                                                    value: col.facts.evidence?.value, table: request.table.tableName, column: name,
                                                    from: existing.type, to: rewriteTo ?? col.type, reason: reason,
                                                    rewritable: rewriteTo != nil))
                        }
                    }
                    columns[i].facts = columns[i].facts.merged(with: col.facts)
                } else {
                    let def = ColumnDefinition(name: name, type: col.type,
                                               provenance: Provenance(rawHeader: col.source, firstFile: input.path, firstWave: request.wave))
                    if firstWave {
                        firstWaveDataColumns.append(def)
                    } else {
                        adds.append(.addColumn(AddColumn(table: target.ref(request.table), column: def)))
                    }
                    columns.append(WorkingColumn(name: name, type: col.type, isData: true, facts: col.facts, isNew: true, onlyNulls: allNull))
                }
                let finalType = columns.first { $0.name == name }!.type
                loadColumns.append(LoadColumn(sourceIndex: index, rawHeader: col.source, column: name, inferredType: col.type,
                                              columnType: finalType, nulls: col.nulls, facts: col.facts))
            }
            let keeps: [Change] = columns.filter { $0.isData && !seen.contains($0.name) }.map {
                .keepColumn(KeepColumn(table: target.ref(request.table), column: $0.name, type: $0.type, file: input.path))
            }
            changes += adds + widens + rewrites + keeps
            changes.append(.loadFile(load(input, target: target, table: request.table, wave: request.wave, columns: loadColumns,
                                          nullMarkers: request.settings.nullMarkers)))
        }

        // Columns this plan creates take the type that holds all its files; load steps see final types.
        func finalType(_ name: String) -> SnowflakeType { columns.first { $0.name == name }!.type }
        for i in firstWaveDataColumns.indices { firstWaveDataColumns[i].type = finalType(firstWaveDataColumns[i].name) }
        if firstWave {
            changes = firstWaveStructure(target: target, state: state, settings: request.settings,
                                         dataColumns: firstWaveDataColumns) + changes
        }
        changes = changes.map { change in
            switch change {
            case var .loadFile(l):
                for i in l.columns.indices { l.columns[i].columnType = finalType(l.columns[i].column) }
                return .loadFile(l)
            case var .addColumn(a) where a.table == target.ref(request.table):
                a.column.type = finalType(a.column.name)
                return .addColumn(a)
            default:
                return change
            }
        }
        return Plan(target: target, changes: changes, refusals: refusals, notes: notes)
    }

    struct WorkingColumn {
        var name: String
        var type: SnowflakeType
        var isData: Bool
        var facts: ValueFacts
        /// Created or added by this plan.
        var isNew: Bool
        /// Every file so far had only nulls in it.
        var onlyNulls: Bool
    }

    static func temporaryName(for column: String, in columns: [WorkingColumn]) -> String {
        var name = column + "__SPARK_REWRITE"
        var n = 2
        while columns.contains(where: { $0.name == name }) {
            name = column + "__SPARK_REWRITE_\(n)"
            n += 1
        }
        return name
    }

    static func load(_ input: PlanInput, target: PlanTarget, table: TableKind, wave: Int, columns: [LoadColumn],
                     nullMarkers: [String]?) -> LoadFile {
        let p = input.profile
        return LoadFile(
            table: target.ref(table), wave: wave, path: input.path, sha256: p.sha256, bytes: p.bytes, rows: p.rows,
            dialect: p.dialect, columns: columns,
            constants: [
                LoadConstant(column: waveColumn, value: String(wave)),
                LoadConstant(column: sourceFileColumn, value: input.path),
                LoadConstant(column: sha256Column, value: p.sha256),
            ],
            canonicalPath: ".spark/staging/\(p.sha256).csv.gz", stage: target.stage,
            stagePath: "wave\(wave)/\(p.sha256).csv.gz", rawStageFolder: "raw/\(p.sha256)/",
            fileFormat: PlanTarget.fileFormat, nullMarkers: nullMarkers, namingKeys: table == .namingKeys ? input.namingKeys : nil,
            summaryRows: p.summaryRows.isEmpty ? nil : p.summaryRows, rejects: input.rejects, fingerprint: input.fingerprint,
            keysUnmatched: input.keysUnmatched)
    }

    /// A line for the reviewer on how the file's decimal mark was decided, when it matters:
    /// a decimal comma, a decision the user made, or a column that could be read both ways.
    static func decimalNote(_ p: FileProfile, path: String) -> String? {
        guard let d = p.decimal else { return nil }
        let ambiguous = p.columns.filter { $0.notation?.ambiguous != nil }.map(\.name)
        guard d.separator == .comma || d.source != .file || !ambiguous.isEmpty else { return nil }
        let why: String = switch d.source {
        case .setting: "as set in spark.toml or by --decimal-separator"
        case .file: "line \(d.evidence?.line ?? 0) has \(d.evidence.map { PlanText.shown($0.value) } ?? "") in \(d.column ?? "?"), which reads only that way"
        case .columnTypes: "column_types gives \(d.column ?? "?") a type only that reading fits"
        }
        let read = ambiguous.isEmpty ? "" : "; read accordingly: \(ambiguous.joined(separator: ", "))"
        return "\(path): decimal separator \"\(d.separator.rawValue)\" (\(why))\(read)"
    }

    /// Everything a client/platform/year needs before its first load.
    static func firstWaveStructure(target: PlanTarget, state: KnownState, settings: PlanSettings,
                                   dataColumns: [ColumnDefinition]) -> [Change] {
        let db = target.database, s = target.schema
        var out: [Change] = []
        if !state.databaseKnown { out.append(.createDatabase(CreateDatabase(database: db))) }
        out.append(.createSchema(CreateSchema(database: db, schema: s, client: target.client, platform: target.platform, year: target.year,
                                                  clientName: target.clientName)))
        for kind in [TableKind.namingKeys, .campaign] {
            let data = kind == target.table ? dataColumns : []
            out.append(.createTable(CreateTable(table: target.ref(kind), kind: kind, columns: data + metadataColumns)))
        }
        out.append(.createTable(CreateTable(table: target.ref(.processingLog), kind: .processingLog, columns: processingLogColumns)))
        out.append(.createFileFormat(CreateFileFormat(database: db, schema: s, name: PlanTarget.fileFormat)))
        out.append(.createStage(CreateStage(database: db, schema: s, name: target.stage, fileFormat: PlanTarget.fileFormat)))
        let rw = target.readWriteRole, ro = target.readOnlyRole
        out.append(.createRole(CreateRole(role: rw, schema: s, access: .readWrite, parentRole: settings.parentRole)))
        out.append(.createRole(CreateRole(role: ro, schema: s, access: .readOnly, parentRole: settings.parentRole)))
        var grants: [Grant] = []
        for role in [rw, ro] {
            grants.append(Grant(privileges: [], object: .role, objectName: [role], role: settings.parentRole))
            grants.append(Grant(privileges: ["USAGE"], object: .database, objectName: [db], role: role))
            grants.append(Grant(privileges: ["USAGE"], object: .schema, objectName: [db, s], role: role))
        }
        grants.append(Grant(privileges: ["SELECT"], object: .allTables, objectName: [db, s], role: ro))
        grants.append(Grant(privileges: ["SELECT"], object: .futureTables, objectName: [db, s], role: ro))
        let dml = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"]
        grants.append(Grant(privileges: dml, object: .allTables, objectName: [db, s], role: rw))
        grants.append(Grant(privileges: dml, object: .futureTables, objectName: [db, s], role: rw))
        grants.append(Grant(privileges: ["READ", "WRITE"], object: .stage, objectName: [db, s, target.stage], role: rw))
        grants.append(Grant(privileges: ["USAGE"], object: .fileFormat, objectName: [db, s, PlanTarget.fileFormat], role: rw))
        out += grants.map { .grant($0) }
        return out
    }
}
