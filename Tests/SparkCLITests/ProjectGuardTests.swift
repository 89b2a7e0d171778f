import Foundation
import SparkModel
import SparkState
import Testing

/// The project guards: spark.toml is required and typed, the database is fixed by the
/// migrations, and `spark discard` undoes unapplied migrations. Every refusal leaves the
/// project's files and state as they were.
@Suite struct ProjectGuardTests {
    // MARK: a project is required

    @Test(arguments: [
        ["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "1", "data/byd_meta_2024_wave1.csv"],
        ["validate", "--client", "byd", "--platform", "meta", "--year", "2024", "data/byd_meta_2024_wave1.csv"],
        ["verify"], ["state", "rebuild"], ["state", "dump"], ["status"], ["apply", "--dry-run"], ["schemas"],
        ["grant", "--client", "byd", "--platform", "meta", "--year", "2024", "--user", "jane"],
        ["revoke", "--client", "byd", "--platform", "meta", "--year", "2024", "--user", "jane"],
        ["drop", "--client", "byd", "--platform", "meta", "--year", "2024", "--confirm"],
        ["discard"],
    ])
    func everyProjectCommandRefusesOutsideAProject(_ args: [String]) throws {
        let p = try PlannedProject(plan: false)
        try FileManager.default.removeItem(at: p.root.appendingPathComponent("spark.toml"))
        let before = p.snapshot()
        let r = try p.run(args)
        #expect(r.status == 1, "\(args)")
        #expect(r.stderr.contains("not a spark project: there is no spark.toml"), "\(args): \(r.stderr)")
        #expect(r.stderr.contains("hint: run `spark init`"))
        #expect(p.snapshot() == before, "\(args) created nothing")
    }

    @Test func inferAndPreviewNeedNoProject() throws {
        let p = try PlannedProject(plan: false)
        try FileManager.default.removeItem(at: p.root.appendingPathComponent("spark.toml"))
        #expect(try p.run(["infer", "data/byd_meta_2024_wave1.csv"]).status == 0)
        #expect(try p.run(["preview", "data/byd_meta_2024_wave1.csv"]).status == 0)
    }

    // MARK: typed config

    @Test func settingsErrorsNameTheirLine() throws {
        let p = try PlannedProject(plan: false)
        let cases: [(toml: String, error: String)] = [
            ("database = \"DB\"\nparent_rol = \"SYSADMIN\"\n", "spark.toml:2: unknown setting `parent_rol`\nhint: did you mean parent_role?"),
            ("# c\n\nnull_markers = \"--\"\n", "spark.toml:3: `null_markers` must be a list of strings"),
            ("platforms = [\"taboola\", 3]\n", "spark.toml:1: `platforms` must be a list of strings"),
            ("date_order = \"DMY\"\n\n[column_types]\n\"Reach\" = \"NUMBER(38,0)\"\n  \"Spend\" = \"MONEY\"\n",
             "spark.toml:5: column type of \"Spend\" must be a Snowflake type"),
            ("[header_aliases]\n'Amount spent' = 7\n", "spark.toml:2: header alias \"Amount spent\" must name a column"),
            ("header_aliases = \"x\"\n", "spark.toml:1: `header_aliases` must be a table"),
            ("history_schema = \"\"\n", "spark.toml:1: `history_schema` must be a non-empty string"),
            ("database = \"DB\n", "spark.toml:1:"),
        ]
        for c in cases {
            try c.toml.write(to: p.root.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
            let before = p.snapshot()
            let r = try p.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "1", "data/byd_meta_2024_wave1.csv"])
            #expect(r.status == 1)
            #expect(r.stderr.hasPrefix(c.error), "\(c.toml): \(r.stderr)")
            #expect(p.snapshot() == before)
        }
    }

    @Test func platformsInSparkTomlAreAccepted() throws {
        let p = try PlannedProject(plan: false)
        try "platforms = [\"Taboola\"]\n".write(to: p.root.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        let r = try p.run(["plan", "--client", "byd", "--platform", "taboola", "--year", "2024", "--wave", "1", "--allow-unknown-keys", "data/export.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(p.migrationNames() == ["V0001__byd_taboola_2024_wave1.sql"])
        let typo = try p.run(["plan", "--client", "byd", "--platform", "tabola", "--year", "2024", "--wave", "2", "data/export.csv"])
        #expect(typo.stderr.hasPrefix("spark plan: --platform \"tabola\" is not a known platform; did you mean taboola?"), "\(typo.stderr)")
    }

    // MARK: settings fixed by migrations

    @Test func changingTheDatabaseAfterPlanningIsRefused() throws {
        let p = try PlannedProject()
        try "# the team's database\ndatabase = \"ANALYTICS\"\n".write(to: p.root.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        let before = p.snapshot()
        for args in [["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "2", "--allow-unknown-keys", "data/export.csv"],
                     ["plan", "--dry-run", "--client", "acme", "--platform", "meta", "--year", "2024", "--wave", "1", "--allow-unknown-keys", "data/export.csv"],
                     ["grant"] + PlannedProject.schemaArgs + ["--user", "jane"],
                     ["apply", "--dry-run"]] {
            let r = try p.run(args)
            #expect(r.status == 1, "\(args)")
            #expect(r.stderr.hasPrefix("spark.toml:2: database is \"ANALYTICS\" but the migrations use \"SPARK_DB\" (migrations/V0001__byd_meta_2024_wave1.sql)"),
                    "\(args): \(r.stderr)")
            #expect(r.stderr.contains("hint: set database = \"SPARK_DB\" again"))
            #expect(p.snapshot() == before, "\(args) changed nothing")
        }
        // Back to the database the migrations use, planning goes on.
        try "database = \"SPARK_DB\"\n".write(to: p.root.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        let restored = try p.run(["plan", "--dry-run", "--client", "acme", "--platform", "meta", "--year", "2024", "--wave", "1", "--allow-unknown-keys", "data/export.csv"])
        #expect(restored.status == 0, "\(restored.stderr)")
    }

    // MARK: discard

    /// Wave 1 planned right, then a typo'd platform planned as a second schema.
    func projectWithATypo() throws -> PlannedProject {
        let p = try PlannedProject()
        try "platforms = [\"tiktokk\"]\n".write(to: p.root.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        let typo = try p.run(["plan", "--client", "byd", "--platform", "tiktokk", "--year", "2024", "--wave", "1", "--allow-unknown-keys", "data/export.csv"])
        #expect(typo.status == 0, "\(typo.stderr)")
        #expect(p.migrationNames() == ["V0001__byd_meta_2024_wave1.sql", "V0002__byd_tiktokk_2024_wave1.sql"])
        return p
    }

    @Test func discardRemovesTheLastMigrationItsCopyAndItsState() throws {
        let p = try projectWithATypo()
        let afterWave1 = try PlannedProject()
        let expectedState = try afterWave1.run(["state", "dump"]).stdout
        #expect(FileManager.default.fileExists(atPath: p.root.appendingPathComponent("data/byd/tiktokk/2024/byd_tiktokk_2024_wave1.csv").path))

        let dry = try p.run(["discard", "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stdout == "Would remove migrations/V0002__byd_tiktokk_2024_wave1.sql\nWould remove data/byd/tiktokk/2024/byd_tiktokk_2024_wave1.csv\nDry run: nothing removed.\n")

        let r = try p.run(["discard"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Removed migrations/V0002__byd_tiktokk_2024_wave1.sql\n"))
        #expect(p.migrationNames() == ["V0001__byd_meta_2024_wave1.sql"])
        #expect(!FileManager.default.fileExists(atPath: p.root.appendingPathComponent("data/byd/tiktokk").path), "the copy and its empty folders are gone")
        #expect(FileManager.default.fileExists(atPath: p.root.appendingPathComponent("data/byd/meta/2024/byd_meta_2024_wave1.csv").path))
        #expect(try p.run(["verify"]).status == 0, "spark.sum rewritten")
        #expect(p.snapshot()["/migrations/spark.sum"] == afterWave1.snapshot()["/migrations/spark.sum"])
        #expect(try p.run(["state", "dump"]).stdout == expectedState, "the state is rebuilt")
        // The right platform plans as the next version, into the schema's own state.
        let again = try p.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "2", "data/export.csv"])
        #expect(again.stdout.contains("already planned in V0001"), "\(again.stdout)\(again.stderr)")
    }

    @Test func discardFromAVersionRemovesEveryLaterOneButKeepsCopiesStillLoaded() throws {
        let p = try projectWithATypo()
        let r = try p.run(["discard", "V0001"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(p.migrationNames().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: p.root.appendingPathComponent("migrations/spark.sum").path))
        #expect(!FileManager.default.fileExists(atPath: p.root.appendingPathComponent("data/byd").path))
        #expect(FileManager.default.fileExists(atPath: p.root.appendingPathComponent("data/byd_meta_2024_wave1.csv").path), "the user's own file stays")
        let unknown = try p.run(["discard", "9"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("spark discard: migrations/ has no migrations"))
    }

    @Test func discardIsRefusedForAnAppliedMigration() throws {
        let p = try projectWithATypo()
        let store = try StateStore(path: p.root.appendingPathComponent("state.sqlite").path)
        try store.recordApplied(target: "https://acme.snowflakecomputing.com/SPARK_DB", [
            AppliedMigration(version: 1, checksum: "x", status: .applied, statementsApplied: 25, statementsTotal: 25),
            AppliedMigration(version: 2, checksum: "y", status: .failed, statementsApplied: 3, statementsTotal: 25),
        ])
        let before = p.snapshot()
        let r = try p.run(["discard", "2"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("migrations/V0002__byd_tiktokk_2024_wave1.sql: run (FAILED) on https://acme.snowflakecomputing.com/SPARK_DB; only migrations no target has run can be discarded"),
                "\(r.stderr)")
        let all = try p.run(["discard", "1"])
        #expect(all.stderr.hasPrefix("migrations/V0001__byd_meta_2024_wave1.sql: applied on https://acme.snowflakecomputing.com/SPARK_DB (and 1 more)"), "\(all.stderr)")
        let bad = try p.run(["discard", "V12"])
        #expect(bad.stderr.hasPrefix("spark discard: there is no migration V12"), "\(bad.stderr)")
        #expect(p.snapshot() == before)
    }

    @Test func discardKeepsWhatTargetsHaveApplied() throws {
        let p = try projectWithATypo()
        let target = "https://acme.snowflakecomputing.com/SPARK_DB"
        try StateStore(path: p.root.appendingPathComponent("state.sqlite").path).recordApplied(target: target, [
            AppliedMigration(version: 1, checksum: "x", status: .applied, statementsApplied: 25, statementsTotal: 25),
        ])
        #expect(try p.run(["discard"]).status == 0)
        let applied = try StateStore(path: p.root.appendingPathComponent("state.sqlite").path).applied(target: target)
        #expect(applied.map(\.version) == [1])
    }

    // MARK: what a killed plan leaves, and links

    @Test func aPlanRemovesWhatAKilledPlanLeftAndCopiesALinksTarget() throws {
        let p = try PlannedProject(plan: false)
        let folder = p.root.appendingPathComponent("data/byd/meta/2024")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A dead pid's temporary copy, and a live one's (this test process).
        try Data(count: 4096).write(to: folder.appendingPathComponent(".byd_meta_2024_wave1.csv.tmp-999999"))
        try Data(count: 10).write(to: folder.appendingPathComponent(".other.csv.tmp-\(getpid())"))
        try FileManager.default.createSymbolicLink(atPath: p.root.appendingPathComponent("link.csv").path, withDestinationPath: "data/byd_meta_2024_wave1.csv")
        let r = try p.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "1", "--allow-unknown-keys", "link.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("removed data/byd/meta/2024/.byd_meta_2024_wave1.csv.tmp-999999, left by a spark (pid 999999) that was stopped"), "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".other.csv.tmp-\(getpid())").path), "a live process's file stays")
        #expect(r.stderr.contains("note: link.csv is a symbolic link; data/byd/meta/2024/byd_meta_2024_wave1.csv holds the bytes of its target"))
        let copy = folder.appendingPathComponent("byd_meta_2024_wave1.csv").path
        let attributes = try FileManager.default.attributesOfItem(atPath: copy)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular, "a file, not a link")
        #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: p.root.appendingPathComponent("data/byd_meta_2024_wave1.csv").path))
    }
}
