import Crypto
import Foundation
import Testing

/// A scratch project with the Meta examples' naming keys and wave 1 planned.
private struct MetaProject {
    let root: URL

    init(planKeys: Bool = true, toml: String? = nil) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("spark-validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("in"), withIntermediateDirectories: true)
        for name in ["byd_meta_2024_naming_keys.csv", "byd_meta_2024_wave1.csv", "byd_meta_2024_wave2.csv"] {
            try FileManager.default.copyItem(at: CLI.repositoryRoot.appendingPathComponent("examples/\(name)"),
                                             to: root.appendingPathComponent("in/\(name)"))
        }
        try (toml ?? "# defaults\n").write(to: root.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        if planKeys {
            let keys = try plan(["--wave", "1", "--table", "naming-keys", "in/byd_meta_2024_naming_keys.csv"])
            #expect(keys.status == 0, "\(keys.stderr)")
        }
        // Without naming keys, plan's gate needs --allow-unknown-keys.
        let wave1 = try plan(["--wave", "1"] + (planKeys ? [] : ["--allow-unknown-keys"]) + ["in/byd_meta_2024_wave1.csv"])
        #expect(wave1.status == 0, "\(wave1.stderr)")
    }

    func plan(_ args: [String]) throws -> CLI.Result {
        try CLI.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024"] + args, in: root)
    }

    func validate(_ args: [String]) throws -> CLI.Result {
        try CLI.run(["validate", "--client", "byd", "--platform", "meta", "--year", "2024"] + args, in: root)
    }

    /// Wave 2 of the examples with `edit` applied to its data lines (0-based, after the header).
    func wave2(_ name: String, edit: (Int, String) -> String) throws -> String {
        // Split on LF bytes: Swift's String would keep a CRLF together as one Character.
        let bytes = try #require(FileManager.default.contents(atPath: root.appendingPathComponent("in/byd_meta_2024_wave2.csv").path))
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        for i in 1..<lines.count where !lines[i].isEmpty { lines[i] = edit(i - 1, lines[i]) }
        try Data(lines.joined(separator: "\n").utf8).write(to: root.appendingPathComponent(name))
        return name
    }

    /// Every file of the project except the input folder, with its SHA-256: what must not change.
    func snapshot() throws -> [String: String] {
        var out: [String: String] = [:]
        let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        for case let url as URL in e where !url.hasDirectoryPath {
            let rel = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            guard !rel.hasPrefix("in/"), let data = FileManager.default.contents(atPath: url.path) else { continue }
            out[rel] = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        }
        return out
    }
}

private func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite struct ValidateCLITests {
    @Test func aCleanWaveFitsAndNothingIsWritten() throws {
        let p = try MetaProject()
        let before = try p.snapshot()
        let r = try p.validate(["--format", "json", "in/byd_meta_2024_wave2.csv"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let report = try json(r.stdout)
        #expect(report["problems"] as? Int == 0)
        let file = try #require((report["files"] as? [[String: Any]])?.first)
        #expect(file["naming_key_check"] as? String == "passed")
        #expect(file["rows"] as? Int == 100)
        #expect((file["new_columns"] as? [String])?.contains("VIDEO_PLAYS_AT_25_PCT") == true, "new columns are reported, not refused")
        #expect(try p.snapshot() == before, "validate writes nothing: no migration, no state change")
    }

    @Test func aMissingNamingKeyIsNamedByLineAndTheRestAreCounted() throws {
        let p = try MetaProject()
        // Lines 2, 4, 6, 8 and 10 (data rows 0, 2, 4, 6, 8) get a key NAMING_KEYS does not have.
        let bad = try p.wave2("bad.csv") { i, line in
            i % 2 == 0 && i < 10 ? line.replacingOccurrences(of: ",BYD-", with: ",ZZZ-") : line
        }
        let before = try p.snapshot()
        let r = try p.validate(["--max-errors", "2", bad])
        #expect(r.status == 1)
        #expect(r.stdout.contains("bad.csv:2: NAMING_KEY \"ZZZ-"), "\(r.stdout)")
        #expect(r.stdout.contains("bad.csv:4: NAMING_KEY \"ZZZ-"))
        #expect(!r.stdout.contains("bad.csv:6:"), "only --max-errors problems are shown")
        #expect(r.stdout.contains("… and 3 more"))
        #expect(r.stdout.contains("naming keys: failed: 5 rows with empty or unknown keys"))
        #expect(try p.snapshot() == before)

        let j = try json(try p.validate(["--format", "json", bad]).stdout)
        #expect(j["problems"] as? Int == 5)
    }

    @Test func aValueThatDoesNotFitItsColumnIsNamedByLine() throws {
        let p = try MetaProject()
        // Amount spent (EUR) is NUMBER(38,2); a third decimal on data row 3 (line 5) cannot load.
        let bad = try p.wave2("money.csv") { i, line in
            guard i == 3 else { return line }
            var fields = line.components(separatedBy: ",")
            let spend = fields.firstIndex { $0.range(of: #"^\d+\.\d\d$"#, options: .regularExpression) != nil }!
            fields[spend] += "5"
            return fields.joined(separator: ",")
        }
        let r = try p.validate([bad])
        #expect(r.status == 1)
        #expect(r.stdout.contains("money.csv:5: AMOUNT_SPENT_EUR"), "\(r.stdout)")
        #expect(r.stdout.contains("has 3 decimals but the column holds 2"))
    }

    @Test func withoutNamingKeysTheCheckFailsWithWhatToDo() throws {
        let p = try MetaProject(planKeys: false)
        let r = try p.validate(["in/byd_meta_2024_wave2.csv"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("NAMING_KEYS has no keys yet; plan the naming-keys file first"), "\(r.stdout)")
    }

    @Test func unreadableInputNamesFileAndLine() throws {
        let p = try MetaProject()
        try "a,b\n1,\"open\n2,3\n".write(to: p.root.appendingPathComponent("broken.csv"), atomically: true, encoding: .utf8)
        let r = try p.validate(["broken.csv"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("broken.csv:2"), "\(r.stderr)")
    }
}

@Suite struct PlanCopiesAndSettingsTests {
    @Test func planCopiesToAStandardNameAndNoCopyKeepsThePath() throws {
        let p = try MetaProject()
        let copy = p.root.appendingPathComponent("data/byd/meta/2024/byd_meta_2024_wave1.csv")
        #expect(FileManager.default.contents(atPath: copy.path) == FileManager.default.contents(atPath: p.root.appendingPathComponent("in/byd_meta_2024_wave1.csv").path))
        #expect(FileManager.default.fileExists(atPath: p.root.appendingPathComponent("data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv").path))
        let migration = try String(contentsOf: p.root.appendingPathComponent("migrations/V0002__byd_meta_2024_wave1.sql"), encoding: .utf8)
        #expect(migration.contains("\"path\":\"data/byd/meta/2024/byd_meta_2024_wave1.csv\""))

        let r = try p.plan(["--wave", "2", "--no-copy", "in/byd_meta_2024_wave2.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: p.root.appendingPathComponent("data/byd/meta/2024/byd_meta_2024_wave2.csv").path))
        let wave2 = try String(contentsOf: p.root.appendingPathComponent("migrations/V0003__byd_meta_2024_wave2.sql"), encoding: .utf8)
        #expect(wave2.contains("\"path\":\"in/byd_meta_2024_wave2.csv\""))
    }

    @Test func nullMarkersFromSparkToml() throws {
        let p = try MetaProject(planKeys: false, toml: "null_markers = [\"n.v.\"]\n")
        try "Date,Clicks\n2024-01-01,n.v.\n2024-01-02,12\n".write(to: p.root.appendingPathComponent("nv.csv"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["plan", "--client", "acme", "--platform", "meta", "--year", "2024", "--wave", "1", "--dry-run", "--format", "json", "nv.csv"], in: p.root)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"NUMBER(38,0)\""), "n.v. is NULL, so Clicks is a number: \(r.stdout)")
        #expect(r.stdout.contains("\"n.v.\""), "the load records the markers, so apply reads the file the same way")
    }

    @Test func badSettingsNameSparkTomlAndAliasCollisionsAreRefused() throws {
        let p = try MetaProject(planKeys: false)
        try "null_markers = \"--\"\n".write(to: p.root.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        let r = try p.validate(["in/byd_meta_2024_wave2.csv"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("spark.toml:1: `null_markers` must be a list of strings"), "\(r.stderr)")

        try "[header_aliases]\n\"Reach\" = \"IMPRESSIONS\"\n".write(to: p.root.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        let before = try p.snapshot()
        let plan = try p.plan(["--wave", "2", "in/byd_meta_2024_wave2.csv"])
        #expect(plan.status == 1)
        #expect(plan.stderr.contains("would both load into IMPRESSIONS"), "\(plan.stderr)")
        #expect(try p.snapshot() == before, "nothing written")
    }
}
