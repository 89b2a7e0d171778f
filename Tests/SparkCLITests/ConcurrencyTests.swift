import Foundation
import SparkTestSupport
import SparkModel
import Testing

/// Real concurrent `spark plan` processes against one project.
@Suite("concurrent plans")
struct ConcurrencyTests {
    static func project(clients: [String]) throws -> URL {
        let dir = try EndToEnd.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        try "# defaults\n".write(to: dir.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        // Large enough that the scans overlap, so both processes reach the lock at about the same time.
        let rows = (1...20_000).map { "2024-03-\(String(format: "%02d", $0 % 28 + 1)),CAMPAIGN_\($0 % 17),\($0 * 3),\($0 % 1000).25" }
        for c in clients {
            let csv = "Date,Campaign name,Impressions,Amount spent (USD)\n" + rows.joined(separator: "\n") + "\n\(c)-only,x,1,1.00\n"
            try csv.write(to: dir.appendingPathComponent("data/\(c).csv"), atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test func twoClientsAtOnceGetDistinctVersionsAndAConsistentProject() async throws {
        for _ in 1...3 {
            let dir = try Self.project(clients: ["byd", "acme"])
            defer { try? FileManager.default.removeItem(at: dir) }
            let runs = try ["byd", "acme"].map {
                try EndToEnd.start(["plan", "--client", $0, "--platform", "meta", "--year", "2024", "--wave", "1", "data/\($0).csv"], cwd: dir)
            }
            var results: [EndToEnd.Result] = []
            for r in runs { results.append(try await r.wait()) }
            for r in results { #expect(r.exit == 0, "a concurrent plan failed: \(r.stderr)") }
            let names = EndToEnd.files(in: dir.appendingPathComponent("migrations")).keys.sorted()
            #expect(names.count == 3, "two migrations and spark.sum, got \(names)")
            #expect(Set(names.compactMap { MigrationName(fileName: $0)?.version }) == [1, 2])
            #expect(!names.contains { $0.hasPrefix(".") }, "no temporary files left behind")
            let verify = try await EndToEnd.run(["verify"], cwd: dir)
            #expect(verify.exit == 0, "spark.sum is consistent: \(verify.stdout)")
            // The state matches migrations/: a rebuild gives the same dump.
            let planned = try await EndToEnd.run(["state", "dump"], cwd: dir).stdout
            _ = try await EndToEnd.run(["state", "rebuild", "--state", "rebuilt.sqlite"], cwd: dir)
            #expect(try await EndToEnd.run(["state", "dump", "--state", "rebuilt.sqlite"], cwd: dir).stdout == planned)
        }
    }

    @Test func theSameWaveTwiceAtOnceIsPlannedOnce() async throws {
        let dir = try Self.project(clients: ["byd"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let args = ["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "1", "data/byd.csv"]
        let runs = try [args, args].map { try EndToEnd.start($0, cwd: dir) }
        var results: [EndToEnd.Result] = []
        for r in runs { results.append(try await r.wait()) }
        #expect(results.map(\.exit) == [0, 0], "\(results.map(\.stderr))")
        #expect(results.filter { $0.stdout.contains("Wrote migrations/V0001__byd_meta_2024_wave1.sql") }.count == 1)
        #expect(results.filter { $0.stdout.contains("already planned in V0001, skipped") }.count == 1)
        #expect(EndToEnd.files(in: dir.appendingPathComponent("migrations")).keys.sorted() == ["V0001__byd_meta_2024_wave1.sql", "spark.sum"])
    }
}
