import Foundation
import SparkModel
import Testing

/// What apply does around its statements, on fakesnow: the lock (taking, racing, taking over,
/// releasing, unlocking), signals, rewrites that resume, project identity, unreachable targets.
/// After every case a rerun must leave each file loaded once, one LOADED log row per file, a
/// complete history and no lock.
/// The OS user as the lock and history record it (not `$USER`, which may be unset).
enum LockHolderName {
    static var current: String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "?"
    }
}

@Suite(.serialized) struct ApplySafetyTests {
    static let schema = ["--client", "byd", "--platform", "meta", "--year", "2024"]

    /// A project with `waves` small waves planned (3 rows each), not applied.
    func project(waves: Int = 2, port: Int? = nil) throws -> ApplyProject {
        let p = try ApplyProject(planExamples: false, port: port)
        for w in 1...waves {
            let rows = (1...3).map { "2024-0\(w)-0\($0),Campaign \($0),\(w * 100 + $0),\($0).5\(w)" }
            try (["Day,Campaign,Clicks,Spend"] + rows).joined(separator: "\n").appending("\n")
                .write(to: p.root.appendingPathComponent("data/w\(w).csv"), atomically: true, encoding: .utf8)
            let r = try CLI.run(["plan"] + Self.schema + ["--wave", "\(w)", "data/w\(w).csv"], in: p.root)
            #expect(r.status == 0, "\(r.stderr)")
        }
        return p
    }

    var lockTable: (ApplyProject) -> String { { "\"\($0.database)\".\"SPARK\".\"SPARK_LOCK\"" } }

    func insertHolder(_ p: ApplyProject, id: String, host: String, pid: Int, heartbeat: Int) async throws {
        _ = try await p.query("""
            INSERT INTO \(lockTable(p)) (LOCK_ID, HOST, PID, PROCESS_START, OS_USER, SNOWFLAKE_USER, SPARK_VERSION, ACQUIRED_AT, HEARTBEAT_EPOCH)
            VALUES ('\(id)', '\(host)', \(pid), '', 'ci', 'SPARK_CI', 'spark 0.15', '2026-11-29T10:00:00Z', \(heartbeat))
            """)
    }

    /// Every file loaded once, one LOADED row per file, every migration APPLIED, no lock left.
    func expectCleanEnd(_ p: ApplyProject, waves: Int = 2, migrations: Int = 2) async throws {
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 3 * waves, "each file loaded once")
        let log = try await p.query("SELECT FILE_NAME, COUNT(*) FROM \"\(p.database)\".\"CLIENT_BYD_META_2024\".\"PROCESSING_LOG\" WHERE STATUS = 'LOADED' GROUP BY FILE_NAME")
        #expect(log.count == waves && log.allSatisfy { $0[1] == "1" }, "one LOADED row per file: \(log)")
        let history = try await p.query("SELECT VERSION, STATUS FROM \"\(p.database)\".\"SPARK\".\"SPARK_HISTORY\" ORDER BY VERSION")
        #expect(history.count == migrations && history.allSatisfy { $0[1] == "APPLIED" }, "a complete history: \(history)")
        let by = try await p.query("SELECT DISTINCT APPLIED_BY FROM \"\(p.database)\".\"SPARK\".\"SPARK_HISTORY\"")
        #expect(by.allSatisfy { ($0[0] ?? "").hasPrefix(LockHolderName.current + "@") }, "APPLIED_BY names the OS user: \(by)")
        #expect(try await p.query("SELECT COUNT(*) FROM \(lockTable(p))").first?.first == "0", "no lock left")
    }

    // MARK: the lock

    @Test func aLiveLockElsewhereIsRefusedAndUnlockRemovesIt() async throws {
        let p = try project()
        #expect(try p.apply(["--to", "0"]).status == 0)
        try await insertHolder(p, id: "lock-elsewhere", host: "build-7.example", pid: 4121, heartbeat: Int(Date().timeIntervalSince1970))
        let refused = try p.apply()
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("another spark apply holds the target's lock: ci on build-7.example (pid 4121), Snowflake user SPARK_CI, spark 0.15"), "\(refused.stderr)")
        #expect(refused.stderr.contains("spark unlock --lock-id lock-elsewhere"))
        #expect(try await p.query("SELECT COUNT(*) FROM \"\(p.database)\".\"SPARK\".\"SPARK_HISTORY\"").first?.first == "0", "nothing ran")

        let status = try CLI.run(["status"], in: p.root, environment: p.environment)
        #expect(status.stdout.contains("locked by ci on build-7.example (pid 4121)"), "\(status.stdout)")
        let noTTY = try CLI.run(["unlock", "--lock-id", "lock-elsewhere"], in: p.root, environment: p.environment)
        #expect(noTTY.status == 1)
        #expect(noTTY.stderr.contains("there is no terminal to confirm on; the lock stays"), "\(noTTY.stderr)")
        let wrong = try CLI.run(["unlock", "--lock-id", "nope", "--yes"], in: p.root, environment: p.environment)
        #expect(wrong.stderr.contains("no lock with id nope: it is held by ci on build-7.example"), "\(wrong.stderr)")
        let unlocked = try CLI.run(["unlock", "--lock-id", "lock-elsewhere", "--yes"], in: p.root, environment: p.environment)
        #expect(unlocked.status == 0, "\(unlocked.stderr)")
        #expect(unlocked.stdout.contains("Removed the lock lock-elsewhere."))
        #expect(try p.apply().status == 0)
        try await expectCleanEnd(p)
    }

    @Test func aDeadHolderOnThisHostIsTakenOverAtOnce() async throws {
        let p = try project()
        #expect(try p.apply(["--to", "0"]).status == 0)
        // A pid that was used and is gone.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        try await insertHolder(p, id: "lock-dead", host: ProcessInfo.processInfo.hostName, pid: Int(gone.processIdentifier),
                               heartbeat: Int(Date().timeIntervalSince1970))
        let r = try p.apply()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("taking over the lock of ci on \(ProcessInfo.processInfo.hostName) (pid \(gone.processIdentifier), lock id lock-dead): its process is gone"), "\(r.stderr)")
        try await expectCleanEnd(p)
    }

    @Test func aStaleLockElsewhereIsTakenOverAndAnOldFormatLockReplaced() async throws {
        let p = try project()
        #expect(try p.apply(["--to", "0"]).status == 0)
        try await insertHolder(p, id: "lock-stale", host: "build-7.example", pid: 1, heartbeat: Int(Date().timeIntervalSince1970) - 3600)
        let r = try p.apply(["--to", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("lock id lock-stale): it was last refreshed"), "\(r.stderr)")

        // The lock table of an older spark: OWNER, ACQUIRED_AT, HEARTBEAT_EPOCH, left by a run that died.
        _ = try await p.query("DROP TABLE \(lockTable(p))")
        _ = try await p.query("CREATE TABLE \(lockTable(p)) (OWNER VARCHAR, ACQUIRED_AT VARCHAR, HEARTBEAT_EPOCH NUMBER(38,0))")
        _ = try await p.query("INSERT INTO \(lockTable(p)) VALUES ('old@host pid 1', '2026-01-01T00:00:00Z', \(Int(Date().timeIntervalSince1970) - 3600))")
        let again = try p.apply()
        #expect(again.status == 0, "\(again.stderr)")
        try await expectCleanEnd(p)
    }

    /// Two applies race for a stale lock, 20 times: one runs, the other meets the lock or finds
    /// nothing left; never both.
    @Test func twoAppliesRacingForAStaleLockNeverBothRun() async throws {
        var bothRan = 0, doubleLoads = 0, leftLocked = 0
        for _ in 1...20 {
            let p = try project(waves: 1)
            #expect(try p.apply(["--to", "0"]).status == 0)
            try await insertHolder(p, id: "lock-stale", host: "build-7.example", pid: 1, heartbeat: Int(Date().timeIntervalSince1970) - 3600)
            async let a = Task.detached { try p.apply(["--lock-wait", "20"]) }.value
            async let b = Task.detached { try p.apply(["--lock-wait", "20"]) }.value
            let results = try await [a, b]
            let ran = results.filter { $0.stdout.contains("Applied 1 migration") }
            if ran.count != 1 { bothRan += 1 }
            #expect(results.allSatisfy { $0.status == 0 }, "the loser waits, then finds nothing to apply: \(results.map(\.stderr))")
            if try await p.count("PROCESSED_CAMPAIGN_DATA") != 3 { doubleLoads += 1 }
            if try await p.query("SELECT COUNT(*) FROM \(lockTable(p))").first?.first != "0" { leftLocked += 1 }
            let history = try await p.query("SELECT COUNT(*) FROM \"\(p.database)\".\"SPARK\".\"SPARK_HISTORY\"")
            #expect(history.first?.first == "1", "one history row")
        }
        #expect(bothRan == 0 && doubleLoads == 0 && leftLocked == 0, "races won by two runs \(bothRan), double loads \(doubleLoads), locks left \(leftLocked)")
    }

    /// A run whose lock another run took over stops, and its release leaves the other's lock alone.
    @Test func aRunWhoseLockWasTakenOverStopsAndLeavesTheNewLock() async throws {
        let p = try project()
        // The heartbeat runs every second with --stale-lock 4; V1's statement 5 answers after 3 s.
        let (run, proxy) = try await p.applyHeld(at: 5, of: 1, seconds: 3, ["--stale-lock", "4"])
        defer { proxy.stop() }
        var taken = false
        for _ in 1...40 where !taken {
            try await Task.sleep(for: .milliseconds(100))
            let rows = (try? await p.query("SELECT LOCK_ID FROM \(lockTable(p))")) ?? []
            if rows.count == 1, let id = rows[0][0] {
                _ = try await p.query("DELETE FROM \(lockTable(p)) WHERE LOCK_ID = '\(id)'")
                try await insertHolder(p, id: "lock-new", host: "build-7.example", pid: 7, heartbeat: Int(Date().timeIntervalSince1970))
                taken = true
            }
        }
        #expect(taken)
        let r = run.wait()
        #expect(r.status == 1)
        #expect(r.stderr.contains("another run took the target's lock over"), "\(r.stderr)")
        #expect(try await p.query("SELECT LOCK_ID FROM \(lockTable(p))") == [["lock-new"]], "its release did not remove the new holder's lock")
        _ = try await p.query("DELETE FROM \(lockTable(p))")
        #expect(try p.apply().status == 0)
        try await expectCleanEnd(p)
    }

    // MARK: signals

    /// Waits until a run holds the lock (its signal handling is in place by then).
    func waitForLock(_ p: ApplyProject) async throws {
        for _ in 1...200 {
            if let rows = try? await p.query("SELECT COUNT(*) FROM \(lockTable(p))"), rows.first?.first == "1" { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("no run took the lock within 10 s")
    }

    @Test(arguments: [(SIGINT, 3), (SIGTERM, 9), (SIGINT, 14)])
    func aSignalStopsAtTheStatementsEndAndARerunResumes(_ signal: Int32, _ statement: Int) async throws {
        let p = try project()
        #expect(try p.apply(["--to", "0"]).status == 0, "the lock table exists before the run")
        // The signal comes while the statement runs: its answer is held 3 s.
        let (run, proxy) = try await p.applyHeld(at: statement, of: 1, seconds: 3)
        defer { proxy.stop() }
        run.signal(signal)
        let r = run.wait()
        #expect(r.status == 128 + signal, "\(r.stderr)")
        let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
        // At the end of the statement that was running.
        #expect(r.stderr.contains("stopped by \(name) before statement \(statement + 1) "), "\(r.stderr)")
        #expect(r.stderr.contains("run spark apply again to resume at that statement"))
        #expect(try await p.query("SELECT COUNT(*) FROM \(lockTable(p))").first?.first == "0", "the lock was released")
        let history = try await p.query("SELECT STATUS, STATEMENTS_APPLIED FROM \"\(p.database)\".\"SPARK\".\"SPARK_HISTORY\" WHERE VERSION = 1")
        #expect(history.first?[0] == "STOPPED")
        let rerun = try p.apply()
        #expect(rerun.status == 0, "an immediate rerun succeeds with no flag: \(rerun.stderr)")
        try await expectCleanEnd(p)
    }

    @Test func aSecondCtrlCExitsAtOnceAndTheNextApplyTakesTheLockOver() async throws {
        let p = try project()
        #expect(try p.apply(["--to", "0"]).status == 0, "the lock table exists before the run")
        let (run, proxy) = try await p.applyHeld(at: 6, of: 1, seconds: 5)
        defer { proxy.stop() }
        run.signal(SIGINT)
        try await Task.sleep(for: .milliseconds(200))
        run.signal(SIGINT)
        let r = run.wait()
        #expect(r.status == 130)
        #expect(r.stderr.contains("stopping at once"), "\(r.stderr)")
        let rerun = try p.apply()
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("its process is gone"), "the dead run's lock is taken over at once: \(rerun.stderr)")
        try await expectCleanEnd(p)
    }

    // MARK: rewrites resume

    /// A kill at every statement of a rewrite migration, then a rerun: the column ends with its
    /// new type holding every value, and the wave is loaded.
    @Test func aRewriteResumesAfterAKillAtEveryStatement() async throws {
        let probe = try rewriteProject()
        let statements = try MigrationFile.statements(in: String(contentsOf: probe.migration(2), encoding: .utf8), file: "V0002").count
        #expect(statements >= 8)
        for k in 1...statements {
            let p = try rewriteProject()
            #expect(try p.apply(["--to", "1"]).status == 0)
            let killed = try await p.applyKilled(after: k, of: 2)
            #expect(killed.status != 0, "killed after statement \(k)")
            let rerun = try p.apply()
            #expect(rerun.status == 0, "rerun after a kill after statement \(k): \(rerun.stderr)")
            let type = try await p.query("""
                SELECT NUMERIC_SCALE FROM "\(p.database)".INFORMATION_SCHEMA.COLUMNS
                WHERE TABLE_SCHEMA = 'CLIENT_BYD_META_2024' AND TABLE_NAME = 'PROCESSED_CAMPAIGN_DATA' AND COLUMN_NAME = 'SPEND'
                """)
            #expect(type == [["3"]], "after a kill at statement \(k): \(type)")
            let spend = try await p.query("SELECT CAMPAIGN, SPEND FROM \"\(p.database)\".\"CLIENT_BYD_META_2024\".\"PROCESSED_CAMPAIGN_DATA\" ORDER BY CAMPAIGN")
            #expect(spend == [["A", "1.500"], ["B", "2.250"], ["C", "3.125"]], "after a kill at statement \(k): \(spend)")
        }
    }

    /// Wave 1's Spend is NUMBER(38,2); wave 2 needs a third decimal: a rewrite.
    func rewriteProject() throws -> ApplyProject {
        let p = try ApplyProject(planExamples: false)
        // 3.125 alone could be 3125 with a thousands mark: the project says its mark is ".".
        let toml = p.root.appendingPathComponent("spark.toml")
        try (try String(contentsOf: toml, encoding: .utf8) + "decimal_separator = \".\"\n").write(to: toml, atomically: true, encoding: .utf8)
        try "Campaign,Spend\nA,1.50\nB,2.25\n".write(to: p.root.appendingPathComponent("data/w1.csv"), atomically: true, encoding: .utf8)
        try "Campaign,Spend\nC,3.125\n".write(to: p.root.appendingPathComponent("data/w2.csv"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["plan"] + Self.schema + ["--wave", "1", "data/w1.csv"], in: p.root).status == 0)
        let r = try CLI.run(["plan"] + Self.schema + ["--wave", "2", "--allow-rewrite", "data/w2.csv"], in: p.root)
        #expect(r.status == 0, "\(r.stderr)")
        return p
    }

    // MARK: staged files

    /// A canonical copy on the stage with other values (same shape, same row count) is never
    /// trusted by its name: the rerun sends the verified local copy again, and the rows loaded are
    /// the file's.
    @Test func aTamperedStagedCopyIsReplacedNotLoaded() async throws {
        let p = try project(waves: 1)
        let statements = try MigrationFile.statements(in: String(contentsOf: p.migration(1), encoding: .utf8), file: "V0001")
        let put = try #require(statements.firstIndex { $0.step?.role == .putCanonical }) + 1
        #expect(try await p.applyKilled(after: put, of: 1).status != 0)
        // The copy spark made, with one campaign renamed, put on the stage in its place.
        let staging = p.root.appendingPathComponent(".spark/staging")
        let key = try #require(try FileManager.default.contentsOfDirectory(atPath: staging.path).first)
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: staging.appendingPathComponent(key).path).first { $0.hasSuffix(".csv.gz") })
        let tampered = p.root.appendingPathComponent("tampered")
        try FileManager.default.createDirectory(at: tampered, withIntermediateDirectories: true)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "gzip -dc '\(staging.path)/\(key)/\(name)' | sed 's/Campaign 1/Campaign X/' | gzip -c > '\(tampered.path)/\(name)'"]
        try shell.run()
        shell.waitUntilExit()
        let stage = "@\"\(p.database)\".\"CLIENT_BYD_META_2024\".\"CLIENT_BYD_META_2024_STAGE\"/wave1/"
        _ = try await p.query("PUT 'file://\(tampered.path)/\(name)' \(stage) AUTO_COMPRESS = FALSE OVERWRITE = TRUE")
        let rerun = try p.apply()
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let campaigns = try await p.query("SELECT CAMPAIGN FROM \"\(p.database)\".\"CLIENT_BYD_META_2024\".\"PROCESSED_CAMPAIGN_DATA\" ORDER BY 1")
        #expect(campaigns == [["Campaign 1"], ["Campaign 2"], ["Campaign 3"]], "the file's values, not the stage's: \(campaigns)")
        try await expectCleanEnd(p, waves: 1, migrations: 1)
    }

    // MARK: project identity

    @Test func twoProjectsOnOneHistoryAreToldApart() async throws {
        let a = try project(waves: 1)
        #expect(try a.apply().status == 0)
        // Another project on the same database and history schema.
        let b = try ApplyProject(planExamples: false)
        try "database = \"\(a.database)\"\n".write(to: b.root.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        try "Day,Clicks\n2024-05-01,4\n".write(to: b.root.appendingPathComponent("data/w1.csv"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["plan", "--client", "acme", "--platform", "meta", "--year", "2024", "--wave", "1", "data/w1.csv"], in: b.root).status == 0)
        let bToml = try String(contentsOf: b.root.appendingPathComponent("spark.toml"), encoding: .utf8)
        #expect(bToml.hasPrefix("# Identifies this project's migrations in SPARK_HISTORY"), "the first plan gave the project an id")
        var env = a.environment
        env["SNOWFLAKE_HOME"] = b.root.appendingPathComponent(".snowflake").path
        let refused = try CLI.run(["apply"], in: b.root, environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\"SPARK\".\"SPARK_HISTORY\" belongs to another project"), "\(refused.stderr)")
        #expect(refused.stderr.contains("set history_schema in spark.toml"))
        let status = try CLI.run(["status"], in: b.root, environment: env)
        #expect(status.status == 1)
        #expect(status.stderr.contains("belongs to another project"), "\(status.stderr)")
        // Its own history schema separates them.
        try (bToml + "history_schema = \"SPARK_ACME\"\n").write(to: b.root.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        let applied = try CLI.run(["apply"], in: b.root, environment: env)
        #expect(applied.status == 0, "\(applied.stderr)")
    }

    // MARK: truthful output

    @Test func aFailureAfterSomeMigrationsCountsThoseApplied() async throws {
        let p = try project()
        // Wave 2's file changes after planning: V2 fails at its raw PUT, after V1 was applied.
        try "Day,Campaign,Clicks,Spend\n2024-09-09,X,1,1.5\n".write(to: p.root.appendingPathComponent("data/byd/meta/2024/byd_meta_2024_wave2.csv"), atomically: true, encoding: .utf8)
        let r = try p.apply()
        #expect(r.status == 1)
        #expect(r.stdout.contains("Applied 1 migration ("), "\(r.stdout)")
        #expect(r.stdout.contains("before the failure"))
        let json = try p.apply(["--format", "json"])
        try JsonOutputTests.expectFailure(json, "apply failing midway")
        let status = try CLI.run(["status", "--format", "json"], in: p.root, environment: p.environment)
        let targets = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]]
        let first = (targets?.first?["migrations"] as? [[String: Any]])?.first
        #expect(first?["statements_applied"] as? Int == first?["statements_total"] as? Int && first?["statements_total"] as? Int ?? 0 > 0,
                "numbers are numbers: \(status.stdout)")
    }

    @Test(arguments: ["2", "V0002", "V0002__byd_meta_2024_wave2.sql", "migrations/V0002__byd_meta_2024_wave2.sql"])
    func toTakesEverySpellingOfAVersion(_ spelling: String) async throws {
        let p = try project(waves: 3)
        let r = try p.apply(["--to", spelling])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Applied 2 migrations"), "\(r.stdout)")
    }

    @Test func toAnUnknownVersionIsAnError() throws {
        let p = try project(waves: 1)
        let r = try p.apply(["--to", "99"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("there is no migration 99"), "\(r.stderr)")
    }

    // MARK: unreachable targets

    @Test func aClosedPortFailsAtOnceNamingHostAndPort() throws {
        let p = try project(waves: 1)
        let started = Date()
        let r = try p.apply([], environment: ["SNOWFLAKE_PORT": "1"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot connect to 127.0.0.1:1: the connection was refused"), "\(r.stderr)")
        #expect(r.stderr.contains("hint: check the host and port"))
        // Not a timing test: the bound only shows the retries are gone (they took ~20 s).
        #expect(Date().timeIntervalSince(started) < 10)
        let dns = try p.apply(["--insecure"], environment: ["SNOWFLAKE_HOST": "no-such-host.invalid"])
        #expect(dns.stderr.contains("cannot connect to no-such-host.invalid:1") || dns.stderr.contains("no-such-host.invalid"), "\(dns.stderr)")
        #expect(dns.stderr.contains("no such host"))
    }
}
