import Foundation
import Testing

/// `spark watch --apply` against fakesnow: exports dropped into an inbox end up loaded once,
/// and a refused one waits in refused/ with its diagnostic.
@Suite(.serialized) struct WatchTests {
    @Test func anInboxIsPlannedAppliedAndSortedAndADroppedAgainFileLoadsOnce() async throws {
        let p = try ApplyProject(planExamples: false)
        let inbox = p.root.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        func drop(_ example: String, as name: String) throws {
            try FileManager.default.copyItem(at: CLI.repositoryRoot.appendingPathComponent("examples/\(example)"), to: inbox.appendingPathComponent(name))
        }
        try drop("byd_meta_2024_wave1.csv", as: "byd_meta_2024_wave1.csv")
        try drop("byd_meta_2024_wave2.csv", as: "byd_meta_2024_wave2.csv")
        // Named after its wave, so it is planned before the campaign files that need its keys.
        try drop("byd_meta_2024_naming_keys.csv", as: "byd_meta_2024_wave1_naming_keys.csv")
        // A client whose naming keys were never planned: the naming-key gate refuses it.
        try drop("byd_meta_2024_wave3.csv", as: "acme_meta_2024_wave1.csv")
        let watch = ["watch", "--once", "--apply", "--settle", "0.2", "inbox"]

        let r = try CLI.run(watch, in: p.root, environment: p.environment)
        #expect(r.status == 1, "a refused file makes --once exit 1: \(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.prefix(4) == [
            "planned byd_meta_2024_wave1_naming_keys.csv → migrations/V0001__byd_meta_2024_wave1_naming_keys.sql; moved to done/byd_meta_2024_wave1_naming_keys.csv",
            "refused acme_meta_2024_wave1.csv: inbox/acme_meta_2024_wave1.csv:1: \(p.database).CLIENT_ACME_META_2024.NAMING_KEYS has no naming keys yet, so the NAMING_KEY of the file's 120 rows cannot be checked; moved to refused/acme_meta_2024_wave1.csv (why: refused/acme_meta_2024_wave1.csv.why.txt)",
            "planned byd_meta_2024_wave1.csv → migrations/V0002__byd_meta_2024_wave1.sql; moved to done/byd_meta_2024_wave1.csv",
            "planned byd_meta_2024_wave2.csv → migrations/V0003__byd_meta_2024_wave2.sql; moved to done/byd_meta_2024_wave2.csv",
        ], "\(r.stdout)")
        #expect(r.stdout.contains("Applied 3 migrations"), "\(r.stdout)\n\(r.stderr)")
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == ApplyProject.rowsPerWave[0] + ApplyProject.rowsPerWave[1])
        #expect(try await p.count("NAMING_KEYS") == 12)
        let why = try String(contentsOf: inbox.appendingPathComponent("refused/acme_meta_2024_wave1.csv.why.txt"), encoding: .utf8)
        #expect(why.contains("NAMING_KEYS has no naming keys yet") && why.contains("hint: plan the naming keys first"), "\(why)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path).sorted() == ["done", "refused"], "the inbox is empty")

        // The same export dropped again: moved to done/ under a new name, no migration, loaded once.
        try drop("byd_meta_2024_wave1.csv", as: "byd_meta_2024_wave1.csv")
        let again = try CLI.run(watch, in: p.root, environment: p.environment)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("already planned byd_meta_2024_wave1.csv: nothing new to load; moved to done/byd_meta_2024_wave1-2.csv\n"), "\(again.stdout)")
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == ApplyProject.rowsPerWave[0] + ApplyProject.rowsPerWave[1])
        let log = try await p.query("SELECT COUNT(*) FROM \"\(p.database)\".\"CLIENT_BYD_META_2024\".\"PROCESSING_LOG\" WHERE STATUS = 'LOADED' AND WAVE = 1 AND TABLE_NAME = 'PROCESSED_CAMPAIGN_DATA'")
        #expect(log == [["1"]])
    }
}
