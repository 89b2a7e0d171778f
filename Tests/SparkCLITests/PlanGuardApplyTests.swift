import Foundation
import Testing

/// What plan guards against, applied on fakesnow: a report exported again (other bytes, the
/// same rows) is not loaded twice, and a column empty so far takes the type of its first values.
@Suite(.serialized) struct PlanGuardApplyTests {
    @Test func aReExportOfAnAppliedWaveLoadsNothing() async throws {
        let p = try ApplyProject(planExamples: false)
        let wave1 = CLI.repositoryRoot.appendingPathComponent("examples/byd_meta_2024_wave1.csv")
        try FileManager.default.copyItem(at: wave1, to: p.root.appendingPathComponent("data/w1.csv"))
        // The same export saved again: no BOM, LF line ends.
        var text = try String(contentsOf: wave1, encoding: .utf8)
        text = String(text.drop { $0 == "\u{FEFF}" }).replacingOccurrences(of: "\r\n", with: "\n")
        try text.write(to: p.root.appendingPathComponent("data/w1_again.csv"), atomically: true, encoding: .utf8)
        #expect(try Data(contentsOf: p.root.appendingPathComponent("data/w1_again.csv")) != (try Data(contentsOf: wave1)), "other bytes")

        let first = try CLI.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "1", "--allow-unknown-keys", "data/w1.csv"], in: p.root)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try p.apply().status == 0)
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 80)

        let again = try CLI.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "2", "data/w1_again.csv"], in: p.root)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("holds the same rows as data/byd/meta/2024/byd_meta_2024_wave1.csv (wave 1)"), "\(again.stdout)")
        #expect(again.stdout.contains("Nothing to write."))
        let applied = try p.apply()
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("Nothing to apply"))
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 80, "loaded once")
        #expect(try await p.count("PROCESSING_LOG") == 1)
    }

    @Test func aColumnEmptySoFarBecomesNumberWithItsFirstIntegers() async throws {
        let p = try ApplyProject(planExamples: false)
        try "Campaign,Day,Video plays\nA,2024-03-01,\nB,2024-03-02,\n".write(to: p.root.appendingPathComponent("data/w1.csv"), atomically: true, encoding: .utf8)
        try "Campaign,Day,Video plays\nC,2024-03-03,120\nD,2024-03-04,75\n".write(to: p.root.appendingPathComponent("data/w2.csv"), atomically: true, encoding: .utf8)
        for wave in 1...2 {
            let r = try CLI.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "\(wave)", "data/w\(wave).csv"], in: p.root)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try p.apply().status == 0)
        }
        let type = try await p.query("""
            SELECT DATA_TYPE FROM "\(p.database)".INFORMATION_SCHEMA.COLUMNS
            WHERE TABLE_SCHEMA = 'CLIENT_BYD_META_2024' AND TABLE_NAME = 'PROCESSED_CAMPAIGN_DATA' AND COLUMN_NAME = 'VIDEO_PLAYS'
            """)
        #expect(type.first?.first == "NUMBER")
        let values = try await p.query("SELECT \"CAMPAIGN\", \"VIDEO_PLAYS\" FROM \"\(p.database)\".\"CLIENT_BYD_META_2024\".\"PROCESSED_CAMPAIGN_DATA\" ORDER BY 1")
        #expect(values == [["A", nil], ["B", nil], ["C", "120"], ["D", "75"]], "\(values)")
    }

    /// The naming-key gate end to end: a wave with keys NAMING_KEYS lacks is refused, then
    /// planned with --allow-unknown-keys and loaded, with PROCESSING_LOG counting those rows.
    @Test func unknownKeysAreRefusedOrLoadedAndCounted() async throws {
        let p = try ApplyProject(planExamples: false)
        try "Naming key,Market\nK1,DE\nK2,FR\n".write(to: p.root.appendingPathComponent("data/keys.csv"), atomically: true, encoding: .utf8)
        try "Day,Naming key,Clicks\n2024-03-01,K1,5\n2024-03-02,K3,7\n2024-03-03,,9\n2024-03-04,K2,11\n"
            .write(to: p.root.appendingPathComponent("data/w1.csv"), atomically: true, encoding: .utf8)
        let schema = ["--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "1"]
        #expect(try CLI.run(["plan"] + schema + ["--table", "naming-keys", "data/keys.csv"], in: p.root).status == 0)
        let refused = try CLI.run(["plan"] + schema + ["data/w1.csv"], in: p.root)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("data/w1.csv:3: NAMING_KEY \"K3\" is not a naming key in NAMING_KEYS"), "\(refused.stderr)")
        #expect(refused.stderr.contains("data/w1.csv:4: NAMING_KEY is empty"))
        #expect(refused.stderr.contains("data/w1.csv: 2 of 4 rows have an empty naming key or one NAMING_KEYS does not hold"))
        let allowed = try CLI.run(["plan"] + schema + ["--allow-unknown-keys", "data/w1.csv"], in: p.root)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let applied = try p.apply()
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 4, "the rows load")
        let log = try await p.query("SELECT TABLE_NAME, ROW_COUNT, KEYS_UNMATCHED FROM \"\(p.database)\".\"CLIENT_BYD_META_2024\".\"PROCESSING_LOG\" ORDER BY TABLE_NAME")
        #expect(log == [["NAMING_KEYS", "2", "0"], ["PROCESSED_CAMPAIGN_DATA", "4", "2"]], "\(log)")
    }

    /// Moving the history schema after an apply would make apply run every migration again.
    @Test func aChangedHistorySchemaIsRefusedAfterAnApply() async throws {
        let p = try ApplyProject(planExamples: false)
        try "Day,Clicks\n2024-03-01,5\n".write(to: p.root.appendingPathComponent("data/w1.csv"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "1", "data/w1.csv"], in: p.root).status == 0)
        #expect(try p.apply().status == 0)
        let toml = p.root.appendingPathComponent("spark.toml")
        try (try String(contentsOf: toml, encoding: .utf8) + "history_schema = \"OPS\"\n").write(to: toml, atomically: true, encoding: .utf8)
        let moved = try p.apply()
        #expect(moved.status == 1)
        #expect(moved.stderr.contains("spark apply: spark.toml's history_schema \"OPS\" is not where"), "\(moved.stderr)")
        #expect(moved.stderr.contains("it was applied with history_schema \"SPARK\""))
        let flag = try p.apply(["--history-schema", "SPARK"])
        #expect(flag.status == 0, "the schema it was applied with still works: \(flag.stderr)")
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 1, "nothing ran twice")
    }
}
