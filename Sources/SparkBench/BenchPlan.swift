import ArgumentParser
import Foundation
import SparkProject
import SparkEmit
import SparkInfer
import SparkModel
import SparkPlan
import SparkState

/// `spark-bench plan`: one wave against a state of many client schemas.
struct BenchPlan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Time planning one wave against a synthetic project of 2,000 client schemas.",
        discussion: """
            Generates (once) a project whose migrations/, spark.sum and state.sqlite hold one first \
            wave per client schema, written by spark's own planner and emitter. Then times, for a \
            later wave of one client, everything `spark plan` does after reading the CSV (its scan, \
            row hashes and naming-key check): verify migrations/ against spark.sum and the state, \
            take the lock, check spark.toml's database against the migrations, load the schema's \
            state, plan, look for rows planned before and load the naming keys, render, record \
            (rolled back so every run sees the same state). Prints the median and a breakdown by step.

            Example (build release first):
              swift build -c release && .build/release/spark-bench plan --schemas 2000 --runs 21
            """)

    @Option(help: "Client schemas in the synthetic state.") var schemas = 2000
    @Option(help: "Data columns per schema.") var columns = 30
    @Option(help: "Timed runs.") var runs = 21
    @Option(help: "Where the generated project is kept.") var workDir = ".bench"

    struct Rollback: Error {}

    func run() throws {
        let root = URL(fileURLWithPath: workDir).appendingPathComponent("plan-\(schemas)x\(columns)").standardizedFileURL
        let project = Project(directory: root.path)
        if !FileManager.default.fileExists(atPath: root.appendingPathComponent("state.sqlite").path) {
            print("generating \(root.path) (\(schemas) schemas × \(columns) columns)…")
            try generate(root, project)
        }
        let toml = root.appendingPathComponent("spark.toml")
        if !FileManager.default.fileExists(atPath: toml.path) { try "# defaults\n".write(to: toml, atomically: true, encoding: .utf8) }
        // The later wave: half the columns reordered, one dropped, two new. Scanned once, outside the timing.
        let csv = root.appendingPathComponent("data/wave2.csv")
        let header = (1..<columns).reversed().map { "Metric \($0)" } + ["New metric A", "New metric B"]
        let rows = (1...50).map { r in header.indices.map { String(r * ($0 + 1)) }.joined(separator: ",") }
        try ([header.joined(separator: ",")] + rows).joined(separator: "\n").appending("\n").write(to: csv, atomically: true, encoding: .utf8)
        let profile = try Inferrer.profile(path: csv.path)
        let client = "client\(schemas / 2)"
        let templates = try project.templates()
        let writer = MigrationWriter(project: project, templates: templates)
        let wave2 = PlanRequest(client: client, platform: "meta", year: 2024, wave: 2, inputs: [PlanInput(profile: profile, path: "data/wave2.csv")])
        let digests = ["data/wave2.csv": try ContentChecks.digests(wave2, sources: [csv.path], nullMarkers: PlanSettings().effectiveNullMarkers)[0]]

        // Every plan after a project's first finds the sum cache warm: warm it as such a plan would,
        // once the files are older than the cache's settle time (a real project's are far older).
        Thread.sleep(forTimeInterval: 2.5)
        let store = try StateStore(path: project.statePath)
        let cold = DispatchTime.now().uptimeNanoseconds
        try store.withExclusiveLock { db in
            let (_, _, cache) = try project.verifiedMigrations(cache: [:])
            try db.saveSumCache(cache)
        }
        let coldMs = Double(DispatchTime.now().uptimeNanoseconds - cold) / 1e6
        var total: [Double] = [], steps: [String: [Double]] = [:]
        var summary = ""
        for _ in 1...runs {
            var t = DispatchTime.now().uptimeNanoseconds
            let start = t
            func lap(_ name: String) {
                let now = DispatchTime.now().uptimeNanoseconds
                steps[name, default: []].append(Double(now - t) / 1e6)
                t = now
            }
            let store = try StateStore(path: project.statePath)
            do {
                try store.withExclusiveLock { db in
                    let (_, sum, cache) = try project.verifiedMigrations(cache: try db.sumCache())
                    lap("verify migrations/ and spark.sum")
                    try db.ensureMatches(migrations: sum.entries.map { ($0.fileName, $0.hash) })
                    try db.saveSumCache(cache)
                    lap("check state against migrations/")
                    try writer.checkDatabase(db)
                    lap("check the database setting")
                    var request = wave2
                    request.inputs[0].fingerprint = digests["data/wave2.csv"]!.fingerprint
                    let target = try request.target()
                    let known = try db.load(database: target.database, schema: target.schema)
                    lap("load known state")
                    let plan = try Planner.plan(request, state: known)
                    lap("plan")
                    try ContentChecks.refuseOverlaps(plan, digests: digests, sources: ["data/wave2.csv": csv.path], db: db)
                    _ = try db.namingKeys(database: target.database, schema: target.schema)
                    lap("rows planned before, naming keys")
                    let m = try Emitter.render(plan.header(version: known.latestVersion + 1), templates: templates)
                    lap("render")
                    var newSum = sum
                    newSum.append(name: m.fileName, contents: Data(m.contents.utf8))
                    try db.record(header: m.header, fileName: m.fileName, checksum: newSum.entries.last!.hash)
                    try ContentChecks.record(plan, digests: digests, db: db)
                    lap("record")
                    summary = PlanText.summary(plan)
                    throw Rollback()
                }
            } catch is Rollback {}
            total.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        print("plan: \(summary)")
        print(String(format: "cold check of migrations/ against spark.sum (every file hashed, as `spark verify` does): %.2f ms", coldMs))
        print(String(format: "state: %d schemas, %d migrations; %d runs", schemas, schemas, runs))
        for name in ["verify migrations/ and spark.sum", "check state against migrations/", "check the database setting", "load known state", "plan",
                     "rows planned before, naming keys", "render", "record"] {
            print(String(format: "  %-36@ median %7.2f ms", name as NSString, median(steps[name] ?? [0])))
        }
        print(String(format: "median planning time, excluding the CSV scan: %.2f ms (min %.2f, max %.2f)",
                     median(total), total.min() ?? 0, total.max() ?? 0))
    }

    /// One first-wave migration per client, written and recorded exactly as `spark plan` would.
    func generate(_ root: URL, _ project: Project) throws {
        try? FileManager.default.removeItem(at: root)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("data"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: project.migrationsDir, withIntermediateDirectories: true)
        let templates = try project.templates()
        let store = try StateStore(path: project.statePath)
        var sum = MigrationSum()
        try store.withExclusiveLock { db in
            for i in 0..<schemas {
                let cols = (0..<columns).map { c in
                    ColumnProfile(name: "METRIC_\(c)", source: "Metric \(c)", type: .number(precision: 38, scale: 0), nulls: 0,
                                  facts: ValueFacts(maxIntegerDigits: 5, maxLength: 5))
                }
                let sha = MigrationSum.checksum(Data("client\(i)".utf8))
                let profile = FileProfile(path: "data/wave1.csv", sha256: sha, bytes: 1000, rows: 50,
                                          dialect: Dialect(encoding: .utf8, delimiter: 44, headerLine: 1), columns: cols, warnings: [])
                let request = PlanRequest(client: "client\(i)", platform: "meta", year: 2024, wave: 1,
                                          inputs: [PlanInput(profile: profile, path: "data/client\(i)_wave1.csv")])
                let plan = try Planner.plan(request, state: try db.load(database: "SPARK_DB", schema: try request.target().schema))
                let m = try Emitter.render(plan.header(version: i + 1), templates: templates)
                let data = Data(m.contents.utf8)
                try data.write(to: project.migrationsDir.appendingPathComponent(m.fileName))
                sum.append(name: m.fileName, contents: data)
                try db.record(header: m.header, fileName: m.fileName, checksum: sum.entries.last!.hash)
            }
        }
        try Data(sum.render().utf8).write(to: project.sumURL)
    }
}
