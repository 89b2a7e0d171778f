import Foundation
import SparkModel
import Testing

/// Apply acts on each statement's `-- spark:step` line, never on its text; a resumed migration
/// keeps the statements it already ran. On fakesnow, end to end.
@Suite(.serialized) struct StatementTagApplyTests {
    let safety = ApplySafetyTests()

    func statements(_ url: URL) throws -> [MigrationStatement] {
        try MigrationFile.statements(in: try String(contentsOf: url, encoding: .utf8), file: url.lastPathComponent)
    }

    /// A project's load template writes its COPY in lower case and in another layout: the
    /// COPY is still the guarded one, so a kill right after it leaves the file loaded once.
    @Test func aCustomisedCopyKeepsItsRowCountGuard() async throws {
        let p = try ApplyProject(planExamples: false)
        let templates = p.root.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        let standard = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("templates/load_file.sql.mustache"), encoding: .utf8)
        let custom = standard.replacingOccurrences(of: "COPY INTO {{table}}", with: "copy   into {{table}}")
        #expect(custom != standard)
        try custom.write(to: templates.appendingPathComponent("load_file.sql.mustache"), atomically: true, encoding: .utf8)
        try "Day,Campaign,Clicks\n2024-01-01,A,1\n2024-01-02,B,2\n2024-01-03,C,3\n"
            .write(to: p.root.appendingPathComponent("data/w1.csv"), atomically: true, encoding: .utf8)
        let planned = try CLI.run(["plan"] + ApplySafetyTests.schema + ["--wave", "1", "data/w1.csv"], in: p.root)
        #expect(planned.status == 0, "\(planned.stderr)")
        let v1 = try statements(try p.migration(1))
        let copy = try #require(v1.firstIndex { $0.step?.role == .copy })
        #expect(v1[copy].sql.hasPrefix("copy   into"))

        let killed = try await p.applyKilled(after: copy + 1, of: 1)
        #expect(killed.status == 128 + 9 || killed.status == 9, "exit \(killed.status): \(killed.stderr)")
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 3)
        let rerun = try p.apply()
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("already loaded"), "\(rerun.stderr)")
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 3, "loaded once")
    }

    /// A migration written before statements were tagged is not run: apply cannot tell its
    /// loads from its DDL without reading the SQL.
    @Test func aMigrationWithoutStepLinesIsRefusedBeforeItRuns() async throws {
        let p = try safety.project()
        let v2 = try p.migration(2)
        let text = try String(contentsOf: v2, encoding: .utf8)
        try text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("-- spark:step ") }
            .joined(separator: "\n").write(to: v2, atomically: true, encoding: .utf8)
        try p.remakeSum()
        let r = try p.apply()
        #expect(r.status == 1)
        #expect(r.stderr.contains("migrations/\(v2.lastPathComponent):"), "\(r.stderr)")
        #expect(r.stderr.contains("has no `-- spark:step` lines"), "\(r.stderr)")
        let history = try await p.query("SELECT VERSION, STATUS FROM \"\(p.database)\".\"SPARK\".\"SPARK_HISTORY\" ORDER BY VERSION")
        #expect(history.map { $0.compactMap { $0 } } == [["1", "APPLIED"]], "V1 ran, nothing of V2: \(history)")
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 3)
    }

    /// A migration failed at its third statement; the rerun finds its first statement edited
    /// since it ran, and refuses. Put back, the rerun resumes and finishes.
    @Test func aResumeWhoseAppliedStatementsWereEditedIsRefused() async throws {
        let p = try safety.project()
        #expect(try p.apply(["--to", "1"]).status == 0)
        let v2 = try p.migration(2)
        let original = try String(contentsOf: v2, encoding: .utf8)
        let s = try statements(v2)
        #expect(s.count >= 3)
        // A hand-added statement that fails, third: the first two run and are recorded.
        var lines = original.components(separatedBy: "\n")
        lines.insert("SELEC broken;", at: s[2].line - 2)
        try lines.joined(separator: "\n").write(to: v2, atomically: true, encoding: .utf8)
        try p.remakeSum()
        let failed = try p.apply()
        #expect(failed.stderr.contains("statement 3 of \(s.count + 1) failed"), "\(failed.stderr)")

        // The broken statement fixed (removed), but the first one edited too.
        let first = s[0].sql
        let space = try #require(first.firstIndex(of: " "))
        let edited = original.replacingOccurrences(of: first, with: first[..<space] + "  " + first[first.index(after: space)...])
        #expect(edited != original)
        try edited.write(to: v2, atomically: true, encoding: .utf8)
        try p.remakeSum()
        let refused = try p.apply()
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("migrations/\(v2.lastPathComponent):\(s[0].line): statement 1 was applied, and has changed since"), "\(refused.stderr)")

        try original.write(to: v2, atomically: true, encoding: .utf8)
        try p.remakeSum()
        let resumed = try p.apply()
        #expect(resumed.status == 0, "\(resumed.stderr)")
        try await safety.expectCleanEnd(p)
    }
}
