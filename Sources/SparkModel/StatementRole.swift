/// What one statement of a migration does. The emitter writes it before the statement, with the
/// number of the header's change the statement belongs to (`-- spark:step 12 copy`), and the
/// applier acts on it: which file a PUT sends, which COPY the row count guards, which statements
/// it may run again after a kill without recording progress first. Nothing reads the SQL text
/// to find this out, so a customised template cannot switch a guard off unnoticed.
public enum StatementRole: String, Sendable, Hashable, Codable, CaseIterable {
    case createDatabase = "create_database"
    case createSchema = "create_schema"
    case createTable = "create_table"
    case createFileFormat = "create_file_format"
    case createStage = "create_stage"
    case createRole = "create_role"
    case grant
    case addColumn = "add_column"
    case widenColumn = "widen_column"
    /// The four statements of a rewrite through a new column.
    case rewriteAdd = "rewrite_add"
    case rewriteFill = "rewrite_fill"
    case rewriteDrop = "rewrite_drop"
    case rewriteRename = "rewrite_rename"
    /// A load: the canonical copy's PUT, the original's, the rejects file's, the COPY, and the
    /// PROCESSING_LOG row.
    case putCanonical = "put_canonical"
    case putRaw = "put_raw"
    case putRejects = "put_rejects"
    case copy
    case logLoad = "log_load"
    case grantRoleToUser = "grant_role_to_user"
    case revokeRoleFromUser = "revoke_role_from_user"
    case dropSchema = "drop_schema"
    case dropRole = "drop_role"
    /// A statement a customised template adds. spark knows nothing of it, so it records progress
    /// after it: a rerun never runs it twice.
    case custom

    /// Whether running it a second time is harmless, as spark's templates write it: `IF NOT
    /// EXISTS`, `IF EXISTS`, grants, a log insert guarded by `NOT EXISTS`, a PUT that spark always
    /// sends again, a COPY guarded by the rows the table holds, a rename guarded by the new
    /// column's presence. After the others the applier records progress before going on.
    public var isRepeatable: Bool {
        switch self {
        case .createDatabase, .createSchema, .createTable, .createFileFormat, .createStage, .createRole, .grant,
             .addColumn, .rewriteAdd, .rewriteRename, .putCanonical, .putRaw, .putRejects, .copy, .logLoad,
             .grantRoleToUser, .revokeRoleFromUser, .dropSchema, .dropRole:
            true
        case .widenColumn, .rewriteFill, .rewriteDrop, .custom:
            false
        }
    }
}

/// A statement's `-- spark:step N role` line: the header change it belongs to (1-based) and its role.
public struct StatementTag: Sendable, Hashable {
    public var change: Int
    public var role: StatementRole

    public init(change: Int, role: StatementRole) {
        self.change = change
        self.role = role
    }

    static let prefix = "-- spark:step "

    /// The line as the emitter writes it.
    public var line: String { "\(Self.prefix)\(change) \(role.rawValue)" }
}

extension Change.Kind {
    /// The roles a statement of this kind's template may take (besides `custom`). A template
    /// statement without a `-- spark:role` line takes the kind's role when it has only one.
    public var statementRoles: [StatementRole] {
        switch self {
        case .createDatabase: [.createDatabase]
        case .createSchema: [.createSchema]
        case .createTable: [.createTable]
        case .createFileFormat: [.createFileFormat]
        case .createStage: [.createStage]
        case .createRole: [.createRole]
        case .grant: [.grant]
        case .addColumn: [.addColumn]
        case .widenColumn: [.widenColumn]
        case .rewriteColumn: [.rewriteAdd, .rewriteFill, .rewriteDrop, .rewriteRename]
        case .keepColumn, .skipFile: []
        case .loadFile: [.putCanonical, .putRaw, .putRejects, .copy, .logLoad]
        case .grantRoleToUser: [.grantRoleToUser]
        case .revokeRoleFromUser: [.revokeRoleFromUser]
        case .dropSchema: [.dropSchema, .dropRole]
        }
    }
}

extension Change {
    /// The roles that must each appear exactly once among the change's statements: the steps
    /// whose guards keep a load or a rewrite exact. A template that leaves one out is refused.
    public var requiredRoles: [StatementRole] {
        switch self {
        case let .loadFile(l): [.putCanonical, .putRaw] + (l.rejects == nil ? [] : [.putRejects]) + [.copy, .logLoad]
        case .rewriteColumn: [.rewriteAdd, .rewriteFill, .rewriteDrop, .rewriteRename]
        case .dropSchema: [.dropSchema]
        default: []
        }
    }

    /// Checks the roles of the change's statements, in order: each required one exactly once, and
    /// nothing outside the kind's roles but `custom` (a rejects PUT only with a rejects file).
    /// - Returns: nil when they fit, else what is wrong.
    public func problem(withRoles roles: [StatementRole]) -> String? {
        let allowed = Set(kind.statementRoles).subtracting(requiredRoles.contains(.putRejects) || kind != .loadFile ? [] : [.putRejects])
        if let stray = roles.first(where: { $0 != .custom && !allowed.contains($0) }) {
            return "a \(kind.rawValue) change has no \(stray.rawValue) statement (its roles: \(kind.statementRoles.map(\.rawValue).joined(separator: ", ")), custom)"
        }
        for role in requiredRoles {
            let n = roles.filter { $0 == role }.count
            if n != 1 {
                return n == 0 ? "the \(role.rawValue) statement is missing: spark's guards rest on it"
                    : "the \(role.rawValue) statement appears \(n) times; it must appear once"
            }
        }
        return nil
    }
}
