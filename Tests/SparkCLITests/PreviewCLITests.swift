import Foundation
import Testing

/// `spark preview`, the binary end to end, against the fixtures' oracles.
@Suite struct PreviewCLITests {
    static let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/SparkLoadTests/Adversarial")

    struct Report: Decodable {
        struct Row: Decodable { var line: Int; var values: [String?] }
        struct Rejected: Decodable { var line: Int; var reason: String; var text: String }
        var rows: [Row]
        var total_rows: Int
        var rejected_rows: [Rejected]
    }

    @Test func valuesAreWhatTheFileMeans() throws {
        let input = Self.fixtures.appendingPathComponent("locale_de_google_ads/input.csv").path
        let oracle = try JSONDecoder().decode(LocaleApplyTests.Oracle.self,
                                              from: Data(contentsOf: Self.fixtures.appendingPathComponent("locale_de_google_ads/oracle.json")))
        let r = try CLI.run(["preview", "--all", "--format", "json", input])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8))
        #expect(report.rows.count == oracle.columns[0].values.count)
        for (i, row) in report.rows.enumerated() {
            for (k, column) in oracle.columns.enumerated() {
                let (got, want) = (row.values[k], column.values[i])
                let same = column.kind == "number" ? got.flatMap { Decimal(string: $0) } == want.flatMap { Decimal(string: $0) } && (got == nil) == (want == nil)
                    : got == want
                #expect(same, "line \(row.line), \(column.header): \(got.debugDescription) vs \(want.debugDescription)")
            }
        }
        // CSV: the canonical rows, one line each here (no value spans lines), NULL as \N.
        let csv = try CLI.run(["preview", "--all", "--format", "csv", input])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.count == 1 + report.rows.count)
        #expect(lines[1].hasPrefix("2024-03-01,Marke – Suche DE,Suche,724225,19532,2.70,EUR,37110.80,"), "\(lines[1])")
        #expect(csv.stdout.contains(",\\N"))
    }

    @Test func textShowsNullsAndListsSummaryRowsApart() throws {
        let input = Self.fixtures.appendingPathComponent("locale_de_google_ads/input.csv").path
        let r = try CLI.run(["preview", "--rows", "3", input])
        #expect(r.status == 0)
        #expect(r.stdout.contains("93 rows to load, as they will load; the first 3"))
        #expect(r.stdout.contains("37110.80"), "canonical numbers")
        #expect(r.stdout.contains("NULL"))
        #expect(r.stdout.contains("summary rows, left out of the load:\n  line 97: \"Gesamt: Konto\""))
        let raw = try CLI.run(["preview", "--rows", "3", "--raw", input])
        #expect(raw.stdout.contains("37.110,80") && raw.stdout.contains("--"), "raw cells as read")
    }

    @Test func jsonListsRejectedRowsWithTheirText() throws {
        let input = Self.fixtures.appendingPathComponent("quote_mid_field_reject/input.csv").path
        let refused = try CLI.run(["preview", input])
        #expect(refused.status == 1 && refused.stderr.contains("input.csv:7:"), "\(refused.stderr)")
        let r = try CLI.run(["preview", "--bad-rows", "reject", "--all", "--format", "json", input])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8))
        #expect(report.rows.count == report.total_rows && report.total_rows == 13)
        #expect(report.rejected_rows.map(\.line) == [7])
        #expect(report.rejected_rows.first?.text.contains("$78.74\"Rolling Duffle, Extra-Large\"") == true)
        #expect(!report.rows.contains { $0.line == 7 })
    }
}
