import Foundation
import Testing

/// `spark schemas --connection`, `spark grant` and `spark drop` against the fakesnow server scripts/test started.
@Suite(.serialized) struct OpsApplyTests {
    static let schemaArgs = ["--client", "byd", "--platform", "meta", "--year", "2024"]

    func schemaNames(_ p: ApplyProject) async throws -> [String] {
        try await p.query("SELECT SCHEMA_NAME FROM \"\(p.database)\".INFORMATION_SCHEMA.SCHEMATA ORDER BY SCHEMA_NAME").compactMap { $0[0] }
    }

    @Test func schemasReadsTheLiveTargetAfterAnApply() async throws {
        let p = try ApplyProject()
        #expect(try p.apply().status == 0)
        let r = try CLI.run(["schemas", "--format", "json"], in: p.root, environment: p.environment)
        #expect(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect((report["source"] as? String)?.hasSuffix("/\(p.database)") == true)
        let schemas = try #require(report["schemas"] as? [[String: Any]])
        #expect(schemas.map { $0["schema"] as? String } == ["CLIENT_BYD_META_2024"], "only CLIENT_% schemas, not SPARK")
        let s = schemas[0]
        #expect(s["waves"] as? [Int] == [1, 2, 3])
        #expect(s["files"] as? Int == 3)
        #expect(s["users"] == nil)
        // Table and column counts as INFORMATION_SCHEMA has them.
        let live = try await p.query("""
            SELECT TABLE_NAME, COUNT(*) FROM "\(p.database)".INFORMATION_SCHEMA.COLUMNS
            WHERE TABLE_SCHEMA = 'CLIENT_BYD_META_2024' GROUP BY TABLE_NAME ORDER BY TABLE_NAME
            """)
        let tables = try #require(s["tables"] as? [[String: Any]])
        #expect(tables.map { $0["name"] as? String } == live.map { $0[0] })
        #expect(tables.map { "\($0["columns"] as? Int ?? -1)" } == live.map { $0[1] ?? "" })
        #expect(s["client"] as? String == "BYD")

        let text = try CLI.run(["schemas"], in: p.root, environment: p.environment)
        #expect(text.status == 0)
        #expect(text.stdout.contains("CLIENT_BYD_META_2024"))
        #expect(text.stdout.contains("1,2,3"))
        #expect(!text.stdout.contains("fakesnow-password"))
    }

    @Test func grantAndRevokeApply() async throws {
        let p = try ApplyProject()
        let g = try CLI.run(["grant"] + Self.schemaArgs + ["--user", "jane.doe@agency.com"], in: p.root)
        #expect(g.status == 0, "\(g.stderr)")
        let rv = try CLI.run(["revoke"] + Self.schemaArgs + ["--user", "jane.doe@agency.com"], in: p.root)
        #expect(rv.status == 0, "\(rv.stderr)")
        let r = try p.apply()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Applied 5 migrations"))
    }

    @Test func dropIsRefusedWithoutATerminalAndRunsWithYes() async throws {
        let p = try ApplyProject()
        #expect(try p.apply().status == 0)
        #expect(try await schemaNames(p).contains("CLIENT_BYD_META_2024"))
        let d = try CLI.run(["drop"] + Self.schemaArgs + ["--confirm"], in: p.root)
        #expect(d.status == 0, "\(d.stderr)")

        // stdin is a pipe here, not a terminal: refused, nothing run.
        let refused = try p.apply()
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("migrations/V0004__drop_byd_meta_2024.sql"))
        #expect(refused.stderr.contains("--yes"))
        #expect(!refused.stderr.contains("\u{1B}["), "no colour without a terminal")
        #expect(try await schemaNames(p).contains("CLIENT_BYD_META_2024"))
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 300)
        let history = try await p.query("SELECT COUNT(*) FROM \"\(p.database)\".\"SPARK\".\"SPARK_HISTORY\" WHERE VERSION = 4")
        #expect(history.first?.first == "0")

        // --dry-run never asks.
        let dry = try p.apply(["--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("DROP SCHEMA IF EXISTS"))
        #expect(try await schemaNames(p).contains("CLIENT_BYD_META_2024"))

        let yes = try p.apply(["--yes"])
        #expect(yes.status == 0, "\(yes.stderr)")
        #expect(yes.stdout.contains("Applied 1 migration"))
        let names = try await schemaNames(p)
        #expect(!names.contains("CLIENT_BYD_META_2024"), "\(names)")
        #expect(names.contains("SPARK"), "the history schema stays")

        // A plan afterwards recreates everything and loads the same file again.
        let replan = try CLI.run(["plan"] + Self.schemaArgs + ["--wave", "1", "--allow-unknown-keys", "data/byd_meta_2024_wave1.csv"], in: p.root)
        #expect(replan.status == 0, "\(replan.stderr)")
        #expect(replan.stdout.contains("+ schema"))
        #expect(try p.apply().status == 0)
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == ApplyProject.rowsPerWave[0])
    }

    /// Runs `spark apply` under `script`, which gives it a pseudo-terminal, typing `input`.
    func applyOnATerminal(_ p: ApplyProject, typing input: String) throws -> (status: Int32, output: String) {
        let proc = Process()
        proc.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        let quoted = "'" + CLI.executable.path.replacingOccurrences(of: "'", with: "'\\''") + "'"
        proc.arguments = ["-qec", "\(quoted) apply", "/dev/null"]
        proc.currentDirectoryURL = p.root
        var env = ProcessInfo.processInfo.environment.merging(p.environment) { $1 }
        env["NO_COLOR"] = nil
        env["TERM"] = "xterm"
        proc.environment = env
        let stdin = Pipe(), out = Pipe()
        proc.standardInput = stdin
        proc.standardOutput = out
        proc.standardError = out
        try proc.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        proc.waitUntilExit()
        return (proc.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func dropAsksForTheSchemaNameOnATerminal() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            Issue.record("/usr/bin/script (util-linux) is needed to give spark apply a terminal")
            return
        }
        let p = try ApplyProject()
        #expect(try p.apply().status == 0)
        #expect(try CLI.run(["drop"] + Self.schemaArgs + ["--confirm"], in: p.root).status == 0)

        let wrong = try applyOnATerminal(p, typing: "CLIENT_BYD_META\n")
        #expect(wrong.status == 1, "\(wrong.output)")
        #expect(wrong.output.contains("Type the schema name CLIENT_BYD_META_2024 to drop it:"))
        #expect(wrong.output.contains("does not match"))
        #expect(wrong.output.contains("\u{1B}[31m"), "red on a terminal")
        #expect(try await schemaNames(p).contains("CLIENT_BYD_META_2024"))

        let right = try applyOnATerminal(p, typing: "CLIENT_BYD_META_2024\n")
        #expect(right.status == 0, "\(right.output)")
        #expect(try await !schemaNames(p).contains("CLIENT_BYD_META_2024"))
    }
}
