import Foundation
import Testing

/// Under `--format json` every command prints one JSON document on stdout, for success and
/// failure alike, with snake_case keys; a failure is `{"errors": [{"code", "message", …}]}` and
/// exits non-zero.
@Suite struct JsonOutputTests {
    /// Every key in `value`, at any depth.
    static func keys(_ value: Any) -> [String] {
        switch value {
        case let d as [String: Any]: d.keys.map { $0 } + d.values.flatMap(keys)
        case let a as [Any]: a.flatMap(keys)
        default: []
        }
    }

    /// Parses `r.stdout` as one JSON document and checks its keys are snake_case.
    @discardableResult
    static func document(_ r: CLI.Result, _ what: String) throws -> Any {
        let value = try #require(try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)), "\(what): stdout is not JSON: \(r.stdout.prefix(300)) stderr: \(r.stderr.prefix(300))")
        let odd = keys(value).filter { $0.range(of: "^[a-z0-9_]+$", options: .regularExpression) == nil }
        #expect(odd.isEmpty, "\(what): keys not in snake_case: \(Set(odd).sorted())")
        return value
    }

    /// A failure: exit 1, and stdout holds the errors, each with a code and a message.
    static func expectFailure(_ r: CLI.Result, _ what: String, code: String? = nil) throws {
        #expect(r.status == 1, "\(what): exit \(r.status)")
        let doc = try #require(try document(r, what) as? [String: Any], "\(what)")
        let errors = try #require(doc["errors"] as? [[String: Any]], "\(what): no errors array: \(r.stdout)")
        #expect(!errors.isEmpty, "\(what)")
        for e in errors {
            #expect((e["code"] as? String)?.isEmpty == false && (e["message"] as? String)?.isEmpty == false, "\(what): \(e)")
        }
        if let code { #expect(errors.first?["code"] as? String == code, "\(what): \(errors)") }
    }

    @Test func everyCommandFailsWithJSONErrors() throws {
        let p = try PlannedProject()
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("spark-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let noConnection = ["SNOWFLAKE_HOME": outside.path]
        let schema = PlannedProject.schemaArgs
        let json = ["--format", "json"]
        let cases: [(String, [String], URL, String?)] = [
            ("infer", ["infer"] + json + ["missing.csv"], outside, "infer.unreadable"),
            ("preview", ["preview"] + json + ["missing.csv"], outside, nil),
            ("plan outside a project", ["plan", "--client", "a", "--platform", "meta", "--year", "2024", "--wave", "1"] + json + ["x.csv"], outside, "project.error"),
            ("validate outside a project", ["validate", "--client", "a", "--platform", "meta", "--year", "2024"] + json + ["x.csv"], outside, nil),
            ("verify outside a project", ["verify"] + json, outside, "project.error"),
            ("state dump outside a project", ["state", "dump"] + json, outside, nil),
            ("status outside a project", ["status"] + json, outside, nil),
            ("schemas outside a project", ["schemas"] + json, outside, nil),
            ("files outside a project", ["files"] + json, outside, "project.error"),
            ("grant for an unknown schema", ["grant", "--client", "nobody", "--platform", "meta", "--year", "2024", "--user", "jane"] + json, p.root, "grant.refused"),
            ("revoke for an unknown schema", ["revoke", "--client", "nobody", "--platform", "meta", "--year", "2024", "--user", "jane"] + json, p.root, "revoke.refused"),
            ("drop without --confirm", ["drop"] + schema + json, p.root, nil),
            ("apply without a connection", ["apply"] + json, p.root, nil),
            ("connection test without a connection", ["connection", "test"] + json, p.root, nil),
        ]
        for (what, args, dir, code) in cases {
            let r = try CLI.run(args, in: dir, environment: noConnection)
            try Self.expectFailure(r, what, code: code)
        }
    }

    /// A refused plan is one document: the plan with its `!` refusals, and the errors.
    @Test func aRefusedPlanIsOneDocumentWithThePlanAndTheError() throws {
        let p = try PlannedProject(plan: false)
        try "Campaign,Spend\nA,1\n".write(to: p.root.appendingPathComponent("data/w1.csv"), atomically: true, encoding: .utf8)
        try "Campaign,Spend\nA,lots\n".write(to: p.root.appendingPathComponent("data/w2.csv"), atomically: true, encoding: .utf8)
        #expect(try p.run(["plan"] + PlannedProject.schemaArgs + ["--wave", "1", "data/w1.csv"]).status == 0)
        let r = try p.run(["plan"] + PlannedProject.schemaArgs + ["--wave", "2", "--format", "json", "data/w2.csv"])
        try Self.expectFailure(r, "refused plan", code: "plan.refused")
        let doc = try #require(try Self.document(r, "refused plan") as? [String: Any])
        let plan = try #require(doc["plan"] as? [String: Any])
        #expect((plan["refusals"] as? [Any])?.count == 1, "\(r.stdout)")
        #expect(doc["written"] as? Bool == false)
    }

    @Test func successesAreSnakeCaseJSON() throws {
        let p = try PlannedProject()
        let file = "data/byd_meta_2024_wave1.csv"
        for (what, args) in [
            ("infer", ["infer", "--format", "json", file]),
            ("preview", ["preview", "--format", "json", file]),
            ("verify", ["verify", "--format", "json"]),
            ("files", ["files", "--format", "json"]),
            ("schemas", ["schemas", "--format", "json"]),
            ("status", ["status", "--format", "json"]),
            ("state dump", ["state", "dump", "--format", "json"]),
            ("plan --dry-run", ["plan"] + PlannedProject.schemaArgs + ["--wave", "2", "--dry-run", "--allow-duplicate-rows", "--allow-unknown-keys", "--format", "json", "data/export.csv"]),
        ] {
            let r = try p.run(args)
            #expect(r.status == 0, "\(what): \(r.stderr)")
            try Self.document(r, what)
        }
    }
}
