import Foundation
import SparkModel
import Testing

/// Exports from outside en-US, planned and applied to fakesnow end to end. What Snowflake holds
/// is compared with the fixtures' oracles (the values the generator wrote), not with spark.
@Suite(.serialized) struct LocaleApplyTests {
    static let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/SparkLoadTests/Adversarial")

    struct Oracle: Decodable {
        struct Column: Decodable {
            var header: String
            var kind: String
            var values: [String?]
        }
        var columns: [Column]
        var summary_rows: [Int]
        var rejected_rows: [Int]
    }

    func oracle(_ name: String) throws -> Oracle {
        try JSONDecoder().decode(Oracle.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("\(name)/oracle.json")))
    }

    func copy(_ name: String, to file: String, in p: ApplyProject) throws {
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("\(name)/input.csv"), to: p.root.appendingPathComponent("data/\(file)"))
    }

    /// Every number column's SUM in Snowflake equals the exact sum of the values the file means.
    func expectSums(_ p: ApplyProject, schema: String, _ o: Oracle, file: String) async throws {
        let names = Identifier.uniqueNames(for: o.columns.map(\.header))
        let table = "\"\(p.database)\".\"\(schema)\".\"PROCESSED_CAMPAIGN_DATA\""
        for (name, column) in zip(names, o.columns) where column.kind == "number" {
            let values = column.values.compactMap { $0.flatMap { Decimal(string: $0) } }
            let exact = values.reduce(0, +)
            let scale = column.values.compactMap { $0?.split(separator: ".").dropFirst().first?.count }.max() ?? 0
            let got = try await p.query("SELECT SUM(\"\(name)\")::NUMBER(38,\(scale)) FROM \(table) WHERE SPARK_SOURCE_FILE = 'data/\(file)'")
            let sum = got.first?.first.flatMap { $0.flatMap { Decimal(string: $0) } }
            #expect(sum == exact, "\(file): SUM(\(name)) is \(sum.map { "\($0)" } ?? "nil"), the file's values sum to \(exact)")
        }
        let rows = try await p.query("SELECT COUNT(*) FROM \(table) WHERE SPARK_SOURCE_FILE = 'data/\(file)'")
        #expect(rows.first?.first == "\(o.columns.first?.values.count ?? -1)", "\(file): rows")
    }

    @Test func germanExportsLoadWithExactSums() async throws {
        let p = try ApplyProject(planExamples: false)
        try copy("locale_de_meta", to: "de_meta.csv", in: p)
        try copy("locale_de_google_ads", to: "de_google_ads.csv", in: p)
        for (platform, file) in [("meta", "de_meta.csv"), ("google_ads", "de_google_ads.csv")] {
            let r = try CLI.run(["plan", "--no-copy", "--client", "acme", "--platform", platform, "--year", "2024", "--wave", "1", "data/\(file)"], in: p.root)
            #expect(r.status == 0, "\(r.stderr)")
            if platform == "google_ads" {
                #expect(r.stdout.contains("3 summary rows left out: line 97 \"Gesamt: Konto\""), "\(r.stdout)")
                #expect(r.stdout.contains("decimal separator \",\""), "the plan says how the numbers are read")
            }
        }
        let applied = try p.apply()
        #expect(applied.status == 0, "\(applied.stderr)")
        try await expectSums(p, schema: "CLIENT_ACME_META_2024", try oracle("locale_de_meta"), file: "de_meta.csv")
        try await expectSums(p, schema: "CLIENT_ACME_GOOGLE_ADS_2024", try oracle("locale_de_google_ads"), file: "de_google_ads.csv")
        let log = try await p.query("SELECT ROW_COUNT, ROWS_SUMMARY, ROWS_REJECTED FROM \"\(p.database)\".\"CLIENT_ACME_GOOGLE_ADS_2024\".\"PROCESSING_LOG\"")
        #expect(log.first == ["\(try oracle("locale_de_google_ads").columns[0].values.count)", "3", "0"], "\(log)")
        let day = try await p.query("""
            SELECT DATA_TYPE FROM "\(p.database)".INFORMATION_SCHEMA.COLUMNS
            WHERE TABLE_SCHEMA = 'CLIENT_ACME_GOOGLE_ADS_2024' AND TABLE_NAME = 'PROCESSED_CAMPAIGN_DATA' AND COLUMN_NAME = 'TAG'
            """)
        #expect(day.first?.first == "DATE", "the total rows did not make the day column text")
    }

    /// A schema whose log was created before spark counted left-out rows: the next wave adds the
    /// two columns before its load, and both loads are logged.
    @Test func anOlderLogGetsItsNewColumnsOnTheNextWave() async throws {
        let p = try ApplyProject(planExamples: false)
        for wave in 1...2 {
            try FileManager.default.copyItem(at: CLI.repositoryRoot.appendingPathComponent("examples/byd_meta_2024_wave\(wave).csv"),
                                             to: p.root.appendingPathComponent("data/w\(wave).csv"))
        }
        let first = try CLI.run(["plan", "--no-copy", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "1", "--allow-unknown-keys", "data/w1.csv"], in: p.root)
        #expect(first.status == 0, "\(first.stderr)")
        // Make V0001 what an earlier spark wrote: a log without ROWS_SUMMARY, ROWS_REJECTED and
        // KEYS_UNMATCHED (the file's 80 rows were planned before any naming keys).
        let v1 = try p.migration(1)
        var text = try String(contentsOf: v1, encoding: .utf8)
        for (old, new) in [
            (",{\"name\":\"ROWS_SUMMARY\",\"type\":\"NUMBER(38,0)\"},{\"name\":\"ROWS_REJECTED\",\"type\":\"NUMBER(38,0)\"},{\"name\":\"KEYS_UNMATCHED\",\"type\":\"NUMBER(38,0)\"}", ""),
            (",\n    \"ROWS_SUMMARY\" NUMBER(38,0),\n    \"ROWS_REJECTED\" NUMBER(38,0),\n    \"KEYS_UNMATCHED\" NUMBER(38,0)\n", "\n"),
            (", \"ROWS_SUMMARY\", \"ROWS_REJECTED\", \"KEYS_UNMATCHED\")", ")"), ("'LOADED', 0, 0, 80\n", "'LOADED'\n"),
            (",\"keysUnmatched\":80", ""),
        ] {
            #expect(text.contains(old), "\(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try text.write(to: v1, atomically: true, encoding: .utf8)
        try p.remakeSum()
        #expect(try CLI.run(["state", "rebuild"], in: p.root).status == 0)
        #expect(try p.apply().status == 0)

        let second = try CLI.run(["plan", "--no-copy", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "2", "--allow-unknown-keys", "data/w2.csv"], in: p.root)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("+ column PROCESSING_LOG.ROWS_SUMMARY NUMBER(38,0)"), "\(second.stdout)")
        let applied = try p.apply()
        #expect(applied.status == 0, "\(applied.stderr)")
        let log = try await p.query("SELECT WAVE, ROWS_SUMMARY, ROWS_REJECTED, KEYS_UNMATCHED, ROW_COUNT FROM \"\(p.database)\".\"CLIENT_BYD_META_2024\".\"PROCESSING_LOG\" ORDER BY WAVE")
        #expect(log == [["1", nil, nil, nil, "80"], ["2", "0", "0", "100", "100"]], "\(log)")
    }

    @Test func rejectModeLoadsTheGoodRowsAndListsTheOthers() async throws {
        let p = try ApplyProject(planExamples: false)
        try copy("quote_mid_field_reject", to: "products.csv", in: p)
        let o = try oracle("quote_mid_field_reject")
        let refused = try CLI.run(["plan", "--client", "acme", "--platform", "meta", "--year", "2024", "--wave", "1", "data/products.csv"], in: p.root)
        #expect(refused.status == 1 && refused.stderr.contains("products.csv:7:"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: p.root.appendingPathComponent("migrations").path), "a refused plan writes nothing")

        let r = try CLI.run(["plan", "--bad-rows", "reject", "--client", "acme", "--platform", "meta", "--year", "2024", "--wave", "1", "data/products.csv"], in: p.root)
        #expect(r.status == 0, "\(r.stderr)")
        let rejectsPath = "data/acme/meta/2024/acme_meta_2024_wave1.rejects.csv"
        #expect(r.stdout.contains("1 row rejected, listed in \(rejectsPath)"), "\(r.stdout)")
        let rejects = try String(contentsOf: p.root.appendingPathComponent(rejectsPath), encoding: .utf8)
        #expect(rejects.hasPrefix("LINE,REASON,RECORD\n7,"), "\(rejects)")
        #expect(rejects.contains("Rolling Duffle"))

        let applied = try p.apply()
        #expect(applied.status == 0, "\(applied.stderr)")
        let rows = try await p.query("SELECT COUNT(*) FROM \"\(p.database)\".\"CLIENT_ACME_META_2024\".\"PROCESSED_CAMPAIGN_DATA\"")
        #expect(rows.first?.first == "\(o.columns[0].values.count)")
        let log = try await p.query("SELECT ROW_COUNT, ROWS_REJECTED FROM \"\(p.database)\".\"CLIENT_ACME_META_2024\".\"PROCESSING_LOG\"")
        #expect(log.first == ["\(o.columns[0].values.count)", "\(o.rejected_rows.count)"], "\(log)")
    }
}
