import Foundation

@testable import SnowflakeClient

/// A scripted Snowflake stand-in (Python's http.server) for behaviour fakesnow cannot show:
/// dropped connections, 503s, session expiry, query polling, JSON rowsets and result chunks.
/// It records every request it sees in a JSON log file.
final class LoopbackServer: @unchecked Sendable {
    static let script = #"""
        import gzip, http.server, json, os, sys, threading
        from urllib.parse import urlparse, parse_qs

        # Exit when the test closes stdin (or dies), however signals are masked.
        threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()

        log_path = sys.argv[1]
        log, seen = [], set()
        state = {"token": "session-token-1", "polls": 0, "expired_once": False}

        def result(rowtype, rowset, chunks=None, headers=None):
            data = {"queryId": "q-json", "rowtype": rowtype, "rowset": rowset, "queryResultFormat": "json", "statementTypeId": 4096}
            if chunks is not None:
                data["chunks"], data["chunkHeaders"] = chunks, headers
            return {"success": True, "data": data}

        def text_result(value):
            return result([{"name": "V", "type": "text", "nullable": True}], [[value]])

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def record(self, body):
                url = urlparse(self.path)
                entry = {"method": self.command, "path": url.path, "query": {k: v[0] for k, v in parse_qs(url.query).items()},
                         "authorization": self.headers.get("Authorization"), "chunk_header": self.headers.get("x-test-chunk"),
                         "body": body}
                log.append(entry)
                with open(log_path, "w") as f:
                    json.dump(log, f)
                return entry

            def reply(self, payload, status=200, raw=None):
                data = raw if raw is not None else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                entry = self.record(None)
                if entry["path"] == "/queries/q-poll/result":
                    state["polls"] += 1
                    if state["polls"] < 3:
                        return self.reply({"success": False, "code": "333334", "message": "running",
                                           "data": {"getResultUrl": "/queries/q-poll/result", "queryId": "q-poll"}})
                    return self.reply(text_result("polled"))
                if entry["path"] == "/chunks/1":
                    return self.reply(None, raw=gzip.compress(b'["b"],["c"]'))
                self.reply({"success": False}, status=404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                entry = self.record(body)
                path = entry["path"]
                if path == "/session/v1/login-request":
                    data = body["data"]
                    if data.get("PASSWORD") == "wrong-password-echoed-back":
                        return self.reply({"success": False, "code": "390100", "data": None,
                                           "message": "Incorrect username or password was specified: " + data["PASSWORD"]})
                    return self.reply({"success": True, "data": {"token": "session-token-1", "masterToken": "master-token-1",
                                                                 "sessionInfo": {"databaseName": "LOOPBACK_DB"}}})
                if path == "/session/token-request":
                    if self.headers.get("Authorization") == 'Snowflake Token="master-token-1"' and body["oldSessionToken"] == state["token"]:
                        state["token"] = "session-token-2"
                        return self.reply({"success": True, "data": {"sessionToken": "session-token-2", "masterToken": "master-token-2"}})
                    return self.reply({"success": False, "code": "390114", "message": "invalid master token"})
                if path == "/session":
                    return self.reply({"success": True, "data": None})
                if path != "/queries/v1/query-request":
                    return self.reply({"success": False}, status=404)
                sql, request_id = body["sqlText"], entry["query"].get("requestId")
                if sql == "SELECT 'drop'" and request_id not in seen:
                    seen.add(request_id)
                    self.close_connection = True  # close the socket without any answer
                    return
                if sql == "SELECT 'always busy'":
                    return self.reply({"message": "busy"}, status=503)
                if sql == "SELECT 'busy'" and request_id not in seen:
                    seen.add(request_id)
                    return self.reply({"message": "busy"}, status=503)
                if sql == "SELECT 'expire'" and not state["expired_once"]:
                    state["expired_once"] = True
                    return self.reply({"success": False, "code": "390112", "message": "Your session has expired. Please login again.", "data": None})
                if self.headers.get("Authorization") != f'Snowflake Token="{state["token"]}"':
                    return self.reply({"success": False, "code": "390104", "message": "User must login again.", "data": None}, status=401)
                if sql == "SELECT 'poll'":
                    return self.reply({"success": False, "code": "333333", "message": "running",
                                       "data": {"getResultUrl": "/queries/q-poll/result", "queryId": "q-poll"}})
                if sql == "SELECT 'types'":
                    rowtype = [{"name": n, "type": t, "scale": s, "nullable": True} for n, t, s in [
                        ("I", "fixed", 0), ("D", "fixed", 2), ("R", "real", None), ("B", "boolean", None), ("DT", "date", None),
                        ("TM", "time", 9), ("NTZ", "timestamp_ntz", 9), ("LTZ", "timestamp_ltz", 9), ("TZ", "timestamp_tz", 9),
                        ("BIN", "binary", None), ("V", "variant", None), ("S", "text", None)]]
                    rows = [["-42", "-1.50", "2.5", "1", "19782", "3723.000000001", "-1.500000000", "1700000000.000000000",
                             "1700000000.000000005 1500", "CAFE", '{"a": 1}', "x"],
                            [None] * 12]
                    return self.reply(result(rowtype, rows))
                if sql == "SELECT 'chunks'":
                    port = self.server.server_address[1]
                    return self.reply(result([{"name": "V", "type": "text"}], [["a"]],
                                             chunks=[{"url": f"http://127.0.0.1:{port}/chunks/1", "rowCount": 2}],
                                             headers={"x-test-chunk": "yes"}))
                self.reply(text_result(sql))

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        with open(sys.argv[2] + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(sys.argv[2] + ".tmp", sys.argv[2])
        server.serve_forever()
        """#

    let process = Process()
    let input = Pipe()
    let logFile: URL
    let port: Int

    init() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        logFile = directory.appendingPathComponent("requests.json")
        let portFile = directory.appendingPathComponent("port")
        process.executableURL = URL(fileURLWithPath: try TestEnvironment.python())
        process.arguments = ["-c", Self.script, logFile.path, portFile.path]
        process.standardInput = input
        try process.run()
        // The server writes its port to a file once it listens (renamed into place, so never half-written).
        var port: Int?
        for _ in 0..<500 where port == nil {
            if let text = try? String(contentsOf: portFile, encoding: .utf8) { port = Int(text) } else { usleep(10_000) }
        }
        guard let port else {
            kill(process.processIdentifier, SIGKILL)
            throw PythonFailure(status: -1, stderr: "the loopback server did not report its port within 5 seconds")
        }
        self.port = port
    }

    func config(password: String = "loopback-password-value") -> ConnectionConfig {
        ConnectionConfig(
            account: "loopback", user: "tester", password: password, host: "127.0.0.1", port: port, protocol: "http",
            retryPolicy: TestEnvironment.quickRetries)
    }

    /// Every request the server saw, in order.
    func requests() throws -> [[String: Any]] {
        let data = try Data(contentsOf: logFile)
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    /// The query requests whose SQL was `sql`.
    func queryRequests(_ sql: String) throws -> [[String: Any]] {
        try requests().filter {
            $0["path"] as? String == "/queries/v1/query-request" && ($0["body"] as? [String: Any])?["sqlText"] as? String == sql
        }
    }

    /// Closing stdin ends the server; Foundation's `terminate()` cannot, as children inherit a blocked SIGTERM.
    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}
