import ArgumentParser
import Foundation
import SparkProject
import SparkEmit
import SparkModel

struct BenchApply: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "spark apply against schemachange 4.4 applying the same migrations to fakesnow.",
        discussion: """
            Starts fakesnow (scripts/fakesnow-server.py) on a free loopback port, writes a directory of \
            migrations of DDL statements, and alternates `spark apply` and `schemachange deploy`, each \
            into a fresh database of the same server. Prints both medians, the ratio, and spark's HTTP \
            requests per statement.

            Example (scripts/bench-apply installs schemachange and runs this):
              .build/release/spark-bench apply --runs 3
            """)

    @Option(help: "Migrations in the directory.") var migrations = 20
    @Option(help: "DDL statements per migration.") var statements = 15
    @Option(help: "Runs of each tool (alternating).") var runs = 3
    @Option(help: "Working directory.") var workDir = ".bench/apply"
    @Option(help: "Python with fakesnow (scripts/bootstrap makes .venv).") var python = ".venv/bin/python"
    @Option(help: "schemachange executable.") var schemachange = ".venv-schemachange/bin/schemachange"

    func run() throws {
        let fm = FileManager.default
        let root = URL(fileURLWithPath: workDir).standardizedFileURL
        try? fm.removeItem(at: root)
        let project = root.appendingPathComponent("project")
        let migrationsDir = project.appendingPathComponent("migrations")
        try fm.createDirectory(at: migrationsDir, withIntermediateDirectories: true)
        // The headers name the run's database (spark refuses migrations of another); the SQL is
        // the same for both tools in every run.
        func writeMigrations(database: String) throws {
        var files: [(name: String, contents: Data)] = []
        for i in 1...migrations {
            let schema = "BENCH_S\(i)"
            // The statements name the session's database, so each tool runs them in its own; the
            // header's changes give spark each statement's role, as a planned migration does.
            let table = TableRef(database: database, schema: schema, table: "T")
            var changes: [Change] = [
                .createSchema(CreateSchema(database: database, schema: schema, client: "BENCH", platform: "DDL", year: 2024)),
                .createTable(CreateTable(table: table, kind: .campaign, columns: [ColumnDefinition(name: "ID", type: .number(precision: 38, scale: 0))])),
            ]
            var sql = ["CREATE SCHEMA IF NOT EXISTS \(Identifier.quoted(schema))",
                       "CREATE TABLE IF NOT EXISTS \(Identifier.quoted(schema)).\"T\" (\"ID\" NUMBER(38,0))"]
            for c in 0..<max(0, statements - 2) {
                changes.append(.addColumn(AddColumn(table: table, column: ColumnDefinition(name: "C\(c)", type: .number(precision: 38, scale: 2)))))
                sql.append("ALTER TABLE \(Identifier.quoted(schema)).\"T\" ADD COLUMN IF NOT EXISTS \"C\(c)\" NUMBER(38,2)")
            }
            let header = MigrationHeader(version: i, description: "bench_\(i)", client: "BENCH", platform: "DDL", year: 2024, wave: i,
                                         database: database, schema: schema, changes: changes)
            let tagged = zip(changes, sql).enumerated().map { k, pair in
                StatementTag(change: k + 1, role: pair.0.kind.statementRoles[0]).line + "\n" + pair.1 + ";\n"
            }
            let text = try MigrationFile.renderHeader(header) + "\n" + tagged.joined()
            let name = MigrationName(version: i, description: "bench_\(i)").fileName
            try text.write(to: migrationsDir.appendingPathComponent(name), atomically: true, encoding: .utf8)
            files.append((name, Data(text.utf8)))
        }
        try MigrationSum(files: files).render().write(to: migrationsDir.appendingPathComponent(MigrationSum.fileName), atomically: true, encoding: .utf8)
        }
        let totalStatements = migrations * statements

        let port = try freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: python)
        server.arguments = ["scripts/fakesnow-server.py", "-s", "--host", "127.0.0.1", "-p", "\(port)"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); kill(server.processIdentifier, SIGKILL) }
        try waitForPort(port, what: "fakesnow")

        let me = try sparkBinary()
        var sparkTimes: [Double] = [], scTimes: [Double] = [], requestsPerStatement: [Double] = []
        for r in 1...runs {
            let sparkDB = "BENCH_SPARK_\(r)", scDB = "BENCH_SC_\(r)"
            try runPython("""
                import snowflake.connector as sc
                c = sc.connect(account='fakesnow', user='bench', password='bench', host='127.0.0.1', port=\(port), protocol='http', session_parameters={})
                for db in ['METADATA', '\(sparkDB)', '\(scDB)']:
                    c.cursor().execute('CREATE DATABASE IF NOT EXISTS ' + db)
                """)
            try "database = \"\(sparkDB)\"\n".write(to: project.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
            try writeMigrations(database: sparkDB)
            let environment = [
                "SNOWFLAKE_ACCOUNT": "fakesnow", "SNOWFLAKE_USER": "bench", "SNOWFLAKE_PASSWORD": "bench", "SNOWFLAKE_HOST": "127.0.0.1",
                "SNOWFLAKE_PORT": "\(port)", "SNOWFLAKE_PROTOCOL": "http", "SNOWFLAKE_HOME": root.path,
                "SNOWFLAKE_SESSION_PARAMETERS": #"{"nop_regexes": ["^ALTER SESSION.*"]}"#,
            ]
            setEnvironment(environment.merging(["SNOWFLAKE_DATABASE": sparkDB]) { $1 })
            let s = try runMeasured([me, "apply", "--project", project.path, "--format", "json"])
            guard s.status == 0 else { throw BenchError("spark apply failed (exit \(s.status)): \(s.stdout)") }
            let report = try JSONSerialization.jsonObject(with: Data(s.stdout.utf8)) as? [String: Any]
            let requests = report?["requests"] as? Int ?? 0
            requestsPerStatement.append(Double(requests) / Double(totalStatements))
            sparkTimes.append(s.seconds)

            let config = root.appendingPathComponent("schemachange-\(r)")
            try fm.createDirectory(at: config, withIntermediateDirectories: true)
            try """
                config-version: 2
                schemachange:
                  root-folder: \(migrationsDir.path)
                  change-history-table: METADATA.SCHEMACHANGE.CHANGE_HISTORY_\(r)
                  create-change-history-table: true
                snowflake:
                  account: fakesnow
                  user: bench
                  database: \(scDB)
                  host: 127.0.0.1
                  port: \(port)
                  protocol: http
                """.write(to: config.appendingPathComponent("schemachange-config.yml"), atomically: true, encoding: .utf8)
            setEnvironment(environment.merging(["SNOWFLAKE_DATABASE": scDB]) { $1 })
            let c = try runMeasured([schemachange, "deploy", "--config-folder", config.path])
            guard c.status == 0 else { throw BenchError("schemachange failed (exit \(c.status)); run scripts/bench-apply to install it") }
            scTimes.append(c.seconds)
            print(String(format: "run %d: spark apply %.2fs (%d requests)   schemachange deploy %.2fs", r, s.seconds, requests, c.seconds))
        }
        let ms = median(sparkTimes), mc = median(scTimes)
        print("\(migrations) migrations × \(statements) DDL statements, fakesnow on 127.0.0.1:\(port)")
        print(String(format: "median spark apply:         %.2fs", ms))
        print(String(format: "median schemachange deploy: %.2fs", mc))
        print(String(format: "ratio: spark takes %.2f× schemachange's wall time", ms / mc))
        print(String(format: "spark HTTP requests per statement: %.2f (including login, history, lock)", median(requestsPerStatement)))
    }

    private func runPython(_ script: String) throws {
        let r = try runMeasured([python, "-c", script])
        guard r.status == 0 else { throw BenchError("python setup failed (exit \(r.status))") }
    }

    private func setEnvironment(_ values: [String: String]) {
        for (k, v) in values { setenv(k, v, 1) }
    }
}
