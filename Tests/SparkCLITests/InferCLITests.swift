import Foundation
import Testing

@Suite struct InferCLITests {
    @Test func infersTheExamplesAsJSON() throws {
        let examples = try FileManager.default.contentsOfDirectory(atPath: CLI.repositoryRoot.appendingPathComponent("examples").path)
            .filter { $0.hasSuffix(".csv") }.sorted().map { "examples/" + $0 }
        #expect(examples.count >= 6)
        let r = try CLI.run(["infer", "--format", "json"] + examples)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let files = try #require(json?["files"] as? [[String: Any]])
        #expect(files.map { $0["path"] as? String } == examples)
        let google = try #require(files.first { ($0["path"] as? String)?.contains("google_ads") == true })
        #expect(google["encoding"] as? String == "utf-16le")
        #expect(google["delimiter"] as? String == "\t")
        // Same input, same bytes.
        #expect(try CLI.run(["infer", "--format", "json"] + examples).stdout == r.stdout)
    }

    @Test func badInputExitsOneNamesFileAndLineAndPrintsNothing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spark-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("a,b\n1,2\n3,\"open\n".utf8).write(to: dir.appendingPathComponent("broken.csv"))
        try Data("a,b\n1,2\n".utf8).write(to: dir.appendingPathComponent("good.csv"))
        let r = try CLI.run(["infer", "good.csv", "broken.csv"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("broken.csv:3: a quoted field opened on this line is never closed"))
        #expect(r.stderr.contains("hint:"))
    }

    @Test func missingFileIsAClearError() throws {
        let r = try CLI.run(["infer", "no/such/file.csv"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no/such/file.csv: cannot open the file"))
    }

    @Test func helpShowsExamples() throws {
        let r = try CLI.run(["infer", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Examples:"))
    }
}
