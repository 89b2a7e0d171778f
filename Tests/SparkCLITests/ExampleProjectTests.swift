import Foundation
import Testing

/// The repository is itself a spark project: `migrations/` is exactly what spark plans from
/// `examples/`, and `state.sqlite.example` exactly what `spark state rebuild` makes from it.
@Suite struct ExampleProjectTests {
    func files(_ dir: URL) -> [String: Data] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return Dictionary(uniqueKeysWithValues: names.map { ($0, FileManager.default.contents(atPath: dir.appendingPathComponent($0).path) ?? Data()) })
    }

    @Test func committedMigrationsAndStateAreWhatSparkGenerates() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("spark-example-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [CLI.repositoryRoot.appendingPathComponent("scripts/make-example-project").path, scratch.path]
        p.environment = ProcessInfo.processInfo.environment.merging(["SPARK_BIN": CLI.executable.path]) { $1 }
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)

        let committed = files(CLI.repositoryRoot.appendingPathComponent("migrations"))
        let generated = files(scratch.appendingPathComponent("migrations"))
        #expect(committed.count >= 7, "the example migrations and spark.sum are committed")
        #expect(committed.keys.sorted() == generated.keys.sorted())
        for (name, data) in generated.sorted(by: { $0.key < $1.key }) {
            #expect(committed[name] == data, "migrations/\(name) differs from what spark generates: run scripts/make-example-project")
        }
        let state = FileManager.default.contents(atPath: CLI.repositoryRoot.appendingPathComponent("state.sqlite.example").path)
        #expect(state != nil && state == FileManager.default.contents(atPath: scratch.appendingPathComponent("state.sqlite.example").path),
                "state.sqlite.example differs from `spark state rebuild`: run scripts/make-example-project")
    }

    @Test func theRepositoryVerifiesAndShowsItsSchemasState() throws {
        let verify = try CLI.run(["verify"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        // A copy: opening a state migrates it, which must never touch the committed file.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("spark-example-state-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: CLI.repositoryRoot.appendingPathComponent("state.sqlite.example"), to: copy)
        let dump = try CLI.run(["state", "dump", "--state", copy.path])
        #expect(dump.status == 0, "\(dump.stderr)")
        #expect(dump.stdout.contains("BYD-DE-AWR-01"), "the naming keys are in the state, for spark validate")
        #expect(dump.stdout.contains("CLIENT_BYD_GOOGLE_ADS_2024"))
    }
}
