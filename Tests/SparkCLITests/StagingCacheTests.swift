import Foundation
import Testing

/// The canonical copies apply keeps under `.spark/staging/`: one is reused only for a load it was
/// made for, and only while its bytes are the ones written. On fakesnow, end to end.
@Suite(.serialized) struct StagingCacheTests {
    /// US dates: a DATE column loads them as ISO, a VARCHAR column as written.
    static let dated = "Day,Campaign,Spend\n3/1/2024,A,1.50\n3/2/2024,B,2.25\n"

    func write(_ text: String, _ name: String, in p: ApplyProject) throws {
        try text.write(to: p.root.appendingPathComponent("data/\(name)"), atomically: true, encoding: .utf8)
    }

    func plan(_ args: [String], in p: ApplyProject) throws {
        let r = try CLI.run(["plan", "--no-copy", "--year", "2024", "--platform", "meta"] + args, in: p.root)
        #expect(r.status == 0, "\(r.stderr)")
    }

    func days(_ p: ApplyProject, client: String) async throws -> [String?] {
        try await p.query("""
            SELECT "DAY"::VARCHAR FROM "\(p.database)"."CLIENT_\(client)_META_2024"."PROCESSED_CAMPAIGN_DATA"
            WHERE SPARK_SOURCE_FILE = 'data/dated.csv' ORDER BY "CAMPAIGN"
            """).map { $0[0] }
    }

    /// One file, two clients: a DATE column in one, VARCHAR in the other. Each gets its own copy.
    @Test func theSameFileForTwoClientsLoadsEachClientsValues() async throws {
        let p = try ApplyProject(planExamples: false)
        try write(Self.dated, "dated.csv", in: p)
        try write("Day,Campaign,Spend\nfirst week,C,1.00\n", "weeks.csv", in: p)
        try plan(["--client", "acme", "--wave", "1", "data/dated.csv"], in: p)
        // The second client's Day column is text (its first file says "first week").
        try plan(["--client", "zeta", "--wave", "1", "data/weeks.csv", "data/dated.csv"], in: p)
        let r = try p.apply()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try await days(p, client: "ACME") == ["2024-03-01", "2024-03-02"])
        #expect(try await days(p, client: "ZETA") == ["3/1/2024", "3/2/2024"], "as written, not the other client's ISO dates")
    }

    /// A cached copy changed on disk is not loaded: it is written again from the original.
    @Test func aTamperedCopyIsWrittenAgain() async throws {
        let p = try ApplyProject(planExamples: false)
        try write(Self.dated, "dated.csv", in: p)
        try plan(["--client", "acme", "--wave", "1", "data/dated.csv"], in: p)
        #expect(try p.apply().status == 0)
        let keys = try FileManager.default.contentsOfDirectory(atPath: p.root.appendingPathComponent(".spark/staging").path)
        #expect(keys.count == 1)
        let staging = p.root.appendingPathComponent(".spark/staging/\(keys[0])")
        // Replace the copy with another valid one holding other values.
        let tampered = try #require(try FileManager.default.contentsOfDirectory(atPath: staging.path).first { $0.hasSuffix(".csv.gz") })
        let csv = staging.appendingPathComponent("t.csv")
        let original = try String(contentsOf: staging.appendingPathComponent(tampered + ".sha256"), encoding: .utf8)
        // The history records what was staged: the copy's SHA-256 and its source.
        let line = original.trimmingCharacters(in: .whitespacesAndNewlines) + " data/dated.csv"
        #expect(try await stagedSHA256(p) == [line])
        try "DAY,CAMPAIGN,SPEND\n1999-12-31,A,999.99\n1999-12-30,B,999.99\n".write(to: csv, atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-c", csv.path]
        let out = try FileHandle(forWritingTo: staging.appendingPathComponent(tampered))
        try out.truncate(atOffset: 0)
        gzip.standardOutput = out
        try gzip.run()
        gzip.waitUntilExit()
        try out.close()

        // Drop the schema and plan the same file again: the same load, so the same cached name.
        #expect(try CLI.run(["drop", "--client", "acme", "--platform", "meta", "--year", "2024", "--confirm"], in: p.root).status == 0)
        try plan(["--client", "acme", "--wave", "1", "data/dated.csv"], in: p)
        let r = try p.apply(["--yes"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try await days(p, client: "ACME") == ["2024-03-01", "2024-03-02"], "the file's values, not the tampered copy's")
        #expect(try String(contentsOf: staging.appendingPathComponent(tampered + ".sha256"), encoding: .utf8) == original, "written again, as before")
        #expect(try await stagedSHA256(p) == [line, nil, line], "the wave staged the same bytes again; the drop staged nothing")
    }

    /// `SPARK_HISTORY.STAGED_SHA256` of each migration, in order.
    func stagedSHA256(_ p: ApplyProject) async throws -> [String?] {
        try await p.query("SELECT STAGED_SHA256 FROM \"\(p.database)\".\"SPARK\".\"SPARK_HISTORY\" ORDER BY VERSION").map { $0[0] }
    }

    /// The original changed after planning: its raw PUT is refused, naming the file.
    @Test func aChangedOriginalIsNotSent() async throws {
        let p = try ApplyProject(planExamples: false)
        try write(Self.dated, "dated.csv", in: p)
        try plan(["--client", "acme", "--wave", "1", "data/dated.csv"], in: p)
        // Write the canonical copy first (a dry run does not), then change the original.
        try write(Self.dated + "3/3/2024,C,3.00\n", "dated.csv", in: p)
        let r = try p.apply()
        #expect(r.status == 1)
        #expect(r.stderr.contains("data/dated.csv"), "\(r.stderr)")
        #expect(r.stderr.contains("changed since it was planned"), "\(r.stderr)")
    }
}
