import Foundation
import SparkModel

/// Who holds (or wants) a target's apply lock: enough to tell a live holder from a dead one.
public struct LockHolder: Sendable, Equatable, Codable {
    /// Unique per run.
    public var id: String
    public var host: String
    public var pid: Int
    /// The process's start time in clock ticks since boot (`/proc/<pid>/stat`, field 22), so a
    /// pid the system reused for another process is not taken for the holder.
    public var processStart: String
    public var osUser: String
    public var snowflakeUser: String
    public var sparkVersion: String
    public var acquiredAt: String = ""
    public var heartbeat: Int = 0
    /// How often the holder refreshes `heartbeat`, in seconds; a taker waits for several
    /// missed refreshes whatever its own `--stale-lock` (0 for an older spark's lock).
    public var heartbeatSeconds: Int = 0

    public init(id: String, host: String, pid: Int, processStart: String, osUser: String, snowflakeUser: String, sparkVersion: String) {
        self.id = id
        self.host = host
        self.pid = pid
        self.processStart = processStart
        self.osUser = osUser
        self.snowflakeUser = snowflakeUser
        self.sparkVersion = sparkVersion
    }

    /// This process.
    public static func current(snowflakeUser: String, sparkVersion: String) -> LockHolder {
        LockHolder(id: UUID().uuidString.lowercased(), host: ProcessInfo.processInfo.hostName, pid: Int(getpid()),
                   processStart: processStartTime(pid: Int(getpid())) ?? "", osUser: osUserName(), snowflakeUser: snowflakeUser,
                   sparkVersion: sparkVersion)
    }

    /// The name of the user running this process (not `$USER`, which a service may not set).
    public static func osUserName() -> String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid \(geteuid())"
    }

    static func processStartTime(pid: Int) -> String? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may hold spaces) start at field 3.
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? String(fields[19]) : nil
    }

    /// True when the holder ran on this host and its process is gone (or its pid now belongs
    /// to another process).
    public var isDeadOnThisHost: Bool {
        guard host == ProcessInfo.processInfo.hostName, pid > 0 else { return false }
        if kill(pid_t(pid), 0) != 0 && errno == ESRCH { return true }
        if !processStart.isEmpty, let now = Self.processStartTime(pid: pid), now != processStart { return true }
        return false
    }

    /// One line for people: `jane on build-7 (pid 4121), Snowflake user SPARK_CI, spark 0.9, since …`.
    public var described: String {
        "\(osUser) on \(host) (pid \(pid)), Snowflake user \(snowflakeUser), \(sparkVersion), since \(acquiredAt); lock id \(id)"
    }
}

/// The apply lock: one row in `SPARK_LOCK`, the table made once with the history.
///
/// Taking it: a run inserts its row only where the table has none (`INSERT … SELECT … WHERE NOT
/// EXISTS`), then reads the table back. It holds the lock when its row is the only one. Two
/// inserts that raced can both land (Snowflake lets INSERTs run side by side); each run then sees
/// two rows, removes its own, and tries again after a random pause. A run whose read shows only
/// its own row wins: any other run's insert either found that row and did nothing, or landed and
/// its read shows two rows. So at most one run holds the lock, whatever the timing.
///
/// Taking over a holder that died deletes exactly that holder's row, matched on its id and the
/// heartbeat that was judged stale (a compare-and-swap), then competes as above. Releasing deletes
/// only the caller's own row.
final class TargetLock: @unchecked Sendable {
    let driver: any Driver
    let table: String
    let me: LockHolder
    /// A lock not refreshed for this long belongs to a run that died.
    let stale: Duration
    /// How often the heartbeat runs while the lock is held.
    let interval: Duration
    private let state = NSLock()
    private var lost = false
    private var beating: Task<Void, Never>?

    init(driver: any Driver, table: String, holder: LockHolder, stale: Duration) {
        self.driver = driver
        self.table = table
        me = holder
        self.stale = stale
        let seconds = max(1, min(60, stale.components.seconds / 4))
        interval = .seconds(seconds)
    }

    static func createTable(_ table: String) -> String {
        """
        CREATE TABLE IF NOT EXISTS \(table) (LOCK_ID VARCHAR, HOST VARCHAR, PID NUMBER(38,0), PROCESS_START VARCHAR, OS_USER VARCHAR, \
        SNOWFLAKE_USER VARCHAR, SPARK_VERSION VARCHAR, ACQUIRED_AT VARCHAR, HEARTBEAT_EPOCH NUMBER(38,0), HEARTBEAT_SECONDS NUMBER(38,0))
        """
    }

    static func selectHolders(_ table: String) -> String {
        "SELECT LOCK_ID, HOST, PID, PROCESS_START, OS_USER, SNOWFLAKE_USER, SPARK_VERSION, ACQUIRED_AT, HEARTBEAT_EPOCH, HEARTBEAT_SECONDS FROM \(table) ORDER BY ACQUIRED_AT, LOCK_ID"
    }

    /// The holders the table lists (one, except for a moment while two runs race).
    static func holders(_ r: StatementResult) -> [LockHolder] {
        r.rows.map { row in
            func s(_ i: Int) -> String { i < row.count ? row[i] ?? "" : "" }
            var h = LockHolder(id: s(0), host: s(1), pid: Int(s(2)) ?? 0, processStart: s(3), osUser: s(4), snowflakeUser: s(5), sparkVersion: s(6))
            h.acquiredAt = s(7)
            h.heartbeat = Int(s(8)) ?? 0
            h.heartbeatSeconds = Int(s(9)) ?? 0
            return h
        }
    }

    /// Takes the lock, waiting up to `wait` for a live holder. `say` gets a line when a dead
    /// holder's lock is taken over.
    func acquire(wait: Duration, stop: StopRequest?, say: @Sendable (String) -> Void) async throws {
        let deadline = ContinuousClock.now + wait
        while true {
            if let signal = stop?.requested { throw ApplyError.stoppedWaiting(signal: StopRequest.name(signal)) }
            let now = Int(Date().timeIntervalSince1970)
            do {
                try await driver.record("""
                    INSERT INTO \(table) (LOCK_ID, HOST, PID, PROCESS_START, OS_USER, SNOWFLAKE_USER, SPARK_VERSION, ACQUIRED_AT, HEARTBEAT_EPOCH, \
                    HEARTBEAT_SECONDS) SELECT \(lit(me.id)), \(lit(me.host)), \(me.pid), \(lit(me.processStart)), \(lit(me.osUser)), \
                    \(lit(me.snowflakeUser)), \(lit(me.sparkVersion)), \(lit(TargetHistory.now())), \(now), \(interval.components.seconds) \
                    WHERE NOT EXISTS (SELECT 1 FROM \(table))
                    """)
            } catch {
                // A lock table an older spark made (OWNER, ACQUIRED_AT, HEARTBEAT_EPOCH) has no LOCK_ID.
                if try await replaceOldTable() { continue }
                throw error
            }
            let rows = Self.holders(try await driver.query(Self.selectHolders(table)))
            if rows.count == 1 && rows[0].id == me.id { return startHeartbeat() }
            if rows.contains(where: { $0.id == me.id }) {
                // Raced another run's insert: both step back, then try again at random moments.
                try await driver.record("DELETE FROM \(table) WHERE LOCK_ID = \(lit(me.id))")
                try await Task.sleep(for: .milliseconds(Int.random(in: 50...400)))
                continue
            }
            guard let holder = rows.first else { continue }  // released in between
            let age = now - holder.heartbeat
            // Never sooner than three of the holder's own refreshes: a short --stale-lock here
            // cannot take a live lock whose holder refreshes less often.
            let limit = max(Int(stale.components.seconds), 3 * holder.heartbeatSeconds)
            if holder.isDeadOnThisHost || age >= limit {
                let why = holder.isDeadOnThisHost ? "its process is gone" : "it was last refreshed \(age) s ago"
                say("spark apply: taking over the lock of \(holder.osUser) on \(holder.host) (pid \(holder.pid), lock id \(holder.id)): \(why)")
                try await driver.record("DELETE FROM \(table) WHERE LOCK_ID = \(lit(holder.id)) AND HEARTBEAT_EPOCH = \(holder.heartbeat)")
                continue
            }
            if ContinuousClock.now >= deadline { throw ApplyError.locked(holder: holder) }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// A lock table from before lock ids: replaced when empty or stale. False when it is not one.
    private func replaceOldTable() async throws -> Bool {
        guard let old = try? await driver.query("SELECT OWNER, ACQUIRED_AT, HEARTBEAT_EPOCH FROM \(table)") else { return false }
        if let beat = old.first("HEARTBEAT_EPOCH").flatMap(Int.init), Int(Date().timeIntervalSince1970) - beat < Int(stale.components.seconds) {
            var holder = LockHolder(id: "(an older spark's lock)", host: "?", pid: 0, processStart: "", osUser: old.first("OWNER") ?? "?",
                                    snowflakeUser: "?", sparkVersion: "an older spark")
            holder.acquiredAt = old.first("ACQUIRED_AT") ?? "?"
            throw ApplyError.locked(holder: holder)
        }
        try await driver.record("DROP TABLE IF EXISTS \(table)")
        try await driver.record(Self.createTable(table))
        return true
    }

    /// Refreshes the lock on a timer while it is held, long steps included (canonical writes,
    /// uploads, COPY), and notes when the row is gone: another run took the lock over.
    private func startHeartbeat() {
        beating = Task { [weak self] in
            while let self, !Task.isCancelled {
                try? await Task.sleep(for: self.interval)
                if Task.isCancelled { return }
                do {
                    try await self.driver.record("UPDATE \(self.table) SET HEARTBEAT_EPOCH = \(Int(Date().timeIntervalSince1970)) WHERE LOCK_ID = \(lit(self.me.id))")
                    let mine = try await self.driver.query("SELECT COUNT(*) AS N FROM \(self.table) WHERE LOCK_ID = \(lit(self.me.id))")
                    if mine.first("N") == "0" { self.markLost() }
                } catch {
                    // A failed refresh is retried at the next beat; the stale rule allows several.
                }
            }
        }
    }

    private func markLost() {
        state.lock()
        lost = true
        state.unlock()
    }

    /// True once a heartbeat found the lock taken over: the run must stop.
    var isLost: Bool {
        state.lock()
        defer { state.unlock() }
        return lost
    }

    /// Stops the heartbeat and deletes this run's row (never another run's).
    func release() async throws {
        beating?.cancel()
        beating = nil
        try await driver.record("DELETE FROM \(table) WHERE LOCK_ID = \(lit(me.id))")
    }
}

private func lit(_ s: String) -> String { SQLText.literal(s) }
