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

        let first = try CLI.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "1", "data/w1.csv"], in: p.root)
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
}
