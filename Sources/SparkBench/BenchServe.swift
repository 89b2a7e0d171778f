import ArgumentParser
import Foundation

struct BenchServe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "spark serve's upload-to-plan time against spark plan --dry-run, and its memory on a large upload.",
        discussion: """
            Generates (once) deterministic Meta-style exports. Starts `spark serve` on a free \
            loopback port for a fresh project, then alternates `spark plan --dry-run` on the \
            speed file with an upload of the same file to POST /api/plan through curl (the \
            upload and the plan, as a script sees it), and prints medians and the ratio. Then \
            uploads the memory file once and reads the server's peak RSS (VmHWM).

            Example (build release first):
              swift build -c release && .build/release/spark-bench serve --speed-mb 100 --memory-mb 1024 --runs 5
            """)

    @Option(help: "Size of the export for the speed comparison, in MiB.") var speedMb = 100
    @Option(help: "Size of the export for the memory case, in MiB.") var memoryMb = 1024
    @Option(help: "Runs of each (alternating).") var runs = 5
    @Option(help: "Where the generated files and the project are kept.") var workDir = ".bench"

    func run() throws {
        let spark = try sparkBinary()
        try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        func export(_ mb: Int) throws -> String {
            let file = "\(workDir)/meta_\(mb)mb.csv"
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
            if size == nil || size! < mb << 20 {
                print("generating \(file) (\(mb) MiB)…")
                try MetaExportGenerator.write(to: file, bytes: mb << 20)
            }
            return URL(fileURLWithPath: file).standardizedFileURL.path
        }
        let speedFile = try export(speedMb)
        let memoryFile = try export(memoryMb)
        let project = URL(fileURLWithPath: workDir).appendingPathComponent("serve-project").standardizedFileURL
        try? FileManager.default.removeItem(at: project)
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try "# spark-bench serve\n".write(to: project.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)

        let port = try freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: spark)
        server.arguments = ["serve", "--project", project.path, "--port", "\(port)", "--max-upload-mb", "\(memoryMb + 64)"]
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer {
            server.interrupt()
            server.waitUntilExit()
        }
        try waitForPort(port, what: "spark serve")
        let url = "http://127.0.0.1:\(port)/api/plan"
        func upload(_ file: String) throws -> Measured {
            let m = try runMeasured(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "X-Spark-Request: 1", "-F", "files=@\(file)",
                                     "-F", "client=bench", "-F", "platform=meta", "-F", "year=2024", "-F", "wave=1", url])
            guard m.status == 0, m.stdout == "200" else { throw BenchError("the upload of \(file) answered \(m.stdout) (curl exit \(m.status))") }
            return m
        }
        var planTimes: [Double] = [], serveTimes: [Double] = []
        for i in 1...runs {
            let p = try runMeasured([spark, "plan", "--project", project.path, "--dry-run", "--format", "json", "--client", "bench", "--platform", "meta",
                                     "--year", "2024", "--wave", "1", speedFile])
            guard p.status == 0 else { throw BenchError("spark plan --dry-run failed (exit \(p.status))") }
            planTimes.append(p.seconds)
            serveTimes.append(try upload(speedFile).seconds)
            print(String(format: "run %d: spark plan --dry-run %.3f s, upload to /api/plan %.3f s", i, p.seconds, serveTimes.last!))
        }
        let before = peakRSSKiB(server.processIdentifier)
        let big = try upload(memoryFile)
        let after = peakRSSKiB(server.processIdentifier)
        let plan = median(planTimes), serve = median(serveTimes)
        print(String(format: "%d MiB: spark plan --dry-run median %.3f s; upload-to-plan median %.3f s; ratio %.2f× (bound 1.3×)",
                     speedMb, plan, serve, serve / plan))
        print(String(format: "%d MiB upload: %.1f s; server peak RSS %.1f MiB after the speed runs, %.1f MiB after it (bound 64 MiB)",
                     memoryMb, big.seconds, Double(before) / 1024, Double(after) / 1024))
    }

    /// The process's peak resident set (VmHWM), in KiB.
    func peakRSSKiB(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }
}
