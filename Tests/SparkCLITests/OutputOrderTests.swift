import Foundation
import SparkModel
import Testing

/// What a user sees on one terminal (or `2>&1` into a file): stdout and stderr in the order they
/// were written, each on its own lines.
@Suite struct OutputOrderTests {
    /// A refused plan long enough that its output is flushed in pieces: the error starts on a line
    /// of its own, after the plan's summary.
    @Test func aRefusedPlansErrorFollowsItsSummaryOnItsOwnLine() throws {
        let p = try PlannedProject(plan: false)
        let wide = (1...200).map { "Metric \($0)" }
        try ("Campaign,Spend\n" + (1...3).map { "C\($0),\($0)" }.joined(separator: "\n") + "\n")
            .write(to: p.root.appendingPathComponent("data/w1.csv"), atomically: true, encoding: .utf8)
        try (["Campaign,Spend," + wide.joined(separator: ",")] + (1...3).map { r in "C\(r),n/a \(r)," + wide.indices.map { String($0 * r) }.joined(separator: ",") })
            .joined(separator: "\n").appending("\n").write(to: p.root.appendingPathComponent("data/w2.csv"), atomically: true, encoding: .utf8)
        let schema = ["plan", "--client", "big", "--platform", "meta", "--year", "2024", "--no-copy"]
        let first = try CLI.run(schema + ["--wave", "1", "data/w1.csv"], in: p.root)
        #expect(first.status == 0, "\(first.stderr)")
        let r = try CLI.runCombined(schema + ["--wave", "2", "data/w2.csv"], in: p.root)
        #expect(r.status == 1)
        #expect(r.output.utf8.count > 8192, "long enough to be flushed in pieces: \(r.output.utf8.count) bytes")
        let lines = r.output.components(separatedBy: "\n")
        let summary = try #require(lines.firstIndex { $0.hasPrefix("Plan: ") }, "\(r.output.suffix(600))")
        #expect(lines[summary].hasSuffix("refused."), "the summary line holds only the summary: \(lines[summary])")
        let error = try #require(lines.firstIndex { $0.hasPrefix("data/w2.csv:2: ") }, "\(r.output.suffix(600))")
        #expect(error > summary, "the error follows the plan it explains")
    }

    @Test func versionSaysWhichSpark() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout == "spark \(SparkVersion.current)\n")
    }
}
