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

        /// A fresh `spark serve` for the project, so each peak RSS read is its own.
        func startServer() throws -> (Process, String) {
            let port = try freePort()
            let server = Process()
            server.executableURL = URL(fileURLWithPath: spark)
            server.arguments = ["serve", "--project", project.path, "--port", "\(port)", "--max-upload-mb", "\(memoryMb + 64)"]
            server.standardOutput = FileHandle.nullDevice
            try server.run()
            try waitForPort(port, what: "spark serve")
            return (server, "http://127.0.0.1:\(port)/")
        }
        func stop(_ server: Process) {
            server.interrupt()
            server.waitUntilExit()
        }
        func upload(_ file: String, to url: String, expect: String = "200", extra: [String] = []) throws -> Measured {
            let m = try runMeasured(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "X-Spark-Request: 1", "-F", "files=@\(file)",
                                     "-F", "client=bench", "-F", "platform=meta", "-F", "year=2024", "-F", "wave=1"] + extra + [url])
            guard m.status == 0, m.stdout == expect else { throw BenchError("the upload of \(file) to \(url) answered \(m.stdout) (curl exit \(m.status))") }
            return m
        }
        func plan(_ file: String) throws -> Measured {
            let p = try runMeasured([spark, "plan", "--project", project.path, "--dry-run", "--format", "json", "--client", "bench", "--platform", "meta",
                                     "--year", "2024", "--wave", "1", file])
            guard p.status == 0 else { throw BenchError("spark plan --dry-run failed (exit \(p.status))") }
            return p
        }

        // Speed: the same file planned by the CLI and uploaded to the API, alternating.
        let (server, base) = try startServer()
        var planTimes: [Double] = [], serveTimes: [Double] = []
        for i in 1...runs {
            let p = try plan(speedFile)
            planTimes.append(p.seconds)
            serveTimes.append(try upload(speedFile, to: base + "api/plan").seconds)
            print(String(format: "run %d: spark plan --dry-run %.3f s, upload to /api/plan %.3f s", i, p.seconds, serveTimes.last!))
        }
        stop(server)
        let planMedian = median(planTimes), serveMedian = median(serveTimes)
        print(String(format: "%d MiB: spark plan --dry-run median %.3f s; upload-to-plan median %.3f s; ratio %.2f× (bound 1.3×)",
                     speedMb, planMedian, serveMedian, serveMedian / planMedian))

        // Memory: the upload alone (the page's form without its token: the whole body is
        // received, then refused), then the upload and its plan, each on a fresh server; beside
        // them, the CLI planning the same file.
        let (receiving, receivingBase) = try startServer()
        let received = try upload(memoryFile, to: receivingBase + "upload", expect: "403", extra: ["-F", "csrf=bench"])
        let receiveRSS = peakRSSKiB(receiving.processIdentifier)
        stop(receiving)
        let (planning, planningBase) = try startServer()
        let planned = try upload(memoryFile, to: planningBase + "api/plan")
        let planRSS = peakRSSKiB(planning.processIdentifier)
        stop(planning)
        let cli = try plan(memoryFile)
        print(String(format: "%d MiB upload, received and streamed to disk: %.1f s, server peak RSS %.1f MiB (bound 64 MiB)",
                     memoryMb, received.seconds, Double(receiveRSS) / 1024))
        print(String(format: "%d MiB upload and plan: %.1f s, server peak RSS %.1f MiB; spark plan --dry-run of the same file: %.1f s, peak RSS %.1f MiB",
                     memoryMb, planned.seconds, Double(planRSS) / 1024, cli.seconds, Double(cli.peakRSSKiB) / 1024))
    }

    /// The process's peak resident set (VmHWM), in KiB.
    func peakRSSKiB(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }
}
