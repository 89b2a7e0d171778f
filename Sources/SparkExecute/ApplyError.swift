import SparkModel

/// Why `spark apply` stopped. Each says what to do next.
public enum ApplyError: Error, Sendable, CustomStringConvertible {
    case editedAfterApply(file: String, version: Int, applied: String, local: String)
    case missingLocally(version: Int, description: String)
    case hole(file: String, version: Int, after: Int)
    case locked(holder: LockHolder)
    case lockLost(file: String, statement: Int)
    case stopped(signal: String, file: String, statement: Int, total: Int)
    case stoppedWaiting(signal: String)
    case otherProject(history: String, theirs: String, version: Int, mine: String)
    case statementFailed(file: String, statement: Int, total: Int, line: Int, code: String?, message: String)
    case loadMismatch(file: String, statement: Int, source: String, expected: Int, loaded: Int64)
    case load(file: String, statement: Int, message: String)
    case unknownStatus(history: String, version: Int, status: String)
    case untagged(file: String, line: Int)
    case badStep(file: String, line: Int, message: String)
    case editedBeforeResume(file: String, statement: Int, line: Int)

    public var description: String {
        switch self {
        case let .editedAfterApply(file, version, applied, local):
            return "migrations/\(file): V\(version) was applied with checksum \(applied.prefix(12))… but the file now has \(local.prefix(12))…; nothing was run\n"
                + "  hint: an applied migration must not change; restore it from git and put the change in a new migration (spark plan)"
        case let .missingLocally(version, description):
            return "the target has applied V\(version) (\(description)) but migrations/ has no such file; nothing was run\n"
                + "  hint: restore the file from git, or point --connection at the right target"
        case let .hole(file, version, after):
            return "migrations/\(file): V\(version) was never applied but V\(after) already was; nothing was run\n"
                + "  hint: migrations apply in order; a migration added below an applied one (a merge?) must be renumbered above it"
        case let .locked(holder):
            return "another spark apply holds the target's lock: \(holder.described)\n"
                + "  hint: wait for it to finish, or pass --lock-wait SECONDS; a holder that died is taken over at once on its own host, "
                + "and elsewhere once its lock is --stale-lock seconds old; `spark unlock --lock-id \(holder.id)` removes a lock that will never be released"
        case let .stopped(signal, file, statement, total):
            return "stopped by \(signal) before statement \(statement) of \(total) of migrations/\(file); the lock is released\n"
                + "  hint: run spark apply again to resume at that statement"
        case let .otherProject(history, theirs, version, mine):
            return "\(history) belongs to another project: it records V\(version) of project \(theirs), and this project is \(mine); nothing was run\n"
                + "  hint: two projects on one database need their own history: set history_schema in spark.toml (for example history_schema = \"SPARK_<PROJECT>\"); or point --connection at this project's target"
        case let .stoppedWaiting(signal):
            return "stopped by \(signal) while waiting for the target's lock; nothing was run\n"
                + "  hint: run spark apply again when the other run is done"
        case let .lockLost(file, statement):
            return "migrations/\(file): stopped before statement \(statement): another run took the target's lock over (this run's heartbeat was late)\n"
                + "  hint: check that no other spark apply is running, then run spark apply again; it resumes at statement \(statement)"
        case let .statementFailed(file, statement, total, line, code, message):
            return "migrations/\(file):\(line): statement \(statement) of \(total) failed\(code.map { " (Snowflake error \($0))" } ?? ""): \(message)\n"
                + "  hint: the migration is marked FAILED at statement \(statement); fix the cause (or, if it was never applied anywhere, the statement and spark.sum) and run spark apply again to resume there"
        case let .loadMismatch(file, statement, source, expected, loaded):
            return "migrations/\(file): statement \(statement): COPY loaded \(loaded) rows of \(source) but the file has \(expected)\n"
                + "  hint: PROCESSING_LOG has a FAILED row; check the staged file and the table, then run spark apply again"
        case let .load(file, statement, message):
            return "migrations/\(file): statement \(statement): \(message)"
        case let .untagged(file, line):
            return "migrations/\(file):\(line): the migration has no `-- spark:step` lines, so spark cannot tell what its statements do; nothing of it was run\n"
                + "  hint: it was written by a spark before 0.16; if no target has applied it, remove it with `spark discard` and plan the wave again"
        case let .badStep(file, line, message):
            return "migrations/\(file):\(line): \(message); nothing of the migration was run\n"
                + "  hint: `-- spark:step` lines are written by `spark plan`; restore the file from git"
        case let .editedBeforeResume(file, statement, line):
            return "migrations/\(file):\(line): statement \(statement) was applied, and has changed since; nothing was run\n"
                + "  hint: a resumed migration must keep the statements it already ran; restore that statement from git (only the failed statement and those after it may be fixed)"
        case let .unknownStatus(history, version, status):
            return "\(history): V\(version) has status \(status.debugDescription), which spark does not know; nothing was run\n"
                + "  hint: the status is one of \(MigrationStatus.allCases.map(\.rawValue).joined(separator: ", ")); a history edited by hand must be set back to one of them"
        }
    }
}
