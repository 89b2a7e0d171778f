import Foundation
import SnowflakeClient
import SparkEmit
import SparkModel
import SparkState
import Testing

/// A project planned from the example Meta waves, applied to its own database on the fakesnow
/// server that scripts/test started.
struct ApplyProject {
    let root: URL
    let database: String
    let port: Int

    /// A project of the example Meta waves, planned; with `planExamples: false`, an empty one.
    /// Its target is the suite's fakesnow, or the one listening on `port`.
    init(planExamples: Bool = true, port: Int? = nil) throws {
        if let port {
            self.port = port
        } else {
            guard let text = ProcessInfo.processInfo.environment["SPARK_TEST_FAKESNOW_PORT"], let port = Int(text) else {
                throw TestEnvironmentMissing(variable: "SPARK_TEST_FAKESNOW_PORT")
            }
            self.port = port
        }
        database = "SPARK_APPLY_" + UUID().uuidString.prefix(8).uppercased()
        root = FileManager.default.temporaryDirectory.appendingPathComponent("spark-apply-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("data"), withIntermediateDirectories: true)
        try "database = \"\(database)\"\n".write(to: root.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        guard planExamples else { return }
        for wave in 1...3 {
            let name = "byd_meta_2024_wave\(wave).csv"
            try FileManager.default.copyItem(at: CLI.repositoryRoot.appendingPathComponent("examples/\(name)"), to: root.appendingPathComponent("data/\(name)"))
            let r = try CLI.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "\(wave)", "--allow-unknown-keys", "data/\(name)"], in: root)
            #expect(r.status == 0, "\(r.stderr)")
        }
    }

    var environment: [String: String] {
        [
            "SNOWFLAKE_ACCOUNT": "fakesnow", "SNOWFLAKE_USER": "spark_test", "SNOWFLAKE_PASSWORD": "fakesnow-password",
            "SNOWFLAKE_HOST": "127.0.0.1", "SNOWFLAKE_PORT": "\(port)", "SNOWFLAKE_PROTOCOL": "http",
            "SNOWFLAKE_SESSION_PARAMETERS": #"{"nop_regexes": ["^GRANT .*", "^REVOKE .*", "^(CREATE|DROP) ROLE.*", "^ALTER SESSION.*"]}"#,
            "SNOWFLAKE_HOME": root.appendingPathComponent(".snowflake").path,
        ]
    }

    func apply(_ extra: [String] = [], environment more: [String: String] = [:]) throws -> CLI.Result {
        try CLI.run(["apply"] + extra, in: root, environment: environment.merging(more) { $1 })
    }

    /// An apply killed (SIGKILL) right after statement `k` of V`version` ran on the server, before
    /// its answer reached spark: a fault proxy holds the answer while the test kills the run.
    func applyKilled(after k: Int, of version: Int, _ extra: [String] = []) async throws -> CLI.Result {
        let proxy = try FaultProxy(upstream: port)
        defer { proxy.stop() }
        try proxy.arm(holding: k, of: try migration(version), seconds: 600)
        let run = try CLI.start(["apply"] + extra, in: root, environment: environment.merging(["SNOWFLAKE_PORT": "\(proxy.port)"]) { $1 })
        do { try await proxy.waitUntilHeld() } catch {
            run.signal(SIGKILL)
            Issue.record("statement \(k) of V\(version) was never reached: \(run.wait().stderr)")
            throw error
        }
        run.signal(SIGKILL)
        return run.wait()
    }

    /// An apply started through a fault proxy that holds statement `k` of V`version`'s answer
    /// for `seconds`, returned once the statement has run and the run waits for its answer.
    func applyHeld(at k: Int, of version: Int, seconds: Double, _ extra: [String] = []) async throws -> (run: CLI.Running, proxy: FaultProxy) {
        let proxy = try FaultProxy(upstream: port)
        try proxy.arm(holding: k, of: try migration(version), seconds: seconds)
        let run = try CLI.start(["apply"] + extra, in: root, environment: environment.merging(["SNOWFLAKE_PORT": "\(proxy.port)"]) { $1 })
        try await proxy.waitUntilHeld()
        return (run, proxy)
    }

    func query(_ sql: String) async throws -> [[String?]] {
        let session = try await SnowflakeSession.connect(ConnectionConfig(
            account: "fakesnow", user: "spark_test", password: "fakesnow-password", host: "127.0.0.1", port: port, protocol: "http",
            sessionParameters: [:]))
        defer { Task { await session.close() } }
        return try await session.execute(sql).rows.map { $0.map { $0?.description } }
    }

    func count(_ table: String) async throws -> Int {
        Int(try await query("SELECT COUNT(*) FROM \"\(database)\".\"CLIENT_BYD_META_2024\".\"\(table)\"")[0][0] ?? "") ?? -1
    }

    /// Rewrites spark.sum after a test edited a migration, as a reviewer re-running plan would.
    func remakeSum() throws {
        let dir = root.appendingPathComponent("migrations")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sql") }.sorted()
        let sum = MigrationSum(files: try names.map { ($0, try Data(contentsOf: dir.appendingPathComponent($0))) })
        try sum.render().write(to: dir.appendingPathComponent(MigrationSum.fileName), atomically: true, encoding: .utf8)
    }

    func migration(_ version: Int) throws -> URL {
        let dir = root.appendingPathComponent("migrations")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix(String(format: "V%04d__", version)) })
        return dir.appendingPathComponent(name)
    }

    static let rowsPerWave = [80, 100, 120]
}

struct TestEnvironmentMissing: Error, CustomStringConvertible {
    let variable: String
    var description: String { "\(variable) is not set: run the tests with scripts/test, which starts fakesnow" }
}

@Suite(.serialized) struct ApplyTests {
    @Test func fullPipelineLoadsEveryFileOnceAndMatchesState() async throws {
        let p = try ApplyProject()
        let r = try p.apply()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Applied 3 migrations"))
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == ApplyProject.rowsPerWave.reduce(0, +))
        let log = try await p.query("SELECT FILE_NAME, STATUS, ROW_COUNT FROM \"\(p.database)\".\"CLIENT_BYD_META_2024\".\"PROCESSING_LOG\" ORDER BY FILE_NAME")
        #expect(log.map { $0[1] } == ["LOADED", "LOADED", "LOADED"])
        #expect(log.map { $0[2] } == ApplyProject.rowsPerWave.map { "\($0)" })

        // INFORMATION_SCHEMA.COLUMNS agrees with what state.sqlite recorded.
        let live = try await p.query("""
            SELECT COLUMN_NAME FROM "\(p.database)".INFORMATION_SCHEMA.COLUMNS
            WHERE TABLE_SCHEMA = 'CLIENT_BYD_META_2024' AND TABLE_NAME = 'PROCESSED_CAMPAIGN_DATA' ORDER BY COLUMN_NAME
            """).map { $0[0] ?? "" }
        let store = try StateStore(path: p.root.appendingPathComponent("state.sqlite").path)
        let known = try store.read { try $0.load(database: p.database, schema: "CLIENT_BYD_META_2024") }
            .schema?.table("PROCESSED_CAMPAIGN_DATA")?.columns.map(\.name).sorted() ?? []
        #expect(!known.isEmpty)
        #expect(live == known)

        // A second apply does nothing.
        let again = try p.apply()
        #expect(again.status == 0)
        #expect(again.stdout.contains("Nothing to apply"))
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 300)
    }

    @Test func killedInTheMiddleOfALoadResumesAndLoadsOnce() async throws {
        let p = try ApplyProject()
        // Die right after V0001's COPY ran, before its answer (and so its progress) is recorded.
        let statements = try MigrationFile.statements(in: String(contentsOf: p.migration(1), encoding: .utf8), file: "V0001")
        let copy = try #require(statements.firstIndex { $0.step?.role == .copy }) + 1
        let killed = try await p.applyKilled(after: copy, of: 1)
        #expect(killed.status == 128 + 9 || killed.status == 9, "exit \(killed.status): \(killed.stderr)")
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 80)
        let history = try await p.query("SELECT STATUS FROM \"\(p.database)\".\"SPARK\".\"SPARK_HISTORY\" WHERE VERSION = 1")
        #expect(history.first?.first == "RUNNING")

        // The killed run left its lock behind; its process is gone, so it is taken over at once.
        let rerun = try p.apply()
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("its process is gone"))
        #expect(rerun.stderr.contains("already loaded"))
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 300)
        let log = try await p.query("SELECT COUNT(*) FROM \"\(p.database)\".\"CLIENT_BYD_META_2024\".\"PROCESSING_LOG\" WHERE STATUS = 'LOADED'")
        #expect(log[0][0] == "3")
    }

    @Test func aFailedStatementIsRecordedAndTheFixedRerunResumesThere() async throws {
        let p = try ApplyProject()
        let v2 = try p.migration(2)
        let original = try String(contentsOf: v2, encoding: .utf8)
        // Break V0002 before it was ever applied: a bad first statement after the header.
        let broken = original.replacingOccurrences(of: "-- spark:end\n", with: "-- spark:end\n\nSELEC broken;\n")
        try broken.write(to: v2, atomically: true, encoding: .utf8)
        try p.remakeSum()
        let failed = try p.apply()
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("statement 1 of 7 failed"))
        #expect(failed.stderr.contains("Snowflake error"))
        let row = try await p.query("SELECT STATUS, FAILED_STATEMENT, STATEMENTS_APPLIED FROM \"\(p.database)\".\"SPARK\".\"SPARK_HISTORY\" WHERE VERSION = 2")
        #expect(row.first == ["FAILED", "1", "0"])
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 80)

        try original.write(to: v2, atomically: true, encoding: .utf8)
        try p.remakeSum()
        let fixed = try p.apply()
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 300)
        let done = try await p.query("SELECT STATUS FROM \"\(p.database)\".\"SPARK\".\"SPARK_HISTORY\" ORDER BY VERSION")
        #expect(done.map { $0[0] } == ["APPLIED", "APPLIED", "APPLIED"])
    }

    @Test func anEditedAppliedMigrationIsRefusedBeforeAnythingRuns() async throws {
        let p = try ApplyProject()
        #expect(try p.apply(["--to", "1"]).status == 0)
        let v1 = try p.migration(1)
        try (try String(contentsOf: v1, encoding: .utf8) + "\nDROP TABLE \"\(p.database)\".\"CLIENT_BYD_META_2024\".\"PROCESSING_LOG\";\n")
            .write(to: v1, atomically: true, encoding: .utf8)
        try p.remakeSum()
        let r = try p.apply()
        #expect(r.status == 1)
        #expect(r.stderr.contains("V1 was applied with checksum"))
        #expect(r.stderr.contains("nothing was run"))
        // V0002 did not run and the log table is still there.
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 80)
        #expect(try await p.count("PROCESSING_LOG") == 1)
    }

    @Test func aMigrationMissingFromSparkSumIsRefused() throws {
        let p = try ApplyProject()
        let v3 = try p.migration(3)
        try (try String(contentsOf: v3, encoding: .utf8) + "\n-- edited\n").write(to: v3, atomically: true, encoding: .utf8)
        let r = try p.apply()
        #expect(r.status != 0)
        #expect(r.stderr.contains("edited after spark.sum recorded it"))
    }

    @Test func twoConcurrentAppliesHaveOneLockWinner() async throws {
        let p = try ApplyProject()
        // spark's bookkeeping first (`--to 0` applies nothing else): two fakesnow connections
        // running CREATE DATABASE IF NOT EXISTS at once can both try to attach the database, and
        // the second then fails with "already exists", which Snowflake's does not. The race
        // under test is the lock's.
        let setup = try p.apply(["--to", "0"])
        #expect(setup.status == 0, "\(setup.stderr)")
        async let a = Task.detached { try p.apply() }.value
        async let b = Task.detached { try p.apply() }.value
        let results = try await [a, b]
        let winners = results.filter { $0.status == 0 && $0.stdout.contains("Applied 3 migrations") }
        // The other run either met the lock, or (when the first finished before it started,
        // which happens on a fast machine) found nothing left to apply. Both are safe; two
        // runs applying anything would not be.
        let losers = results.filter {
            ($0.status == 1 && $0.stderr.contains("holds the target's lock")) || ($0.status == 0 && $0.stdout.contains("Nothing to apply"))
        }
        #expect(winners.count == 1, "\(results.map(\.stderr))")
        #expect(losers.count == 1, "\(results.map { $0.stdout + $0.stderr })")
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 300)
    }

    @Test func aFileWhosePathNeedsQuotingLoads() async throws {
        let p = try ApplyProject()
        let odd = "data/it's wave 4, final.csv"
        try FileManager.default.copyItem(at: CLI.repositoryRoot.appendingPathComponent("examples/byd_meta_2024_wave3.csv"),
                                         to: p.root.appendingPathComponent("data/wave3 copy.csv"))
        // Same columns as wave 3, different bytes: a new file to load.
        var text = try String(contentsOf: p.root.appendingPathComponent("data/wave3 copy.csv"), encoding: .utf8)
        // The export uses CRLF, which Swift treats as one Character: split on the string.
        text += text.components(separatedBy: "\r\n").dropFirst().prefix(2).joined(separator: "\r\n") + "\r\n"
        try text.write(to: p.root.appendingPathComponent(odd), atomically: true, encoding: .utf8)
        // Its rows are wave 3's: refused, unless said to load them again (this test is about the path).
        let refused = try CLI.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "4", "--allow-unknown-keys", odd], in: p.root)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("122 rows were already loaded by wave 3"), "\(refused.stderr)")
        let plan = try CLI.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "4", "--allow-duplicate-rows", "--allow-unknown-keys", odd], in: p.root)
        #expect(plan.status == 0, "\(plan.stderr)")
        let r = try p.apply()
        #expect(r.status == 0, "\(r.stderr)")
        let inferred = try CLI.run(["infer", "--format", "json", odd], in: p.root)
        let report = try JSONSerialization.jsonObject(with: Data(inferred.stdout.utf8)) as? [String: Any]
        let rows = try #require((report?["files"] as? [[String: Any]])?.first?["rows"] as? Int)
        #expect(rows == 122)
        let loaded = try await p.count("PROCESSED_CAMPAIGN_DATA")
        #expect(loaded == 300 + rows, "loaded \(loaded)")
    }

    @Test func dryRunWithoutAConnectionPrintsEveryStatementAndChangesNothing() throws {
        let p = try ApplyProject()
        let r = try CLI.run(["apply", "--dry-run"], in: p.root, environment: ["SNOWFLAKE_HOME": p.root.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("-- V0001__byd_meta_2024_wave1.sql"))
        #expect(r.stdout.contains("COPY INTO"))
        #expect(!FileManager.default.fileExists(atPath: p.root.appendingPathComponent(".spark/staging").path))
    }
}

/// `--format json` on the reporting commands not covered elsewhere.
@Suite struct JSONFormatTests {
    @Test func connectionTestAndStateDumpSpeakJSON() throws {
        let p = try ApplyProject()
        let connection = try CLI.run(["connection", "test", "--format", "json"], in: p.root, environment: p.environment)
        #expect(connection.status == 0, "\(connection.stderr)")
        let c = try #require(try JSONSerialization.jsonObject(with: Data(connection.stdout.utf8)) as? [String: Any])
        #expect(c["user"] as? String == "spark_test")
        #expect(c["snowflake_version"] as? String != nil)
        #expect(!connection.stdout.contains("fakesnow-password"), "never a secret")

        let dump = try CLI.run(["state", "dump", "--format", "json"], in: p.root)
        #expect(dump.status == 0, "\(dump.stderr)")
        let d = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: [[String: Any]]])
        #expect(d["migrations"]?.count == 3)
        #expect(d["schemas"]?.first?["name"] as? String == "CLIENT_BYD_META_2024")
        #expect(d["files"]?.compactMap { $0["path"] as? String }.sorted()
                == (1...3).map { "data/byd/meta/2024/byd_meta_2024_wave\($0).csv" }, "the standardized copies")
    }
}
