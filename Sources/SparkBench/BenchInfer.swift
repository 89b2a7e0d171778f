import ArgumentParser
import Foundation
import SparkProject

struct BenchInfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "spark infer against DuckDB's full-scan sniff_csv on a generated Meta-style export.",
        discussion: """
            Generates (once) a deterministic Meta-style export: 30 columns, quoted commas and line breaks, \
            UTF-8 BOM. Then alternates `spark infer`, DuckDB's \
            `SELECT * FROM sniff_csv(file, sample_size=-1)` and `openssl dgst -sha256 file` (the floor: \
            spark hashes every byte too), and prints medians and the ratios, plus spark's peak RSS.

            Example (build release first):
              swift build -c release && .build/release/spark-bench infer --size-mb 1024 --runs 3
            """)

    @Option(help: "Size of the generated file in MiB.")
    var sizeMb = 1024

    @Option(help: "Runs of each tool (alternating).")
    var runs = 3

    @Option(help: "Where the generated file is kept.")
    var workDir = ".bench"

    @Option(help: "Python with duckdb installed (scripts/bootstrap makes .venv).")
    var python = ".venv/bin/python"

    @Option(help: "The openssl binary whose `dgst -sha256` is the floor spark is measured against.")
    var openssl = "/usr/bin/openssl"

    func run() throws {
        try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        let file = "\(workDir)/meta_\(sizeMb)mb.csv"
        let target = sizeMb << 20
        let existing = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
        if existing == nil || existing! < target {
            print("generating \(file) (\(sizeMb) MiB)…")
            try MetaExportGenerator.write(to: file, bytes: target)
        }
        let me = try sparkBinary()
        let duckScript = """
            import duckdb, time, sys
            con = duckdb.connect()
            con.execute("SET enable_progress_bar = false")
            t = time.perf_counter()
            con.execute("SELECT * FROM sniff_csv(?, sample_size=-1)", [sys.argv[1]]).fetchall()
            print(time.perf_counter() - t)
            """
        var sparkTimes: [Double] = [], duckTimes: [Double] = [], duckProcess: [Double] = [], shaTimes: [Double] = [], rss: [Int] = []
        for i in 1...runs {
            let s = try runMeasured([me, "infer", "--format", "json", file])
            guard s.status == 0 else { throw BenchError("spark infer failed (exit \(s.status))") }
            sparkTimes.append(s.seconds)
            rss.append(s.peakRSSKiB)
            let d = try runMeasured([python, "-c", duckScript, file])
            let last = d.stdout.split(separator: "\n").last.map(String.init) ?? ""
            guard d.status == 0, let q = Double(last.trimmingCharacters(in: .whitespaces)) else {
                throw BenchError("duckdb run failed (exit \(d.status), output \(last.debugDescription)); run scripts/bootstrap to create .venv")
            }
            duckTimes.append(q)
            duckProcess.append(d.seconds)
            let h = try runMeasured([openssl, "dgst", "-sha256", file])
            guard h.status == 0 else { throw BenchError("\(openssl) dgst -sha256 failed (exit \(h.status))") }
            shaTimes.append(h.seconds)
            print(String(format: "run %d: spark %.2fs (peak RSS %.1f MiB)   duckdb sniff_csv %.2fs (process %.2fs)   openssl dgst -sha256 %.2fs",
                         i, s.seconds, Double(s.peakRSSKiB) / 1024, q, d.seconds, h.seconds))
        }
        let ms = median(sparkTimes), md = median(duckTimes)
        print(String(format: "file: %@ (%d MiB)", file, sizeMb))
        print(String(format: "median spark infer (whole process, scan + types + SHA-256): %.2fs", ms))
        print(String(format: "median duckdb sniff_csv(sample_size=-1) (query only):      %.2fs", md))
        print(String(format: "ratio: spark is %.2fx faster", md / ms))
        // Each run's pair ran back to back, so their ratio is less exposed to a shared machine's
        // slow spells than the ratio of the medians; both are printed, neither replaces the other.
        let paired = zip(duckTimes, sparkTimes).map { $0 / $1 }
        print(String(format: "median of per-run ratios (each duckdb run / the spark run before it): %.2fx", median(paired)))
        let hashed = zip(sparkTimes, shaTimes).map { $0 / $1 }
        print(String(format: "median openssl dgst -sha256 (whole process): %.2fs; spark takes %.2fx its time (median of per-run ratios %.2fx)",
                     median(shaTimes), ms / median(shaTimes), median(hashed)))
        print(String(format: "spark peak RSS: %.1f MiB (max of runs)", Double(rss.max() ?? 0) / 1024))
    }
}

/// Deterministic Meta Ads Manager-shaped export for benchmarks.
enum MetaExportGenerator {
    static let header = [
        "Campaign name", "Ad set name", "Ad name", "Reporting starts", "Reporting ends", "Impressions", "Reach", "Frequency",
        "Amount spent (USD)", "Clicks (all)", "CTR (all)", "CPC (all) (USD)", "CPM (cost per 1,000 impressions) (USD)",
        "Link clicks", "Results", "Result indicator", "Cost per result", "Video plays", "Video plays at 25%",
        "Video plays at 50%", "Video plays at 75%", "Video plays at 100%", "ThruPlays", "Post engagements", "Page likes",
        "Objective", "Delivery status", "Notes", "Ad ID", "Is active",
    ]

    /// SplitMix64: tiny, fast and the same everywhere.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static func write(to path: String, bytes target: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else {
            throw BenchError("cannot write \(path)")
        }
        var buf: [UInt8] = [0xEF, 0xBB, 0xBF]
        buf.reserveCapacity(1 << 21)
        func field(_ s: String) -> String { s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        buf += Array((header.map(field).joined(separator: ",") + "\r\n").utf8)
        var written = 0
        var rng = Random(state: 42)
        var row = 0
        func money(_ r: inout Random, _ max: Int) -> String {
            let cents = r.below(max * 100)
            let c = cents % 100
            return "\(cents / 100).\(c < 10 ? "0" : "")\(c)"
        }
        while written + buf.count < target {
            row += 1
            let day = 1 + row % 28
            let d2 = day < 10 ? "0\(day)" : "\(day)"
            var f: [String] = []
            f.reserveCapacity(30)
            f.append("\"Spring Sale, \(2024 + row % 2) – Wave \(1 + row % 5)\"")
            f.append("Adset \(row % 300)")
            f.append("Ad \(row % 1000) \"\"hero\"\"".contains("\"") ? "\"Ad \(row % 1000) \"\"hero\"\"\"" : "")
            f.append("2024-03-\(d2)")
            f.append("2024-04-\(d2)")
            f.append("\(rng.below(1_000_000))")
            f.append("\(rng.below(100_000))")
            f.append("\(rng.below(5)).\(1000 + rng.below(9000))")
            f.append(money(&rng, 5000))
            f.append("\(rng.below(5000))")
            f.append("0.\(100000 + rng.below(900000))")
            f.append(money(&rng, 20))
            f.append(money(&rng, 50))
            f.append("\(rng.below(3000))")
            f.append(row % 7 == 0 ? "" : "\(rng.below(300))")
            f.append("actions:link_click")
            f.append(row % 7 == 0 ? "" : money(&rng, 10))
            for _ in 0..<7 { f.append("\(rng.below(10_000))") }
            f.append("\(rng.below(100))")
            f.append(row % 3 == 0 ? "CONVERSIONS" : "LINK_CLICKS")
            f.append(row % 11 == 0 ? "inactive" : "active")
            f.append(row % 10 == 0 ? "\"Paused on \(d2)/03, budget moved\nto wave \(1 + row % 5); see \"\"brief\"\"\"" : "")
            f.append("\(23_800_000_000_000_000 + row)")
            f.append(row % 2 == 0 ? "true" : "false")
            buf += Array(f.joined(separator: ",").utf8)
            buf += [0x0D, 0x0A]
            if buf.count >= 1 << 20 {
                try out.write(contentsOf: buf)
                written += buf.count
                buf.removeAll(keepingCapacity: true)
            }
        }
        try out.write(contentsOf: buf)
        try out.close()
    }
}
