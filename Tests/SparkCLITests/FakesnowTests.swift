import Foundation
import SparkTestSupport
import SparkModel
import Testing

/// Runs spark's migrations against a real fakesnow server (started by scripts/test), statement
/// by statement as `spark apply` will, and compares the resulting columns with state.sqlite.
/// PUT and COPY need the canonical files `spark apply` writes, so they are left to its tests.
@Suite("migrations on fakesnow")
struct FakesnowTests {
    static let runner = """
        import json, sys, logging
        logging.disable(logging.CRITICAL)
        import snowflake.connector
        req = json.load(sys.stdin)
        con = snowflake.connector.connect(
            account="spark", user="spark", password="spark", host="127.0.0.1", port=req["port"], protocol="http",
            session_parameters={"nop_regexes": ["^GRANT .*", "^REVOKE .*", "^(CREATE|DROP) ROLE.*", "^ALTER SESSION.*"]})
        cur = con.cursor()
        errors = []
        for s in req["statements"]:
            try:
                cur.execute(s)
            except Exception as e:
                errors.append({"statement": s[:200], "error": str(e)[:300]})
        cur.execute("SELECT column_name, data_type, numeric_precision, numeric_scale FROM " + req["database"] +
                    ".information_schema.columns WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                    (req["schema"], "PROCESSED_CAMPAIGN_DATA"))
        cols = [[r[0], r[1], r[2], r[3]] for r in cur.fetchall()]
        cur.execute("SELECT COUNT(*) FROM " + req["database"] + "." + req["schema"] + ".PROCESSING_LOG")
        json.dump({"errors": errors, "columns": cols, "log_rows": cur.fetchone()[0]}, sys.stdout)
        """

    struct Outcome: Decodable {
        struct Failure: Decodable { var statement: String; var error: String }
        var errors: [Failure]
        var columns: [[JSONValue]]
        var log_rows: Int
    }

    enum JSONValue: Decodable, Equatable {
        case string(String), int(Int), null
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null } else if let i = try? c.decode(Int.self) { self = .int(i) } else { self = .string(try c.decode(String.self)) }
        }
    }

    @Test func plannedWavesRunAndLeaveTheColumnsTheStateRecords() async throws {
        guard let python = ProcessInfo.processInfo.environment["SPARK_TEST_PYTHON"],
              let port = ProcessInfo.processInfo.environment["SPARK_TEST_FAKESNOW_PORT"].flatMap(Int.init) else {
            Issue.record("SPARK_TEST_PYTHON and SPARK_TEST_FAKESNOW_PORT are not set: run the tests with scripts/test")
            return
        }
        let dir = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = "SPARK_TEST_" + UUID().uuidString.prefix(8).uppercased()
        try "database = \"\(database)\"\n".write(to: dir.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        let golden = EndToEnd.packageRoot.appendingPathComponent("Tests/Golden/plan")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        for (from, to) in [("money_gains_decimals_rewrite/project/data/byd_meta_2024_wave1.csv", "w1.csv"), ("reordered_wave/project/data/byd_meta_2024_wave2.csv", "w2.csv"),
                           ("money_gains_decimals_rewrite/project/data/byd_meta_2024_wave2.csv", "w3.csv")] {
            try FileManager.default.copyItem(at: golden.appendingPathComponent(from), to: dir.appendingPathComponent("data/\(to)"))
        }
        for wave in 1...3 {
            let r = try await EndToEnd.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "\(wave)", "--allow-rewrite", "data/w\(wave).csv"], cwd: dir)
            #expect(r.exit == 0, "\(r.stderr)")
        }
        var statements: [String] = []
        for (name, data) in EndToEnd.files(in: dir.appendingPathComponent("migrations")).sorted(by: { $0.key < $1.key }) where name.hasSuffix(".sql") {
            statements += try MigrationFile.statements(in: String(decoding: data, as: UTF8.self), file: name).map(\.sql)
                .filter { !$0.hasPrefix("PUT ") && !$0.hasPrefix("COPY ") }
        }
        let request: [String: Any] = ["port": port, "statements": statements, "database": database, "schema": "CLIENT_BYD_META_2024"]
        let body = try JSONSerialization.data(withJSONObject: request)
        let (status, data) = try await offPool { () throws -> (Int32, Data) in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: python)
            p.arguments = ["-c", Self.runner]
            let input = Pipe(), output = Pipe()
            p.standardInput = input
            p.standardOutput = output
            try p.run()
            input.fileHandleForWriting.write(body)
            try input.fileHandleForWriting.close()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, data)
        }
        #expect(status == 0)
        let outcome = try JSONDecoder().decode(Outcome.self, from: data)
        #expect(outcome.errors.isEmpty, "fakesnow rejected: \(outcome.errors.map { "\($0.statement) → \($0.error)" })")
        #expect(outcome.log_rows == 3, "one PROCESSING_LOG row per file")

        // The state's columns, in position order, as `spark state dump` prints them.
        let dump = try await EndToEnd.run(["state", "dump"], cwd: dir).stdout
        let stateColumns: [(String, String)] = dump.split(separator: "\n")
            .filter { $0.contains("table_name=\"PROCESSED_CAMPAIGN_DATA\"") && $0.contains("| position=") }
            .map { line in
                func field(_ key: String) -> String {
                    let part = line.components(separatedBy: " | ").first { $0.hasPrefix(key + "=") }!
                    return String(part.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
                return (field("position"), field("name") + " " + field("type"))
            }
            .sorted { Int($0.0)! < Int($1.0)! }
        let live: [String] = outcome.columns.map { c in
            guard case let .string(name) = c[0], case let .string(type) = c[1] else { return "?" }
            switch (type, c[2], c[3]) {
            case let ("NUMBER", .int(p), .int(s)): return "\(name) NUMBER(\(p),\(s))"
            case ("TEXT", _, _): return "\(name) VARCHAR"
            default: return "\(name) \(type)"
            }
        }
        // fakesnow reports VARCHAR(n) as TEXT, so lengths are compared as VARCHAR.
        let expected = stateColumns.map { $0.1.replacingOccurrences(of: "VARCHAR(64)", with: "VARCHAR") }
        #expect(live == expected)
        #expect(live.count == 12)
        #expect(live.last == "AMOUNT_SPENT_USD NUMBER(38,2)", "the rewritten column ends last, with its new scale")
    }
}
