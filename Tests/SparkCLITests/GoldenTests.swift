import Foundation
import SparkTestSupport
import SparkModel
import Testing

/// sqlc-style golden cases in `Tests/Golden/plan/<case>/`:
///
/// - `project/`: the starting project (wave CSVs under `data/`, optional `templates/`, `spark.toml`);
/// - `case.json`: what the case is `about`, the `setup` commands that make the starting state,
///   and the `command` that is checked, each an array of `spark`'s arguments;
/// - `expected/`: `migrations/` after the last command, and its `stdout.txt`, `stderr.txt` and `exit`.
///
/// `SPARK_RECORD=1` re-records `expected/`. Every case also checks that every statement of every
/// migration parses with sqlglot's Snowflake dialect, that a failing command changes neither
/// files nor state, and that `spark state rebuild` gives the state `spark plan` built.
/// A golden case's `case.json`.
struct GoldenCase: Decodable {
    var about: String?
    var setup: [[String]]
    var command: [String]
}

@Suite("golden plans")
struct GoldenTests {
    static let root = EndToEnd.packageRoot.appendingPathComponent("Tests/Golden/plan")
    static let cases = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
    static let record = ProcessInfo.processInfo.environment["SPARK_RECORD"] == "1"

    @Test func thereAreCases() {
        #expect(Self.cases.count >= 13)
    }

    /// The acceptance checks on top of byte equality.
    @Test func recordedCasesSayWhatTheIssueAsks() async throws {
        func migration(_ name: String, _ file: String) throws -> String {
            try String(contentsOf: Self.root.appendingPathComponent("\(name)/expected/migrations/\(file)"), encoding: .utf8)
        }
        let wave2 = try migration("reordered_wave", "V0002__byd_meta_2024_wave2.sql")
        let body = wave2.components(separatedBy: "-- spark:end\n")[1]
        #expect(body.components(separatedBy: "ADD COLUMN").count - 1 == 2, "exactly two ADD COLUMN")
        #expect(!body.contains("CREATE "), "no schema or table re-creation")
        let rewrite = try migration("money_gains_decimals_rewrite", "V0002__byd_meta_2024_wave2.sql")
        #expect(rewrite.contains("CAST(\"AMOUNT_SPENT_USD\" AS NUMBER(38,2))"))
        #expect(!rewrite.contains("SET DATA TYPE"), "never an in-place scale change")
        let hostile = try migration("hostile_header", "V0001__byd_meta_2024_wave1.sql")
        let statements = try MigrationFile.statements(in: hostile, file: "hostile")
        #expect(!statements.contains { $0.sql.uppercased().hasPrefix("DROP") })
        #expect(statements.count == 25, "the same statements as any first wave: nothing extra")

        // A header alias keeps a renamed export column in its column.
        let aliased = try migration("header_aliases", "V0002__byd_meta_2024_wave2.sql").components(separatedBy: "-- spark:end\n")[1]
        #expect(aliased.components(separatedBy: "ADD COLUMN").count - 1 == 1, "only REACH is new")
        #expect(aliased.contains("ADD COLUMN IF NOT EXISTS \"REACH\""))
        #expect(aliased.contains("\"AMOUNT_SPENT_USD\""), "the renamed header loads into the existing column")
        #expect(aliased.contains("data/byd/meta/2024/byd_meta_2024_wave2.csv"), "the migration loads the standardized copy")

        // spark validate names the line of a naming key missing from NAMING_KEYS, and of a value that does not fit.
        func expected(_ name: String, _ file: String) throws -> String {
            try String(contentsOf: Self.root.appendingPathComponent("\(name)/expected/\(file)"), encoding: .utf8)
        }
        let validate = try expected("validate_missing_naming_key", "stdout.txt")
        #expect(validate.contains("data/w2.csv:3: NAMING_KEY \"BYD-SEAL-Q2\" is not a naming key in NAMING_KEYS"))
        #expect(validate.contains("data/w2.csv:4: AMOUNT_SPENT_USD \"199.125\" has 3 decimals"))
        #expect(validate.contains("data/w2.csv:5: NAMING_KEY is empty"), "an empty naming key is a problem too")
        #expect(try expected("validate_missing_naming_key", "exit") == "1\n")
        #expect(try expected("different_file_same_name", "stderr.txt").contains("data/byd/meta/2024/byd_meta_2024_wave1.csv:1: already holds a different file"))

        // Locale exports: the decimal mark, summary rows and rejects travel in the load's header.
        let comma = try migration("locale_decimal_comma", "V0001__acme_meta_2024_wave1.sql")
        #expect(comma.contains("\"dialect\":{\"decimalSeparator\":\",\""))
        #expect(comma.contains("\"dateFormat\":\"DD.MM.YYYY\""))
        let summary = try migration("summary_rows_left_out", "V0001__acme_google_ads_2024_wave1.sql")
        #expect(summary.contains("\"summaryRows\":[{\"label\":\"Total: Account\",\"line\":97}"))
        #expect(summary.contains("'LOADED', 3, 0, 0\n"), "the log counts the three rows left out")
        let rejects = try migration("bad_rows_reject", "V0001__acme_meta_2024_wave1.sql")
        #expect(rejects.contains("PUT 'file://data/acme/meta/2024/acme_meta_2024_wave1.rejects.csv' @"))
        #expect(rejects.contains("\"rows\":3,") && rejects.contains("'LOADED', 0, 7, 0\n"))
        // The naming-key gate: unknown and empty keys refused by line, or planned and counted.
        let refusedKeys = try expected("unknown_keys_refused", "stderr.txt")
        #expect(refusedKeys.contains("data/w2.csv:3: NAMING_KEY \"BYD-SEAL-Q2\" is not a naming key in NAMING_KEYS"))
        #expect(refusedKeys.contains("data/w2.csv:5: NAMING_KEY is empty") && refusedKeys.contains("data/w2.csv:6: NAMING_KEY is empty"))
        #expect(refusedKeys.contains("data/w2.csv: 4 of 6 rows have an empty naming key or one NAMING_KEYS does not hold"))
        #expect(try expected("no_keys_yet_refused", "stderr.txt").contains("NAMING_KEYS has no naming keys yet"))
        let allowed = try migration("unknown_keys_allowed", "V0003__byd_meta_2024_wave2.sql")
        #expect(allowed.contains("\"keysUnmatched\":4"))
        #expect(allowed.contains("'LOADED', 0, 0, 4\n"), "PROCESSING_LOG's KEYS_UNMATCHED")

        // Identities: a typo'd platform, one schema for two clients, an unknown setting, no project.
        #expect(try expected("unknown_platform_refused", "stderr.txt").contains("did you mean tiktok?"))
        #expect(try expected("schema_taken_refused", "stderr.txt").contains("schema CLIENT_ACME_GOOGLE_ADS_2024 belongs to client \"acme\" on platform google_ads"))
        #expect(try expected("client_name_lossy_refused", "stderr.txt").contains("belongs to client \"a.b\""))
        #expect(try expected("client_name_lossy", "stdout.txt").contains("note: client \"a.b\" is A_B in schema and role names"))
        #expect(try expected("unknown_setting_refused", "stderr.txt").hasPrefix("spark.toml:2: unknown setting `null_marker`"))
        #expect(try expected("no_project_refused", "stderr.txt").contains("not a spark project"))
        for refused in ["decimal_ambiguous_refused", "bad_rows_refused", "damaged_header_refused", "stray_quote_refused", "bad_setting_refused",
                        "no_keys_yet_refused", "unknown_platform_refused", "unknown_setting_refused", "no_project_refused"] {
            #expect(try expected(refused, "exit") == "1\n", "\(refused)")
            #expect(!FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("\(refused)/expected/migrations/spark.sum").path), "\(refused) wrote nothing")
        }
        // Refused after earlier plans: the harness checks that files and state are as before.
        for refused in ["unknown_keys_refused", "schema_taken_refused", "client_name_lossy_refused"] {
            #expect(try expected(refused, "exit") == "1\n", "\(refused)")
        }
    }

    @Test(arguments: cases)
    func golden(_ name: String) async throws {
        let dir = Self.root.appendingPathComponent(name)
        let project = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: project) }
        for (rel, data) in EndToEnd.files(in: dir.appendingPathComponent("project")) {
            let url = project.appendingPathComponent(rel)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        let spec = try JSONDecoder().decode(GoldenCase.self, from: Data(contentsOf: dir.appendingPathComponent("case.json")))
        let setup = spec.setup
        let checked = spec.command
        for args in setup {
            let r = try await EndToEnd.run(args, cwd: project)
            #expect(r.exit == 0 || r.exit == 2, "\(name): setup `spark \(args.joined(separator: " "))` failed:\n\(r.stderr)")
        }
        let migrationsBefore = EndToEnd.files(in: project.appendingPathComponent("migrations"))
        let projectBefore = EndToEnd.files(in: project).filter { !$0.key.hasPrefix("state.sqlite") }
        let dumpBefore = try await dump(project)

        let r = try await EndToEnd.run(checked, cwd: project)
        let migrations = EndToEnd.files(in: project.appendingPathComponent("migrations"))
        let expected = dir.appendingPathComponent("expected")
        let scrub = { (s: String) in s.replacingOccurrences(of: project.path, with: "$PROJECT") }
        if Self.record {
            try? FileManager.default.removeItem(at: expected)
            try FileManager.default.createDirectory(at: expected.appendingPathComponent("migrations"), withIntermediateDirectories: true)
            for (rel, data) in migrations { try data.write(to: expected.appendingPathComponent("migrations").appendingPathComponent(rel)) }
            try scrub(r.stdout).write(to: expected.appendingPathComponent("stdout.txt"), atomically: true, encoding: .utf8)
            try scrub(r.stderr).write(to: expected.appendingPathComponent("stderr.txt"), atomically: true, encoding: .utf8)
            try "\(r.exit)\n".write(to: expected.appendingPathComponent("exit"), atomically: true, encoding: .utf8)
        } else {
            let want = EndToEnd.files(in: expected.appendingPathComponent("migrations"))
            #expect(migrations.keys.sorted() == want.keys.sorted(), "\(name): migration files differ")
            for (file, data) in want.sorted(by: { $0.key < $1.key }) {
                let got = migrations[file].map { String(decoding: $0, as: UTF8.self) } ?? "<missing>"
                #expect(got == String(decoding: data, as: UTF8.self), "\(name): migrations/\(file) differs (SPARK_RECORD=1 re-records)")
            }
            #expect(scrub(r.stdout) == (try String(contentsOf: expected.appendingPathComponent("stdout.txt"), encoding: .utf8)), "\(name): stdout differs")
            #expect(scrub(r.stderr) == (try String(contentsOf: expected.appendingPathComponent("stderr.txt"), encoding: .utf8)), "\(name): stderr differs")
            #expect("\(r.exit)\n" == (try String(contentsOf: expected.appendingPathComponent("exit"), encoding: .utf8)), "\(name): exit code differs")
        }

        if r.exit == 1 {
            #expect(migrations == migrationsBefore, "\(name): a failed plan must leave no file behind")
            #expect(EndToEnd.files(in: project).filter { !$0.key.hasPrefix("state.sqlite") } == projectBefore,
                    "\(name): a failed command must leave no file behind, data/ copies included")
            #expect(try await dump(project) == dumpBefore, "\(name): a failed plan must not change the state")
        }
        for (file, data) in migrations.sorted(by: { $0.key < $1.key }) where file.hasSuffix(".sql") {
            let text = String(decoding: data, as: UTF8.self)
            let statements = try MigrationFile.statements(in: text, file: file)
            try await SQLGlot.expectValid(statements.map(\.sql), whole: text, file: "\(name)/\(file)")
        }
        try await expectRebuildEqualsPlanned(project, name)
    }

    func dump(_ project: URL) async throws -> String? {
        guard FileManager.default.fileExists(atPath: project.appendingPathComponent("state.sqlite").path) else { return nil }
        let r = try await EndToEnd.run(["state", "dump"], cwd: project)
        #expect(r.exit == 0, "spark state dump failed: \(r.stderr)")
        return r.stdout
    }

    /// State A (built by the plans) and state B (rebuilt from migrations/) have equal canonical dumps.
    func expectRebuildEqualsPlanned(_ project: URL, _ name: String) async throws {
        guard let planned = try await dump(project) else { return }
        let rebuild = try await EndToEnd.run(["state", "rebuild", "--state", "rebuilt.sqlite"], cwd: project)
        #expect(rebuild.exit == 0, "\(name): rebuild failed: \(rebuild.stderr)")
        let rebuilt = try await EndToEnd.run(["state", "dump", "--state", "rebuilt.sqlite"], cwd: project)
        #expect(rebuilt.stdout == planned, "\(name): the rebuilt state differs from the planned one")
        #expect(planned.contains("# migrations\n"))
    }
}
