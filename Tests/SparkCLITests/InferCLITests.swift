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

@Suite struct InitCLITests {
    @Test func createsAProjectThatPlansAndRefusesToOverwrite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spark-init-\(UUID().uuidString)")
        let r = try CLI.run(["init", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let templates = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("templates").path)
        #expect(templates.contains("add_column.sql.mustache") && templates.contains("load_file.sql.mustache"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("migrations").path))
        let gitignore = try String(contentsOf: dir.appendingPathComponent(".gitignore"), encoding: .utf8)
        #expect(gitignore.contains("state.sqlite") && gitignore.contains(".spark/"))

        // The new project plans with its own copy of the templates.
        try FileManager.default.copyItem(at: CLI.repositoryRoot.appendingPathComponent("examples/byd_meta_2024_wave1.csv"),
                                         to: dir.appendingPathComponent("wave1.csv"))
        let plan = try CLI.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "1", "--allow-unknown-keys", "wave1.csv"], in: dir)
        #expect(plan.status == 0, "\(plan.stderr)")

        let toml = dir.appendingPathComponent("spark.toml")
        let before = try String(contentsOf: toml, encoding: .utf8)
        let again = try CLI.run(["init", dir.path])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already exists"))
        #expect(try String(contentsOf: toml, encoding: .utf8) == before)
    }
}
