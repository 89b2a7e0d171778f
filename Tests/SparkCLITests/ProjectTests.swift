import Foundation
import SparkTestSupport
import Testing

/// `spark plan`, `verify` and `state rebuild` on a project that drifted: edited, added or removed
/// migrations, a lost or stale state.
@Suite("project integrity")
struct ProjectTests {
    static let wave1 = "Date,Campaign name,Clicks\n2024-03-01,A,3\n2024-03-02,B,4\n"
    static let wave2 = "Date,Campaign name,Clicks,Reach\n2024-04-01,A,3,10\n"

    static func project() throws -> URL {
        let dir = try EndToEnd.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        try "# defaults\n".write(to: dir.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        try wave1.write(to: dir.appendingPathComponent("data/w1.csv"), atomically: true, encoding: .utf8)
        try wave2.write(to: dir.appendingPathComponent("data/w2.csv"), atomically: true, encoding: .utf8)
        return dir
    }

    static func plan(_ wave: Int, _ dir: URL, _ extra: [String] = []) async throws -> EndToEnd.Result {
        try await EndToEnd.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "\(wave)"] + extra + ["data/w\(wave).csv"], cwd: dir)
    }

    @Test func editedMigrationStopsPlanAndVerifyNamesIt() async throws {
        let dir = try Self.project()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try await Self.plan(1, dir).exit == 0)
        let file = dir.appendingPathComponent("migrations/V0001__byd_meta_2024_wave1.sql")
        try (String(contentsOf: file, encoding: .utf8) + "DROP TABLE x;\n").write(to: file, atomically: true, encoding: .utf8)

        let verify = try await EndToEnd.run(["verify"], cwd: dir)
        #expect(verify.exit == 1)
        #expect(verify.stdout.hasPrefix("~ migrations/V0001__byd_meta_2024_wave1.sql: edited after spark.sum recorded it\n"))

        let plan = try await Self.plan(2, dir)
        #expect(plan.exit == 1)
        #expect(plan.stderr == "migrations/V0001__byd_meta_2024_wave1.sql:1: edited after spark.sum recorded it\nhint: restore migrations/ from git; `spark verify` lists every difference\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("migrations/V0002__byd_meta_2024_wave2.sql").path))
    }

    @Test func theSumCacheNeverHidesAnEditThatChangesTheFilesStat() async throws {
        let dir = try Self.project()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try await Self.plan(1, dir).exit == 0)
        let file = dir.appendingPathComponent("migrations/V0001__byd_meta_2024_wave1.sql")
        let old = Date(timeIntervalSinceNow: -3600)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: file.path)
        // This plan caches the settled file's hash; later plans trust it while its stat is unchanged.
        #expect(try await Self.plan(2, dir).exit == 0)
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"CLICKS\" NUMBER(38,0)", with: "\"CLICKS\" NUMBER(38,1)")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let plan = try await EndToEnd.run(["plan", "--client", "acme", "--platform", "meta", "--year", "2024", "--wave", "1", "data/w1.csv"], cwd: dir)
        #expect(plan.exit == 1)
        #expect(plan.stderr.hasPrefix("migrations/V0001__byd_meta_2024_wave1.sql:1: edited after spark.sum recorded it"))
        // An edit that forges size and time gets past the plan's cache, never past verify, which hashes every file.
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: file.path)
        #expect(try await EndToEnd.run(["verify"], cwd: dir).exit == 1)
    }

    @Test func verifyReportsAddedAndRemovedFiles() async throws {
        let dir = try Self.project()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try await Self.plan(1, dir).exit == 0)
        #expect(try await Self.plan(2, dir).exit == 0)
        let ok = try await EndToEnd.run(["verify", "--format", "json"], cwd: dir)
        #expect(ok.exit == 0)
        #expect(ok.stdout.contains("\"ok\" : true"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("migrations/V0002__byd_meta_2024_wave2.sql"))
        try "SELECT 1;\n".write(to: dir.appendingPathComponent("migrations/V0003__by_hand.sql"), atomically: true, encoding: .utf8)
        let bad = try await EndToEnd.run(["verify"], cwd: dir)
        #expect(bad.exit == 1)
        #expect(bad.stdout.contains("+ migrations/V0003__by_hand.sql: not in spark.sum"))
        #expect(bad.stdout.contains("- migrations/V0002__byd_meta_2024_wave2.sql: in spark.sum but missing"))
        #expect(bad.stdout.contains("! migrations/V0003__by_hand.sql:1: no spark header"))
    }

    @Test func lostStateIsRefusedUntilRebuilt() async throws {
        let dir = try Self.project()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try await Self.plan(1, dir).exit == 0)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("state.sqlite"))
        let stale = try await Self.plan(2, dir)
        #expect(stale.exit == 1)
        #expect(stale.stderr.contains("migrations/V0001__byd_meta_2024_wave1.sql:1: state.sqlite does not match migrations/"))
        #expect(stale.stderr.contains("hint: run `spark state rebuild`, then plan again"))
        let rebuild = try await EndToEnd.run(["state", "rebuild"], cwd: dir)
        #expect(rebuild.exit == 0, "\(rebuild.stderr)")
        let after = try await Self.plan(2, dir, ["--detailed-exitcode"])
        #expect(after.exit == 2, "changes planned: \(after.stderr)")
        #expect(after.stdout.contains("+ column PROCESSED_CAMPAIGN_DATA.REACH NUMBER(38,0)"))
    }

    @Test func dryRunAndJSONWriteNothing() async throws {
        let dir = try Self.project()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try await Self.plan(1, dir).exit == 0)
        let before = EndToEnd.files(in: dir)
        let dry = try await Self.plan(2, dir, ["--dry-run", "--format", "json"])
        #expect(dry.exit == 0)
        #expect(EndToEnd.files(in: dir) == before)
        let json = try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any]
        #expect(json?["written"] as? Bool == false)
        #expect(json?["migration"] as? String == "migrations/V0002__byd_meta_2024_wave2.sql")
    }

    @Test func helpShowsAnExampleForEachCommand() async throws {
        let dir = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for args in [["plan", "--help"], ["verify", "--help"], ["state", "rebuild", "--help"], ["state", "dump", "--help"]] {
            let r = try await EndToEnd.run(args, cwd: dir)
            #expect(r.exit == 0)
            #expect(r.stdout.contains("--project <dir>"), "\(args): \(r.stdout)")
        }
        let plan = try await EndToEnd.run(["plan", "--help"], cwd: dir)
        #expect(plan.stdout.contains("spark plan --client byd --platform meta --year 2024 --wave 3"))
        #expect(plan.stdout.contains("--allow-rewrite"))
        #expect(try await EndToEnd.run(["plan"], cwd: dir).exit == 64, "a usage error")
    }

    @Test func badOptionsAndConfigNameWhatToFix() async throws {
        let dir = try Self.project()
        defer { try? FileManager.default.removeItem(at: dir) }
        let year = try await Self.plan(1, dir, ["--year", "24"])
        #expect(year.exit == 1)
        #expect(year.stderr.contains("--year 24 is not a four-digit year"))
        try "database = 3\n".write(to: dir.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        let toml = try await Self.plan(1, dir)
        #expect(toml.exit == 1)
        // A first plan that fails inside the lock (a template whose SQL does not split) leaves nothing behind.
        try "# defaults\n".write(to: dir.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try "CREATE TABLE {{table}} ('unclosed;\n".write(to: dir.appendingPathComponent("templates/create_table.sql.mustache"), atomically: true, encoding: .utf8)
        let broken = try await Self.plan(1, dir)
        #expect(broken.exit == 1)
        #expect(broken.stderr.hasPrefix("templates/create_table.sql.mustache:1: the rendered SQL cannot be split into statements"))
        #expect(EndToEnd.files(in: dir).keys.sorted() == ["data/w1.csv", "data/w2.csv", "spark.toml", "templates/create_table.sql.mustache"])
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("migrations").path))
        #expect(toml.stderr == "spark.toml:1: `database` must be a non-empty string\nhint: write it as database = \"NAME\"\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("migrations/V0001__byd_meta_2024_wave1.sql").path))
        let missing = try await Self.plan(1, dir, ["--project", "nope"])
        #expect(missing.exit == 1)
        #expect(missing.stderr == "nope: no such project directory\nhint: pass --project with an existing folder (by default the current one)\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("nope").path))
    }
}
