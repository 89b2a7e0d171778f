import ArgumentParser
import Foundation
import SparkProject
import SparkInfer
import SparkPlan
import SparkState

/// `spark-bench validate`: the naming-key gate of `spark plan` on a large wave.
struct BenchValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Time checking a wave's naming keys against NAMING_KEYS (1 M rows against 100 k keys).",
        discussion: """
            Generates (once) a campaign file of --rows rows whose naming keys are drawn from --keys \
            keys, and a state.sqlite whose NAMING_KEYS holds those keys. Then times what the \
            naming-key gate of `spark plan` (and `spark validate`) adds to a plan: loading the \
            schema's keys from state.sqlite and the check's read of the file. The scan inference \
            does anyway is timed apart. Prints medians.

            Example (build release first):
              swift build -c release && .build/release/spark-bench validate --rows 1000000 --keys 100000 --runs 5
            """)

    @Option(help: "Rows in the campaign file.") var rows = 1_000_000
    @Option(help: "Distinct naming keys in NAMING_KEYS.") var keys = 100_000
    @Option(help: "Timed runs.") var runs = 5
    @Option(help: "Where the generated files are kept.") var workDir = ".bench"

    func run() throws {
        let root = URL(fileURLWithPath: workDir).appendingPathComponent("validate-\(rows)x\(keys)").standardizedFileURL
        let csv = root.appendingPathComponent("wave.csv")
        let statePath = root.appendingPathComponent("state.sqlite").path
        if !FileManager.default.fileExists(atPath: statePath) {
            print("generating \(root.path) (\(rows) rows, \(keys) keys)…")
            try generate(root, csv: csv, statePath: statePath)
        }
        let settings = PlanSettings()
        var scan: [Double] = [], load: [Double] = [], check: [Double] = [], total: [Double] = []
        var unmatched = 0
        for _ in 1...runs {
            var t = DispatchTime.now().uptimeNanoseconds
            func lap() -> Double {
                let now = DispatchTime.now().uptimeNanoseconds
                defer { t = now }
                return Double(now - t) / 1e6
            }
            let profile = try Inferrer.profile(path: csv.path)
            scan.append(lap())
            let known = try StateStore(path: statePath).read { db in
                try db.namingKeys(database: PlanSettings.defaultDatabase, schema: "CLIENT_BENCH_META_2024")
            }
            load.append(lap())
            let result = try NamingKeys.check(path: csv.path, profile: profile, settings: settings, known: known, keep: 20)
            check.append(lap())
            total.append(load.last! + check.last!)
            unmatched = result.unmatched
        }
        print(String(format: "%d rows, %d naming keys in NAMING_KEYS, %d rows unmatched; %d runs", rows, keys, unmatched, runs))
        print(String(format: "  inference scan (plan does it anyway)  median %8.1f ms", median(scan)))
        print(String(format: "  load NAMING_KEYS from state.sqlite     median %8.1f ms", median(load)))
        print(String(format: "  check every row's naming key           median %8.1f ms", median(check)))
        print(String(format: "median time the naming-key gate adds: %.1f ms (bound: 2000 ms; %.2fx of it)", median(total), median(total) / 2000))
    }

    /// The file (one key in 1,000 missing from NAMING_KEYS) and a state holding the keys.
    func generate(_ root: URL, csv: URL, statePath: String) throws {
        try? FileManager.default.removeItem(at: root)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        func key(_ i: Int) -> String { "BYD-\(["DE", "FR", "NL", "IT"][i % 4])-\(String(format: "%06d", i))" }
        var rng = UInt64(0x5EED)
        var out = Data("Day,Naming key,Campaign,Impressions,Spend\n".utf8)
        out.reserveCapacity(rows * 60)
        for r in 0..<rows {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            let k = Int(rng >> 33) % keys
            let name = r % 1000 == 999 ? "BYD-XX-UNKNOWN" : key(k)
            out.append(contentsOf: "2024-03-\(String(format: "%02d", r % 28 + 1)),\(name),Campaign \(k % 500),\(r % 90_000 + 100),\(r % 1000).25\n".utf8)
        }
        try out.write(to: csv)
        let store = try StateStore(path: statePath)
        try store.addNamingKeys(database: PlanSettings.defaultDatabase, schema: "CLIENT_BENCH_META_2024", (0..<keys).lazy.map(key))
    }
}
