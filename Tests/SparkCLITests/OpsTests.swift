import Foundation
import SparkEmit
import SparkExecute
import SparkModel
import SparkState
import Testing
@testable import SparkCLI

/// A project with wave 1 of the example Meta export planned, without Snowflake.
struct PlannedProject {
    let root: URL

    init(plan: Bool = true) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("spark-ops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("data"), withIntermediateDirectories: true)
        try "# defaults\n".write(to: root.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: CLI.repositoryRoot.appendingPathComponent("examples/byd_meta_2024_wave1.csv"),
                                         to: root.appendingPathComponent("data/byd_meta_2024_wave1.csv"))
        // The same rows under a name that says nothing, for plans under another client, platform or wave.
        try FileManager.default.copyItem(at: CLI.repositoryRoot.appendingPathComponent("examples/byd_meta_2024_wave1.csv"),
                                         to: root.appendingPathComponent("data/export.csv"))
        if plan {
            let r = try run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "1", "--allow-unknown-keys", "data/byd_meta_2024_wave1.csv"])
            #expect(r.status == 0, "\(r.stderr)")
        }
    }

    static let schemaArgs = ["--client", "byd", "--platform", "meta", "--year", "2024"]

    func run(_ args: [String], environment: [String: String] = [:]) throws -> CLI.Result {
        // No connection: SNOWFLAKE_HOME points at an empty folder (scripts/test sets no SNOWFLAKE_* variable).
        let env = ["SNOWFLAKE_HOME": root.appendingPathComponent(".snowflake").path]
        return try CLI.run(args, in: root, environment: env.merging(environment) { $1 })
    }

    /// Every file of the project (migrations, spark.sum, state.sqlite, data copies) and its bytes.
    func snapshot() -> [String: Data] {
        var out: [String: Data] = [:]
        guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return out }
        for case let url as URL in e where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            out[String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count))] = FileManager.default.contents(atPath: url.path)
        }
        return out
    }

    func migrationNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("migrations").path)) ?? []).filter { $0.hasSuffix(".sql") }.sorted()
    }

    func migration(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("migrations/\(name)"), encoding: .utf8)
    }
}

@Suite struct OpsTests {
    /// How many rows a table of state.sqlite holds, from its dump.
    static func rows(in table: String, of store: StateStore) throws -> Int {
        try #require(try store.dumpTables().first { $0.name == table }, "state.sqlite has a table \(table)").rows.count
    }

    // MARK: drop

    @Test func dropWithoutConfirmChangesNothing() throws {
        let p = try PlannedProject()
        let before = p.snapshot()
        #expect(before.keys.contains("/state.sqlite") && before.keys.contains("/migrations/spark.sum"))
        let r = try p.run(["drop"] + PlannedProject.schemaArgs)
        #expect(r.status == 1)
        #expect(r.stderr.contains("refused without --confirm"))
        #expect(r.stderr.contains("add --confirm"))
        #expect(r.stdout.isEmpty)
        #expect(p.snapshot() == before, "no migration file, no spark.sum change, no state change")
        #expect(p.migrationNames() == ["V0001__byd_meta_2024_wave1.sql"])
    }

    @Test func dropWithoutConfirmInAnEmptyFolderCreatesNothing() throws {
        let p = try PlannedProject(plan: false)
        let before = p.snapshot()
        let r = try p.run(["drop"] + PlannedProject.schemaArgs)
        #expect(r.status == 1)
        #expect(p.snapshot() == before)
        #expect(!FileManager.default.fileExists(atPath: p.root.appendingPathComponent("state.sqlite").path))
    }

    @Test func dropWritesADestructiveMigrationAndForgetsTheSchema() throws {
        let p = try PlannedProject()
        #expect(try p.run(["grant"] + PlannedProject.schemaArgs + ["--user", "jane.doe@agency.com"]).status == 0)
        let r = try p.run(["drop"] + PlannedProject.schemaArgs + ["--confirm"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("  - drop schema SPARK_DB.CLIENT_BYD_META_2024"))
        #expect(!r.stdout.contains("\u{1B}["), "no colour without a terminal")
        let name = try #require(p.migrationNames().last)
        #expect(name == "V0003__drop_byd_meta_2024.sql")
        let sql = try p.migration(name)
        #expect(sql.contains("DROP SCHEMA IF EXISTS \"SPARK_DB\".\"CLIENT_BYD_META_2024\" CASCADE;"))
        #expect(sql.contains("DROP ROLE IF EXISTS \"CLIENT_BYD_META_2024_RO\";"))
        #expect(sql.contains("DROP ROLE IF EXISTS \"CLIENT_BYD_META_2024_RW\";"))
        let local = try LocalMigration(fileName: name, contents: Data(sql.utf8))
        #expect(local.isDestructive)
        #expect(local.droppedSchemas == ["CLIENT_BYD_META_2024"])

        // The state forgets the schema, its roles, grants and files; the listing is empty.
        let schemas = try p.run(["schemas", "--format", "json"])
        #expect(schemas.status == 0, "\(schemas.stderr)")
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(schemas.stdout.utf8)) as? [String: Any])
        #expect((listed["schemas"] as? [Any])?.isEmpty == true, "\(schemas.stdout)")
        let store = try StateStore(path: p.root.appendingPathComponent("state.sqlite").path)
        for table in ["tables", "columns", "roles", "stages", "files", "user_grants", "grants"] {
            #expect(try Self.rows(in: table, of: store) == 0, "\(table) still has rows")
        }

        // Dropping again: state knows no such schema.
        let again = try p.run(["drop"] + PlannedProject.schemaArgs + ["--confirm"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("state.sqlite knows no schema SPARK_DB.CLIENT_BYD_META_2024"))
        #expect(p.migrationNames().count == 3)
    }

    // MARK: grant and revoke

    @Test func grantQuotesTheUserExactlyAsGiven() throws {
        let p = try PlannedProject()
        let user = #"o"brien@Agency.com"#
        let r = try p.run(["grant"] + PlannedProject.schemaArgs + ["--user", user, "--read-only"])
        #expect(r.status == 0, "\(r.stderr)")
        let name = try #require(p.migrationNames().last)
        #expect(name == "V0002__grant_byd_meta_2024_ro_o_brien_agency_com.sql")
        #expect(try p.migration(name).contains(#"GRANT ROLE "CLIENT_BYD_META_2024_RO" TO USER "o""brien@Agency.com";"#))
        // Recorded exactly, so revoke with the same spelling finds it and another spelling does not.
        let wrongCase = try p.run(["revoke"] + PlannedProject.schemaArgs + ["--user", #"O"BRIEN@AGENCY.COM"#, "--read-only"])
        #expect(wrongCase.status == 1)
        #expect(wrongCase.stderr.contains("spark never granted role CLIENT_BYD_META_2024_RO"))
        let revoke = try p.run(["revoke"] + PlannedProject.schemaArgs + ["--user", user, "--read-only", "--format", "json"])
        #expect(revoke.status == 0, "\(revoke.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(revoke.stdout.utf8)) as? [String: Any])
        #expect(json["written"] as? Bool == true)
        #expect(json["migration"] as? String == "migrations/V0003__revoke_byd_meta_2024_ro_o_brien_agency_com.sql")
        #expect(json["destructive"] as? Bool == false)
    }

    @Test(arguments: [("", "--user is empty"), ("jane\n", "control character U+000A"), ("a\tb", "control character U+0009"),
                      (String(repeating: "u", count: 256), "at most 255")])
    func grantRefusesAnUnusableUser(_ user: String, _ message: String) throws {
        let p = try PlannedProject()
        let before = p.snapshot()
        for command in ["grant", "revoke"] {
            let r = try p.run([command] + PlannedProject.schemaArgs + ["--user", user])
            #expect(r.status == 1)
            #expect(r.stderr.contains(message), "\(r.stderr)")
            #expect(r.stderr.contains("hint: "))
        }
        #expect(p.snapshot() == before)
    }

    @Test(arguments: ["grant", "revoke", "drop"])
    func anUnusableClientOrYearIsRefusedNamingTheCommand(_ command: String) throws {
        let p = try PlannedProject()
        let before = p.snapshot()
        let extra = command == "drop" ? ["--confirm"] : ["--user", "jane"]
        let badClient = try p.run([command, "--client", "!!", "--platform", "meta", "--year", "2024"] + extra)
        #expect(badClient.status == 1)
        #expect(badClient.stderr.hasPrefix("spark \(command): --client \"!!\" has no letters or digits"), "\(badClient.stderr)")
        let badYear = try p.run([command, "--client", "byd", "--platform", "meta", "--year", "24"] + extra)
        #expect(badYear.status == 1)
        #expect(badYear.stderr.hasPrefix("spark \(command): --year 24 is not a four-digit year"), "\(badYear.stderr)")
        #expect(badYear.stderr.contains("hint: "))
        #expect(p.snapshot() == before)
    }

    @Test func grantOnAnUnknownSchemaSaysToPlanFirstAndLeavesNothing() throws {
        let p = try PlannedProject(plan: false)
        let r = try p.run(["grant", "--client", "acme", "--platform", "tiktok", "--year", "2025", "--user", "jane"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("state.sqlite knows no schema SPARK_DB.CLIENT_ACME_TIKTOK_2025"))
        #expect(r.stderr.contains("spark plan --client acme --platform tiktok --year 2025"))
        #expect(p.snapshot().keys.sorted() == ["/data/byd_meta_2024_wave1.csv", "/data/export.csv", "/spark.toml"], "no state.sqlite, no migrations/")
        #expect(!FileManager.default.fileExists(atPath: p.root.appendingPathComponent("migrations").path))
    }

    @Test func grantingTwiceWritesNothingTheSecondTime() throws {
        let p = try PlannedProject()
        #expect(try p.run(["grant"] + PlannedProject.schemaArgs + ["--user", "jane.doe@agency.com"]).status == 0)
        let before = p.snapshot()
        let r = try p.run(["grant"] + PlannedProject.schemaArgs + ["--user", "jane.doe@agency.com"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Nothing to do: role CLIENT_BYD_META_2024_RW is already granted"))
        #expect(p.snapshot() == before)
        // The read-only role is another grant.
        #expect(try p.run(["grant"] + PlannedProject.schemaArgs + ["--user", "jane.doe@agency.com", "--read-only"]).status == 0)
        #expect(p.migrationNames().count == 3)
    }

    @Test func revokeOfANeverRecordedGrantIsRefused() throws {
        let p = try PlannedProject()
        let before = p.snapshot()
        let r = try p.run(["revoke"] + PlannedProject.schemaArgs + ["--user", "jane.doe@agency.com"])
        #expect(r.status == 1)
        #expect(r.stderr.contains(#"spark never granted role CLIENT_BYD_META_2024_RW to user "jane.doe@agency.com""#))
        #expect(r.stderr.contains("spark schemas"))
        #expect(p.snapshot() == before)
    }

    @Test func grantRefusesAStaleState() throws {
        let p = try PlannedProject()
        // A migration written elsewhere (another clone) and pulled: state.sqlite no longer matches.
        try FileManager.default.removeItem(at: p.root.appendingPathComponent("state.sqlite"))
        let fresh = try StateStore(path: p.root.appendingPathComponent("state.sqlite").path)
        try fresh.close()
        let before = p.snapshot()
        let r = try p.run(["grant"] + PlannedProject.schemaArgs + ["--user", "jane"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("spark state rebuild"))
        #expect(p.snapshot() == before)
    }

    // MARK: schemas from state

    @Test func schemasListsWhatStateKnows() throws {
        let p = try PlannedProject()
        #expect(try p.run(["grant"] + PlannedProject.schemaArgs + ["--user", "jane.doe@agency.com", "--read-only"]).status == 0)
        let text = try p.run(["schemas"])
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("SCHEMA") })
        let row = try #require(lines.first { $0.hasPrefix("CLIENT_BYD_META_2024") })
        // Aligned: every column starts where its header does.
        for column in ["CLIENT", "PLATFORM", "YEAR", "TABLES", "COLUMNS", "WAVES", "FILES", "USERS"] {
            let at = try #require(header.range(of: column)).lowerBound.utf16Offset(in: header)
            let cell = row.utf16.dropFirst(at).prefix(1)
            #expect(String(cell) != " ", "\(column) misaligned:\n\(header)\n\(row)")
        }
        #expect(row.contains("jane.doe@agency.com (read-only)"))

        let json = try p.run(["schemas", "--format", "json"])
        #expect(json.status == 0)
        #expect(try p.run(["schemas", "--format", "json"]).stdout == json.stdout, "deterministic")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let schema = try #require((report["schemas"] as? [[String: Any]])?.first)
        #expect(schema["schema"] as? String == "CLIENT_BYD_META_2024")
        #expect(schema["waves"] as? [Int] == [1])
        #expect(schema["files"] as? Int == 1)
        let tables = try #require(schema["tables"] as? [[String: Any]])
        #expect(tables.map { $0["name"] as? String } == ["NAMING_KEYS", "PROCESSED_CAMPAIGN_DATA", "PROCESSING_LOG"])
        let store = try StateStore(path: p.root.appendingPathComponent("state.sqlite").path)
        let columns = try Self.rows(in: "columns", of: store)
        #expect(schema["columns"] as? Int == columns)
        #expect((schema["users"] as? [[String: Any]])?.first?["user"] as? String == "jane.doe@agency.com")
        // Keys sorted: "client" comes before "columns" before "database".
        let c = try #require(json.stdout.range(of: "\"client\"")), d = try #require(json.stdout.range(of: "\"database\""))
        #expect(c.lowerBound < d.lowerBound)
    }

    @Test func schemasWithoutStateSaysWhatToDo() throws {
        let p = try PlannedProject(plan: false)
        let r = try p.run(["schemas"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no state.sqlite"))
        #expect(r.stderr.contains("--connection"))
    }

    @Test func schemasWithAnUnknownConnectionNameFails() throws {
        let p = try PlannedProject()
        let r = try p.run(["schemas", "--connection", "nowhere"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("nowhere"))
    }

    @Test func helpHasExamples() throws {
        let p = try PlannedProject(plan: false)
        for command in ["schemas", "grant", "revoke", "drop"] {
            let r = try p.run([command, "--help"])
            #expect(r.status == 0)
            #expect(r.stdout.contains("Example"), "\(command) --help has no examples")
            #expect(r.stdout.contains("spark \(command)"))
        }
    }

    // MARK: colour and confirmation, with explicit inputs

    @Test func colourOnlyOnATerminalWithoutNoColor() {
        #expect(Terminal.shouldColor(isTTY: true, environment: [:]))
        #expect(Terminal.shouldColor(isTTY: true, environment: ["TERM": "xterm-256color"]))
        #expect(!Terminal.shouldColor(isTTY: false, environment: [:]))
        #expect(!Terminal.shouldColor(isTTY: true, environment: ["NO_COLOR": ""]), "NO_COLOR set to anything, even empty")
        #expect(!Terminal.shouldColor(isTTY: true, environment: ["NO_COLOR": "1"]))
        #expect(!Terminal.shouldColor(isTTY: true, environment: ["TERM": "dumb"]))
        #expect(Terminal(colored: true).red("x") == "\u{1B}[31mx\u{1B}[0m")
        #expect(Terminal(colored: false).red("x") == "x")
        let plan = "  + grant a\n  ~ widen b\n  = keep c\n  ! refused d\n  - drop schema S\n"
        #expect(Terminal(colored: true).coloringPlan(plan)
                == "\u{1B}[32m  + grant a\u{1B}[0m\n\u{1B}[33m  ~ widen b\u{1B}[0m\n  = keep c\n\u{1B}[31m  ! refused d\u{1B}[0m\n\u{1B}[31m  - drop schema S\u{1B}[0m\n")
        #expect(Terminal(colored: false).coloringPlan(plan) == plan)
    }

    func dropMigration() throws -> LocalMigration {
        let header = MigrationHeader(version: 4, description: "drop_byd_meta_2024", client: "BYD", platform: "META", year: 2024, wave: 0,
                                     database: "SPARK_DB", schema: "CLIENT_BYD_META_2024",
                                     changes: [.dropSchema(DropSchema(database: "SPARK_DB", schema: "CLIENT_BYD_META_2024",
                                                                      roles: ["CLIENT_BYD_META_2024_RO", "CLIENT_BYD_META_2024_RW"]))])
        let m = try Emitter.render(header, templates: try TemplateSet())
        return try LocalMigration(fileName: m.fileName, contents: Data(m.contents.utf8))
    }

    @Test func confirmationRules() throws {
        let drop = try dropMigration()
        let plain = Terminal(colored: false)
        var said = ""
        var asked: [String] = []
        func check(_ pending: [LocalMigration], yes: Bool, tty: Bool, answer: String?) throws {
            try DestructiveConfirmation.check(pending, yes: yes, isTerminal: tty, terminal: plain, say: { said += $0 },
                                              ask: { asked.append($0); return answer })
        }
        // Nothing destructive: no question, nothing said.
        try check([], yes: false, tty: false, answer: nil)
        #expect(said.isEmpty && asked.isEmpty)
        // Not a terminal, no --yes: refused, naming the migration and --yes.
        let noTTY = #expect(throws: Diagnostic.self) { try check([drop], yes: false, tty: false, answer: nil) }
        #expect(noTTY?.description.contains("migrations/V0004__drop_byd_meta_2024.sql") == true)
        #expect(noTTY?.description.contains("--yes") == true)
        #expect(noTTY?.code == "apply.not_confirmed")
        #expect(said.contains("V0004__drop_byd_meta_2024.sql drops schema CLIENT_BYD_META_2024"))
        #expect(asked.isEmpty)
        // --yes: listed, not asked.
        try check([drop], yes: true, tty: false, answer: nil)
        #expect(asked.isEmpty)
        // A terminal: the right name goes ahead; a wrong one, or end of input, aborts.
        try check([drop], yes: false, tty: true, answer: "CLIENT_BYD_META_2024")
        #expect(asked == ["Type the schema name CLIENT_BYD_META_2024 to drop it: "])
        let wrong = #expect(throws: Diagnostic.self) { try check([drop], yes: false, tty: true, answer: "client_byd_meta_2024") }
        #expect(wrong?.description.contains("does not match") == true)
        let none = #expect(throws: Diagnostic.self) { try check([drop], yes: false, tty: true, answer: nil) }
        #expect(none?.description.contains("nothing was run") == true)
    }
}
