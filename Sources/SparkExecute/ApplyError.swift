import SparkModel

/// Why `spark apply` stopped. Each says what to do next.
public enum ApplyError: Error, Sendable, DiagnosticConvertible {
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

    public var diagnostic: Diagnostic {
        switch self {
        case let .editedAfterApply(file, version, applied, local):
            return Diagnostic(code: "apply.edited_after_apply",
                              file: "migrations/\(file)",
                              message: "V\(version) was applied with checksum \(applied.prefix(12))… but the file now has \(local.prefix(12))…; nothing was run",
                              hint: "an applied migration must not change; restore it from git and put the change in a new migration (spark plan)")
        case let .missingLocally(version, description):
            return Diagnostic(code: "apply.missing_locally",
                              message: "the target has applied V\(version) (\(description)) but migrations/ has no such file; nothing was run",
                              hint: "restore the file from git, or point --connection at the right target")
        case let .hole(file, version, after):
            return Diagnostic(code: "apply.hole",
                              file: "migrations/\(file)",
                              message: "V\(version) was never applied but V\(after) already was; nothing was run",
                              hint: "migrations apply in order; a migration added below an applied one (a merge?) must be renumbered above it")
        case let .locked(holder):
            return Diagnostic(code: "apply.locked",
                              message: "another spark apply holds the target's lock: \(holder.described)",
                              hint: "wait for it to finish, or pass --lock-wait SECONDS; a holder that died is taken over at once on its own host, "
                + "and elsewhere once its lock is --stale-lock seconds old; `spark unlock --lock-id \(holder.id)` removes a lock that will never be released")
        case let .stopped(signal, file, statement, total):
            return Diagnostic(code: "apply.stopped",
                              message: "stopped by \(signal) before statement \(statement) of \(total) of migrations/\(file); the lock is released",
                              hint: "run spark apply again to resume at that statement")
        case let .otherProject(history, theirs, version, mine):
            return Diagnostic(code: "apply.other_project",
                              message: "\(history) belongs to another project: it records V\(version) of project \(theirs), and this project is \(mine); nothing was run",
                              hint: "two projects on one database need their own history: set history_schema in spark.toml (for example history_schema = \"SPARK_<PROJECT>\"); or point --connection at this project's target")
        case let .stoppedWaiting(signal):
            return Diagnostic(code: "apply.stopped_waiting",
                              message: "stopped by \(signal) while waiting for the target's lock; nothing was run",
                              hint: "run spark apply again when the other run is done")
        case let .lockLost(file, statement):
            return Diagnostic(code: "apply.lock_lost",
                              file: "migrations/\(file)",
                              message: "stopped before statement \(statement): another run took the target's lock over (this run's heartbeat was late)",
                              hint: "check that no other spark apply is running, then run spark apply again; it resumes at statement \(statement)")
        case let .statementFailed(file, statement, total, line, code, message):
            return Diagnostic(code: "apply.statement_failed",
                              file: "migrations/\(file)",
                              line: line,
                              message: "statement \(statement) of \(total) failed\(code.map { " (Snowflake error \($0))" } ?? ""): \(message)",
                              hint: "the migration is marked FAILED at statement \(statement); fix the cause (or, if it was never applied anywhere, the statement and spark.sum) and run spark apply again to resume there")
        case let .loadMismatch(file, statement, source, expected, loaded):
            return Diagnostic(code: "apply.load_mismatch",
                              file: "migrations/\(file)",
                              message: "statement \(statement): COPY loaded \(loaded) rows of \(source) but the file has \(expected)",
                              hint: "PROCESSING_LOG has a FAILED row; check the staged file and the table, then run spark apply again")
        case let .load(file, statement, message):
            return Diagnostic(code: "apply.load",
                              file: "migrations/\(file)",
                              message: "statement \(statement): \(message)")
        case let .untagged(file, line):
            return Diagnostic(code: "apply.untagged",
                              file: "migrations/\(file)",
                              line: line,
                              message: "the migration has no `-- spark:step` lines, so spark cannot tell what its statements do; nothing of it was run",
                              hint: "it was written by a spark before 0.16; if no target has applied it, remove it with `spark discard` and plan the wave again")
        case let .badStep(file, line, message):
            return Diagnostic(code: "apply.bad_step",
                              file: "migrations/\(file)",
                              line: line,
                              message: "\(message); nothing of the migration was run",
                              hint: "`-- spark:step` lines are written by `spark plan`; restore the file from git")
        case let .editedBeforeResume(file, statement, line):
            return Diagnostic(code: "apply.edited_before_resume",
                              file: "migrations/\(file)",
                              line: line,
                              message: "statement \(statement) was applied, and has changed since; nothing was run",
                              hint: "a resumed migration must keep the statements it already ran; restore that statement from git (only the failed statement and those after it may be fixed)")
        case let .unknownStatus(history, version, status):
            return Diagnostic(code: "apply.unknown_status",
                              message: "\(history): V\(version) has status \(status.debugDescription), which spark does not know; nothing was run",
                              hint: "the status is one of \(MigrationStatus.allCases.map(\.rawValue).joined(separator: ", ")); a history edited by hand must be set back to one of them")
        }
    }
}
