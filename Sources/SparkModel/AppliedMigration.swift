/// A migration's status in a target's history (`SPARK_HISTORY.STATUS`).
public enum MigrationStatus: String, Sendable, Equatable, Codable, CaseIterable {
    case applied = "APPLIED"
    case failed = "FAILED"
    /// A run that was killed, or is still going.
    case running = "RUNNING"
    /// A run stopped by SIGINT or SIGTERM at a statement's end.
    case stopped = "STOPPED"
}

/// What one target has applied of one migration, as its history table says; state.sqlite keeps
/// a copy per target so `spark status` can answer without a connection.
public struct AppliedMigration: Sendable, Equatable, Codable {
    public var version: Int
    public var checksum: String
    public var status: MigrationStatus
    public var statementsApplied: Int
    public var statementsTotal: Int
    public var failedStatement: Int?
    public var error: String?
    public var appliedBy: String?
    public var appliedAt: String?
    public var durationMs: Int?
    /// The project (spark.toml's `project_id`) whose migration this was; nil before spark recorded it.
    public var projectId: String?
    /// A short hash of each statement applied so far (``LocalMigration/statementHashes``); nil in
    /// histories from before spark recorded them.
    public var statementHashes: [String]?

    public init(version: Int, checksum: String, status: MigrationStatus, statementsApplied: Int, statementsTotal: Int,
                failedStatement: Int? = nil, error: String? = nil, appliedBy: String? = nil, appliedAt: String? = nil, durationMs: Int? = nil,
                projectId: String? = nil, statementHashes: [String]? = nil) {
        self.version = version
        self.checksum = checksum
        self.status = status
        self.statementsApplied = statementsApplied
        self.statementsTotal = statementsTotal
        self.failedStatement = failedStatement
        self.error = error
        self.appliedBy = appliedBy
        self.appliedAt = appliedAt
        self.durationMs = durationMs
        self.projectId = projectId
        self.statementHashes = statementHashes
    }
}
