"""A loopback HTTP proxy between spark and fakesnow that injects faults, for the apply fault tests.

Usage: fault-proxy.py UPSTREAM_PORT    (prints the port it listens on, then serves until stdin closes)

Every request is forwarded to 127.0.0.1:UPSTREAM_PORT. A test arms one fault at a time with
`POST /__fault` and a JSON body:

    {"mode": "drop_before" | "drop_after" | "delay" | "outage", "match": "COPY INTO", "nth": 1, "seconds": 3}

The fault fires on the nth query-request whose SQL text contains `match`:

- drop_before: the connection is closed before the request reaches fakesnow;
- drop_after: fakesnow runs the statement, then the connection is closed without the answer;
- delay: the answer is held back `seconds` before it is sent (past the client's timeout, or
  long enough for a test to kill or signal the client while the statement has run and its
  answer is held: `GET /__fault` counts such answers in "held");
- outage: from that request on, for `seconds`, every connection is closed unanswered, as while
  a server restarts.

`GET /__fault` answers {"fired": N, "held": N, "armed": bool}.

Snowflake runs a query-request once per requestId: a client that retries with the same requestId
gets the first answer, not a second run. fakesnow does not, so the proxy does it for fakesnow:
it keeps each query-request's answer by requestId, and a retry waits for and gets that answer.
That is the contract spark relies on when it retries, and what these tests check it keeps.
"""

import http.client
import http.server
import json
import sys
import threading
import time
import urllib.parse

UPSTREAM = int(sys.argv[1])
lock = threading.Lock()
fault = {"armed": False, "fired": 0}
answers = {}  # requestId -> threading.Event, answer tuple


def forward(method, path, headers, body):
    conn = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=600)
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    out = (r.status, r.reason, [(k, v) for k, v in r.getheaders() if k.lower() not in ("transfer-encoding", "connection", "content-length")], data)
    conn.close()
    return out


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, reason, headers, body):
        self.send_response(status, reason)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def handle_any(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/__fault"):
            with lock:
                if method == "POST":
                    fault.clear()
                    fault.update(json.loads(body))
                    fault.update({"armed": True, "fired": 0, "held": 0, "seen": 0})
                answer = json.dumps({"fired": fault.get("fired", 0), "held": fault.get("held", 0), "armed": fault.get("armed", False)}).encode()
            return self.send(200, "OK", [("Content-Type", "application/json")], answer)
        with lock:
            down = fault.get("outage_until", 0) > time.monotonic()
        if down:
            self.close_connection = True
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
        url = urllib.parse.urlparse(self.path)
        request_id = urllib.parse.parse_qs(url.query).get("requestId", [None])[0]
        is_query = url.path == "/queries/v1/query-request" and request_id
        mode = None
        if is_query:
            sql = json.loads(body or b"{}").get("sqlText", "")
            with lock:
                known = request_id in answers
                if not known:
                    answers[request_id] = {"done": threading.Event(), "answer": None}
                    if fault.get("armed") and fault.get("match", "") in sql:
                        fault["seen"] += 1
                        if fault["seen"] == fault.get("nth", 1):
                            mode = fault["mode"]
                            fault["armed"] = False
                            fault["fired"] += 1
                entry = answers[request_id]
            if known:
                # A retry of a request already sent: Snowflake answers it once.
                entry["done"].wait(600)
                if entry["answer"] is not None:
                    return self.send(*entry["answer"])
            if mode in ("drop_before", "outage"):
                with lock:
                    if mode == "outage":
                        fault["outage_until"] = time.monotonic() + float(fault.get("seconds", 3))
                    del answers[request_id]
                self.close_connection = True
                return
            try:
                answer = forward(method, self.path, headers, body)
            except OSError:
                # The server is down: the statement never reached it. Forget the request (a
                # retry is sent afresh), wake any retry waiting for it, and drop the connection.
                with lock:
                    answers.pop(request_id, None)
                entry["done"].set()
                self.close_connection = True
                return
            entry["answer"] = answer
            entry["done"].set()
            if mode == "drop_after":
                self.close_connection = True
                return
            if mode == "delay":
                with lock:
                    fault["held"] = fault.get("held", 0) + 1
                threading.Event().wait(float(fault.get("seconds", 3)))
            try:
                return self.send(*answer)
            except (BrokenPipeError, ConnectionResetError):
                return
        try:
            answer = forward(method, self.path, headers, body)
        except OSError:
            self.close_connection = True
            return
        return self.send(*answer)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
