import Foundation
import Testing

/// The `spark` binary and the in-process command line (``SparkCLI``, which most tests call)
/// must be the same program: each command that runs in-process is run here as the binary too,
/// on a twin project, and both must print the same, exit the same and write the same files.
/// The commands that talk to Snowflake always run as the binary (see ``CLI``).
@Suite struct BinaryTests {
    @Test func theBinaryAndTheInProcessRunAgreeOnEveryCommand() throws {
        let binary = try PlannedProject(plan: false)
        let inProcess = try PlannedProject(plan: false)
        let file = "data/byd_meta_2024_wave1.csv"
        let schema = PlannedProject.schemaArgs
        let runs: [[String]] = [
            ["--version"],
            ["plan", "--help"],
            ["plan", "--no-such-flag"],
            ["infer", file],
            ["infer", "--format", "json", file],
            ["preview", "--rows", "3", file],
            ["validate"] + schema + [file],
            ["plan"] + schema + ["--wave", "1", file],
            ["plan", "--format", "json"] + schema + ["--wave", "1", file],
            ["plan"] + schema + ["--wave", "1", "--allow-unknown-keys", file],
            ["plan", "--dry-run"] + schema + ["--wave", "2", file],
            ["verify"],
            ["files"],
            ["files", "--format", "json"],
            ["verify", "--format", "json"],
            ["state", "dump"],
            ["state", "rebuild"],
            ["grant"] + schema + ["--user", "jane.doe@agency.com"],
            ["grant", "--format", "json"] + schema + ["--user", "jane.doe@agency.com"],
            ["revoke"] + schema + ["--user", "jane.doe@agency.com"],
            ["revoke"] + schema + ["--user", "nobody"],
            ["drop"] + schema,
            ["discard", "--dry-run"],
            ["discard"],
            ["validate", "--format", "json"] + schema + ["data/missing.csv"],
            ["init", "--help"],
        ]
        var compared = 0
        for args in runs {
            let b = try CLI.runBinary(args, in: binary.root)
            let i = try CLI.run(args, in: inProcess.root)
            func normalized(_ text: String, _ root: URL) -> String {
                text.replacingOccurrences(of: root.standardizedFileURL.path, with: "<project>")
                    .replacingOccurrences(of: root.path, with: "<project>")
            }
            #expect(b.status == i.status, "\(args): exit \(b.status) as the binary, \(i.status) in-process")
            #expect(normalized(b.stdout, binary.root) == normalized(i.stdout, inProcess.root), "\(args): stdout differs")
            #expect(normalized(b.stderr, binary.root) == normalized(i.stderr, inProcess.root), "\(args): stderr differs")
            compared += 1
        }
        #expect(compared == runs.count)
        // What they wrote: the migrations, spark.sum and the data copies, byte for byte, and
        // spark.toml but for the project_id each first plan draws at random.
        let written = { (p: PlannedProject) in
            p.snapshot().filter { !$0.key.hasSuffix("state.sqlite") }.mapValues { data in
                Data(String(decoding: data, as: UTF8.self).replacing(/project_id = "[^"]+"/, with: "project_id = …").utf8)
            }
        }
        #expect(written(binary) == written(inProcess))
        #expect(String(decoding: written(binary)["/spark.toml"] ?? Data(), as: UTF8.self).contains("project_id = …"))
        #expect(written(binary).keys.contains { $0.hasPrefix("/migrations/V0002__grant_") }, "the sequence wrote a grant migration")
    }
}
