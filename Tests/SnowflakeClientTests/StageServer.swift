import Foundation

@testable import SnowflakeClient

/// A scripted Snowflake stand-in that answers PUT and GET with the stage answers a test gives it, and
/// also plays cloud storage under `/storage/…`: it records every upload (headers and body) and serves
/// stored objects back, and refuses credentials named `expired-token` the way S3, Azure and GCS do.
final class StageServer: @unchecked Sendable {
    static let script = #"""
        import http.server, json, os, sys, threading
        from urllib.parse import urlparse, parse_qs, unquote

        threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
        directory, answers_path = sys.argv[1], sys.argv[3]
        log, objects, counts = [], {}, {"PUT": 0, "GET": 0}

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args): pass

            def reply(self, status, body=b"", headers=None, reason=None):
                self.send_response(status, reason)
                for k, v in (headers or {}).items(): self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def body(self):
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    data = b""
                    while True:
                        size = int(self.rfile.readline().strip(), 16)
                        if size == 0:
                            self.rfile.readline(); break
                        data += self.rfile.read(size); self.rfile.readline()
                    return data
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else b""

            def storage(self, data):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                expired = (self.headers.get("x-amz-security-token") == "expired-token"
                           or self.headers.get("Authorization") == "Bearer expired-token"
                           or query.get("sig") == "expired-token")
                entry = {"method": self.command, "path": unquote(url.path), "query": query,
                         "headers": {k.lower(): v for k, v in self.headers.items()}, "expired": expired}
                if data is not None:
                    entry["body_file"] = os.path.join(directory, f"body-{len(log)}")
                    open(entry["body_file"], "wb").write(data)
                log.append(entry)
                json.dump(log, open(os.path.join(directory, "storage.json.tmp"), "w"))
                os.replace(os.path.join(directory, "storage.json.tmp"), os.path.join(directory, "storage.json"))
                if expired:
                    if "x-amz-security-token" in entry["headers"]:
                        return self.reply(400, b"<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>")
                    if "sig" in query:
                        return self.reply(403, b"<Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request. "
                                          b"Signature not valid in the specified time frame</Message></Error>", reason="Server failed to authenticate the request.")
                    return self.reply(401)
                if self.command == "PUT":
                    meta = {k: v for k, v in entry["headers"].items() if "-meta-" in k}
                    objects[entry["path"]] = (data, meta)
                    return self.reply(201)
                if entry["path"] not in objects:
                    return self.reply(404)
                data, meta = objects[entry["path"]]
                return self.reply(200, data, meta)

            def do_GET(self):
                if self.path.startswith("/storage/"): return self.storage(None)
                self.reply(404)

            def do_PUT(self):
                self.storage(self.body())

            def do_POST(self):
                raw = self.body()
                path = urlparse(self.path).path
                if path == "/session/v1/login-request":
                    return self.reply(200, json.dumps({"success": True, "data": {"token": "stage-session-token", "masterToken": "m"}}).encode())
                if path == "/session":
                    return self.reply(200, b'{"success": true}')
                sql = json.loads(raw)["sqlText"]
                kind = sql.split()[0].upper()
                answers = json.load(open(answers_path))[kind]
                data = json.loads(json.dumps(answers[min(counts[kind], len(answers) - 1)]))
                counts[kind] += 1
                # A presigned URL names one object: "{name}" becomes the file the statement names.
                url = data.get("stageInfo", {}).get("presignedUrl")
                if url and "{name}" in url:
                    name = os.path.basename(sql.split()[1].strip("'").replace("file://", ""))
                    data["stageInfo"]["presignedUrl"] = url.replace("{name}", name)
                with open(os.path.join(directory, "queries.json"), "w") as f: json.dump(counts, f)
                self.reply(200, json.dumps({"success": True, "data": data}).encode())

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        with open(sys.argv[2] + ".tmp", "w") as f: f.write(str(server.server_address[1]))
        os.rename(sys.argv[2] + ".tmp", sys.argv[2])
        server.serve_forever()
        """#

    let process = Process()
    let input = Pipe()
    let directory: URL
    let answersFile: URL
    let port: Int

    init() throws {
        directory = try TestEnvironment.temporaryDirectory()
        answersFile = directory.appendingPathComponent("answers.json")
        try Data(#"{"PUT": [], "GET": []}"#.utf8).write(to: answersFile)
        let portFile = directory.appendingPathComponent("port")
        process.executableURL = URL(fileURLWithPath: try TestEnvironment.python())
        process.arguments = ["-c", Self.script, directory.path, portFile.path, answersFile.path]
        process.standardInput = input
        try process.run()
        var port: Int?
        for _ in 0..<500 where port == nil {
            if let text = try? String(contentsOf: portFile, encoding: .utf8) { port = Int(text) } else { usleep(10_000) }
        }
        guard let port else {
            kill(process.processIdentifier, SIGKILL)
            throw PythonFailure(status: -1, stderr: "the stage server did not report its port within 5 seconds")
        }
        self.port = port
    }

    var storageURL: String { "http://127.0.0.1:\(port)/storage" }

    /// The `data` of successive answers to PUT and GET statements; the last one repeats.
    func setAnswers(put: [[String: Any]], get: [[String: Any]] = []) throws {
        try JSONSerialization.data(withJSONObject: ["PUT": put, "GET": get]).write(to: answersFile)
    }

    func config() -> ConnectionConfig {
        ConnectionConfig(
            account: "stage", user: "tester", password: "stage-password-value", host: "127.0.0.1", port: port, protocol: "http",
            retryPolicy: TestEnvironment.quickRetries)
    }

    /// Every storage request seen, in order.
    func storageRequests() throws -> [[String: Any]] {
        let url = directory.appendingPathComponent("storage.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]] ?? []
    }

    /// How many PUT and GET statements the server answered.
    func statementCounts() throws -> [String: Int] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("queries.json"))) as? [String: Int] ?? [:]
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}
