import Foundation
import Testing

/// `spark serve` as the binary, driven over HTTP with curl as scripts would: the page writes
/// what `spark plan` writes, and every security refusal of the issue is a case here.
@Suite struct ServeTests {
    /// A `spark serve` running on a free loopback port, for one test.
    final class Server: @unchecked Sendable {
        let process = Process()
        let root: URL
        var base = ""
        private let out = Pipe(), err = Pipe()

        init(root: URL, _ extra: [String] = [], environment: [String: String] = [:]) throws {
            self.root = root
            process.executableURL = CLI.executable
            process.arguments = ["serve", "--port", "0"] + extra
            process.currentDirectoryURL = root
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardOutput = out
            process.standardError = err
            CLI.InProcess.directoryLock.lock()
            defer { CLI.InProcess.directoryLock.unlock() }
            try process.run()
        }

        /// Waits for the "listening on" line; throws with stderr when the server exits first.
        func start() throws -> Server {
            var text = ""
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
                if let range = text.range(of: #"http://127\.0\.0\.1:\d+/"#, options: .regularExpression) {
                    base = String(text[range])
                    return self
                }
            }
            process.waitUntilExit()
            throw ServeFailed(message: "spark serve did not start: \(text) \(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
        }

        /// Stops it as Ctrl-C does; returns the exit status.
        func stop() -> Int32 {
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    struct ServeFailed: Error, CustomStringConvertible { var message: String; var description: String { message } }

    struct HTTP { var status: Int; var body: String }

    /// `curl` with `args`, returning the status and the body.
    static func curl(_ args: [String]) throws -> HTTP {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let marker = "\n--status:"
        p.arguments = ["curl", "-s", "-S", "-w", marker + "%{http_code}"] + args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard let r = text.range(of: marker, options: .backwards) else { return HTTP(status: -1, body: text) }
        return HTTP(status: Int(text[r.upperBound...]) ?? -1, body: String(text[..<r.lowerBound]))
    }

    static func csrf(_ page: String) -> String? {
        guard let r = page.range(of: #"name="csrf" value="[0-9a-f]+""#, options: .regularExpression) else { return nil }
        return String(page[r].dropFirst(#"name="csrf" value=""#.count).dropLast())
    }

    static func field(_ name: String, in page: String) -> String? {
        guard let r = page.range(of: #"name="\#(name)" value="[^"]+""#, options: .regularExpression) else { return nil }
        return String(page[r].dropFirst(#"name="\#(name)" value=""#.count).dropLast())
    }

    /// Uploads `file` as the page's form does, then presses write; returns the two pages.
    static func uploadAndWrite(_ server: Server, file: URL, fields: [String: String]) throws -> (preview: HTTP, written: HTTP?) {
        let form = try curl([server.base])
        let token = try #require(csrf(form.body))
        var args = [server.base + "upload", "-F", "csrf=\(token)", "-F", "files=@\(file.path)"]
        for (k, v) in fields.sorted(by: { $0.key < $1.key }) { args += ["-F", "\(k)=\(v)"] }
        let preview = try curl(args)
        guard preview.status == 200, let id = field("upload", in: preview.body) else { return (preview, nil) }
        let written = try curl([server.base + "write", "--data-urlencode", "csrf=\(token)", "--data-urlencode", "upload=\(id)", "--data-urlencode", "write=1"])
        return (preview, written)
    }

    static let keys = CLI.repositoryRoot.appendingPathComponent("examples/byd_meta_2024_naming_keys.csv")
    static let wave1 = CLI.repositoryRoot.appendingPathComponent("examples/byd_meta_2024_wave1.csv")
    static let meta = ["client": "byd", "platform": "meta", "year": "2024", "wave": "1"]

    @Test func thePageWritesWhatSparkPlanWritesByteForByte() throws {
        let served = try PlannedProject(plan: false)
        let server = try Server(root: served.root).start()
        let keys = try Self.uploadAndWrite(server, file: Self.keys, fields: Self.meta.merging(["table": "naming-keys"]) { $1 })
        #expect(keys.preview.status == 200, "\(keys.preview.body)")
        #expect(keys.preview.body.contains("byd_meta_2024_wave1_naming_keys.csv"), "the standardized name")
        #expect(keys.written?.body.contains("Wrote migrations/V0001__byd_meta_2024_wave1_naming_keys.sql") == true, "\(keys.written?.body ?? "")")
        let wave = try Self.uploadAndWrite(server, file: Self.wave1, fields: Self.meta)
        let page = wave.preview.body
        #expect(page.contains("<th>NAMING_KEY</th>") && page.contains("class=\"inference\""), "the inference table")
        #expect(page.contains("<table class=\"preview\">") && page.contains("The first 20 records as they will load"))
        #expect(page.contains("<span class=\"add\">  + load data/byd/meta/2024/byd_meta_2024_wave1.csv (80 rows"), "the plan's lines")
        #expect(page.contains("<details><summary>The migration's SQL (V0002__byd_meta_2024_wave1.sql)"))
        #expect(page.contains("name=\"write\""), "a write button")
        #expect(wave.written?.body.contains("href=\"/migrations/V0002__byd_meta_2024_wave1.sql\"") == true)
        let text = try Self.curl([server.base + "migrations/V0002__byd_meta_2024_wave1.sql"])
        #expect(text.status == 200 && text.body.hasPrefix("-- spark:migration"))
        let files = try Self.curl([server.base + "files"])
        #expect(files.body.contains("data/byd/meta/2024/byd_meta_2024_wave1.csv") && files.body.contains("planned"))
        #expect(server.stop() == 0, "Ctrl-C stops it cleanly")

        // The same inputs through spark plan, in another project.
        let planned = try PlannedProject(plan: false)
        try FileManager.default.copyItem(at: Self.keys, to: planned.root.appendingPathComponent("data/keys.csv"))
        #expect(try planned.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "1", "--table", "naming-keys", "data/keys.csv"]).status == 0)
        #expect(try planned.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "1", "data/byd_meta_2024_wave1.csv"]).status == 0)
        let written = { (p: PlannedProject) in p.snapshot().filter { $0.key.hasPrefix("/migrations/") || $0.key.hasPrefix("/data/byd/") } }
        #expect(written(served).count == 5)
        #expect(written(served) == written(planned), "migrations/ and data/ byte for byte")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: served.root.appendingPathComponent(".spark/uploads").path)) ?? []).isEmpty,
                "written uploads are removed")
    }

    @Test func theAPIAnswersAsTheCLIAndNeedsItsHeader() throws {
        let p = try PlannedProject(plan: false)
        let server = try Server(root: p.root).start()
        defer { _ = server.stop() }
        let form = ["-F", "files=@\(Self.keys.path)", "-F", "client=byd", "-F", "platform=meta", "-F", "year=2024", "-F", "wave=1", "-F", "table=naming-keys"]
        let bare = try Self.curl([server.base + "api/plan"] + form)
        #expect(bare.status == 403 && bare.body.contains("X-Spark-Request: 1"), "\(bare)")
        let dry = try Self.curl([server.base + "api/plan", "-H", "X-Spark-Request: 1"] + form)
        #expect(dry.status == 200, "\(dry.body)")
        let doc = try JSONSerialization.jsonObject(with: Data(dry.body.utf8)) as? [String: Any]
        #expect(doc?["written"] as? Bool == false && doc?["migration"] as? String == "migrations/V0001__byd_meta_2024_wave1_naming_keys.sql")
        #expect(p.migrationNames().isEmpty, "a dry run writes nothing")
        let write = try Self.curl([server.base + "api/plan?write=1", "-H", "X-Spark-Request: 1"] + form)
        #expect(write.status == 200 && write.body.contains("\"written\" : true"), "\(write.body)")
        #expect(p.migrationNames() == ["V0001__byd_meta_2024_wave1_naming_keys.sql"])
        let files = try Self.curl([server.base + "api/files", "-H", "X-Spark-Request: 1"])
        let cliFiles = try p.run(["files", "--format", "json"]).stdout
        #expect(files.status == 200 && files.body == cliFiles, "the same JSON as spark files")
        let schemas = try Self.curl([server.base + "api/schemas", "-H", "X-Spark-Request: 1"])
        let cliSchemas = try p.run(["schemas", "--format", "json"]).stdout
        #expect(schemas.status == 200 && schemas.body == cliSchemas, "the same JSON as spark schemas")
    }

    @Test func refusalsWriteNothing() throws {
        let p = try PlannedProject(plan: false)
        let server = try Server(root: p.root, ["--max-upload-mb", "1"]).start()
        defer { _ = server.stop() }
        let token = try #require(Self.csrf(try Self.curl([server.base]).body))
        func upload(_ file: URL, _ fields: [String: String], csrf: String) throws -> HTTP {
            var args = [server.base + "upload", "-F", "csrf=\(csrf)", "-F", "files=@\(file.path)"]
            for (k, v) in fields.sorted(by: { $0.key < $1.key }) { args += ["-F", "\(k)=\(v)"] }
            return try Self.curl(args)
        }
        // CSRF: a form without the page's token.
        let forged = try upload(Self.wave1, Self.meta, csrf: "0000")
        #expect(forged.status == 403, "\(forged)")
        // A platform spark does not know: spark plan's refusal, as a page.
        let platform = try upload(Self.wave1, Self.meta.merging(["platform": "tabola"]) { $1 }, csrf: token)
        #expect(platform.status == 422 && platform.body.contains("is not a known platform"), "\(platform)")
        let noState = try Self.curl([server.base + "api/schemas", "-H", "X-Spark-Request: 1"])
        #expect(noState.status == 422 && noState.body.contains("\"code\" : \"project.error\""), "\(noState)")
        // A bad form: no client.
        let bad = try upload(Self.wave1, ["platform": "meta", "year": "2024", "wave": "1"], csrf: token)
        #expect(bad.status == 400 && bad.body.contains("no client"), "\(bad)")
        // Over the size limit.
        let big = p.root.appendingPathComponent("big.csv")
        try Data(repeating: UInt8(ascii: "a"), count: 1_500_000).write(to: big)
        let tooBig = try upload(big, Self.meta, csrf: token)
        #expect(tooBig.status == 413, "\(tooBig)")
        // A refused plan: a campaign wave before its naming keys; the message and hint, no write button.
        let refused = try upload(Self.wave1, Self.meta, csrf: token)
        #expect(refused.status == 422)
        #expect(refused.body.contains("NAMING_KEYS has no naming keys yet") && refused.body.contains("hint: plan the naming keys first"), "\(refused.body)")
        #expect(!refused.body.contains("name=\"write\""))
        // A hostile header shows as text.
        let hostile = p.root.appendingPathComponent("hostile.csv")
        try "Naming Key,<script>alert(1)</script>\nK1,<img src=x onerror=alert(2)>\n".write(to: hostile, atomically: true, encoding: .utf8)
        let shown = try upload(hostile, Self.meta.merging(["table": "naming-keys"]) { $1 }, csrf: token)
        #expect(shown.status == 200, "\(shown.body)")
        #expect(shown.body.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"), "the header, as text: \(shown.body)")
        #expect(shown.body.contains("<td>&lt;img src=x onerror=alert(2)&gt;</td>"), "the cell, as text")
        #expect(!shown.body.contains("<script>alert(1)") && !shown.body.contains("<img src=x"))
        #expect(p.migrationNames().isEmpty, "nothing was written")
    }

    @Test func twoWritesAtOnceGetConsecutiveMigrationsAndUploadedNamesAreNeverPaths() async throws {
        let p = try PlannedProject(plan: false)
        let server = try ServeTests.Server(root: p.root).start()
        defer { _ = server.stop() }
        // The uploaded name tries to climb out of the upload folder; only the standardized name is used.
        let answers = try await withThrowingTaskGroup(of: HTTP.self) { group in
            for client in ["alpha", "beta"] {
                group.addTask {
                    try Self.curl([server.base + "api/plan?write=1", "-H", "X-Spark-Request: 1",
                                   "-F", "files=@\(Self.keys.path);filename=../../../../\(client)-evil.csv", "-F", "client=\(client)",
                                   "-F", "platform=meta", "-F", "year=2024", "-F", "wave=1", "-F", "table=naming-keys"])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.allSatisfy { $0.status == 200 }, "\(answers)")
        #expect(p.migrationNames() == ["V0001__alpha_meta_2024_wave1_naming_keys.sql", "V0002__beta_meta_2024_wave1_naming_keys.sql"]
                || p.migrationNames() == ["V0001__beta_meta_2024_wave1_naming_keys.sql", "V0002__alpha_meta_2024_wave1_naming_keys.sql"],
                "\(p.migrationNames())")
        #expect(try p.run(["verify"]).status == 0, "spark.sum holds both")
        let near = try FileManager.default.subpathsOfDirectory(atPath: p.root.path)
            + (try FileManager.default.contentsOfDirectory(atPath: p.root.deletingLastPathComponent().path))
        let evil = near.filter { $0.contains("-evil.csv") }
        #expect(evil.isEmpty, "\(evil)")
    }

    @Test func gitCommitCommitsOnlyMigrationsAndDataAndNeverPushes() throws {
        let p = try PlannedProject(plan: false)
        func git(_ args: [String]) throws -> String {
            let g = Process()
            g.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            g.arguments = ["git", "-C", p.root.path] + args
            let out = Pipe()
            g.standardOutput = out
            g.standardError = out
            try g.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            g.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        _ = try git(["init", "-q"])
        try "notes\n".write(to: p.root.appendingPathComponent("unrelated.txt"), atomically: true, encoding: .utf8)
        let identity = ["GIT_AUTHOR_NAME": "spark test", "GIT_AUTHOR_EMAIL": "spark@test.invalid",
                        "GIT_COMMITTER_NAME": "spark test", "GIT_COMMITTER_EMAIL": "spark@test.invalid"]
        let server = try ServeTests.Server(root: p.root, ["--git-commit"], environment: identity).start()
        defer { _ = server.stop() }
        let write = try Self.curl([server.base + "api/plan?write=1", "-H", "X-Spark-Request: 1", "-F", "files=@\(Self.keys.path)", "-F", "client=byd",
                                   "-F", "platform=meta", "-F", "year=2024", "-F", "wave=1", "-F", "table=naming-keys"])
        #expect(write.status == 200, "\(write.body)")
        let log = try git(["log", "--format=%s", "--name-only"])
        #expect(log.hasPrefix("spark: byd meta 2024 wave 1 naming keys: byd_meta_2024_wave1_naming_keys.csv\n"), "\(log)")
        let committed = log.split(separator: "\n").dropFirst().filter { !$0.isEmpty }.sorted()
        #expect(committed == ["data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv", "migrations/V0001__byd_meta_2024_wave1_naming_keys.sql",
                              "migrations/spark.sum"], "\(committed)")
        #expect(try git(["status", "--porcelain"]).contains("unrelated.txt"), "nothing else is committed")
        #expect(try git(["remote"]).isEmpty)
    }

    @Test func aTokenGuardsEveryRequestAndANonLoopbackHostNeedsOne() throws {
        let p = try PlannedProject(plan: false)
        let open = try CLI.runBinary(["serve", "--host", "0.0.0.0", "--port", "0"], in: p.root, environment: ["SPARK_SERVE_TOKEN": ""])
        #expect(open.status == 1 && open.stderr.contains("SPARK_SERVE_TOKEN"), "\(open.stderr)")
        let server = try Server(root: p.root, environment: ["SPARK_SERVE_TOKEN": "s3cret-token"]).start()
        defer { _ = server.stop() }
        #expect(try Self.curl([server.base]).status == 401)
        #expect(try Self.curl([server.base, "-H", "Authorization: Bearer wrong"]).status == 401)
        #expect(try Self.curl([server.base + "api/files", "-H", "X-Spark-Request: 1", "-H", "Authorization: Bearer wrong"]).status == 401)
        #expect(try Self.curl([server.base, "-H", "Authorization: Bearer s3cret-token"]).status == 200)
        #expect(try Self.curl([server.base + "api/files", "-H", "X-Spark-Request: 1", "-H", "Authorization: Bearer s3cret-token"]).status == 200)
        let login = try Self.curl([server.base + "login", "--data-urlencode", "token=s3cret-token", "-D", "-"])
        #expect(login.status == 303 && login.body.contains("spark_token=s3cret-token; HttpOnly; SameSite=Strict"))
    }
}

/// `spark serve --apply` against fakesnow: an upload lands in Snowflake right after its write.
@Suite(.serialized) struct ServeApplyTests {
    @Test func aWrittenUploadIsAppliedAndItsProcessingLogShown() async throws {
        let p = try ApplyProject(planExamples: false)
        let server = try ServeTests.Server(root: p.root, ["--apply"], environment: p.environment).start()
        defer { _ = server.stop() }
        func write(_ file: URL, _ extra: [String]) throws -> ServeTests.HTTP {
            try ServeTests.curl([server.base + "api/plan?write=1", "-H", "X-Spark-Request: 1", "-F", "files=@\(file.path)", "-F", "client=byd",
                                 "-F", "platform=meta", "-F", "year=2024", "-F", "wave=1"] + extra)
        }
        let keys = try write(ServeTests.keys, ["-F", "table=naming-keys"])
        #expect(keys.status == 200, "\(keys.body)")
        let wave = try write(ServeTests.wave1, [])
        #expect(wave.status == 200, "\(wave.body)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(wave.body.utf8)) as? [String: Any])
        #expect(doc["written"] as? Bool == true && doc["migration"] as? String == "migrations/V0002__byd_meta_2024_wave1.sql")
        let apply = try #require(doc["apply"] as? [String: Any])
        #expect(apply["status"] as? String == "ok", "\(apply)")
        let files = apply["files"] as? [[String: Any]] ?? []
        #expect(files.count == 1 && files.first?["status"] as? String == "LOADED" && files.first?["rows"] as? Int == 80, "\(files)")
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 80)
        #expect(try await p.count("NAMING_KEYS") == 12)

        // The same export uploaded again as the next wave: the file is planned already, so the plan skips it.
        let again = try ServeTests.curl([server.base + "api/plan?write=1", "-H", "X-Spark-Request: 1", "-F", "files=@\(ServeTests.wave1.path)",
                                         "-F", "client=byd", "-F", "platform=meta", "-F", "year=2024", "-F", "wave=2"])
        #expect(again.status == 200 && again.body.contains("\"kind\" : \"skip_file\"") && again.body.contains("\"written\" : false"), "\(again.body)")
        #expect(try await p.count("PROCESSED_CAMPAIGN_DATA") == 80)
    }
}
