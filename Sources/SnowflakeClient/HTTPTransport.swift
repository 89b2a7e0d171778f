import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// One HTTP answer, fully read.
struct HTTPAnswer: Sendable {
    var status: Int
    var body: [UInt8]
    var headers: HTTPHeaders = [:]
    var reason: String = ""
}

/// Sends requests with bounded, jittered retries, and gives every attempt its own `request_guid`
/// while all attempts at one request share its `requestId`, so Snowflake runs a retried
/// statement only once.
struct HTTPTransport: Sendable {
    let baseURL: String
    let retryPolicy: RetryPolicy
    let logger: Logger
    let scrubber: SecretScrubber
    var http: HTTPClient { snowflakeHTTPClient }

    static let userAgent = "SwiftSnowflakeClient/0.1.0 (Swift; \(ProcessInfo.processInfo.operatingSystemVersionString))"

    /// Sends one request, retrying connection errors, 5xx, 408 and 429.
    /// - Parameters:
    ///   - path: an absolute path (`/queries/v1/query-request`), or a full URL for stage and chunk hosts.
    ///   - requestId: shared by every attempt; nil for requests that carry no request id.
    func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], requestId: UUID? = nil,
        headers: [(String, String)], body: [UInt8]? = nil
    ) async throws -> HTTPAnswer {
        try await send(method, path, query: query, requestId: requestId, headers: headers) { body }
    }

    /// Sends one request whose body is built afresh for every attempt, for bodies that expire,
    /// such as a login carrying a 60-second JWT.
    func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], requestId: UUID? = nil,
        headers: [(String, String)], bodyForAttempt: () throws -> [UInt8]?
    ) async throws -> HTTPAnswer {
        try await send(method, path, query: query, requestId: requestId, headers: headers, streamForAttempt: {
            try bodyForAttempt().map { HTTPClientRequest.Body.bytes(ByteBuffer(bytes: $0)) }
        })
    }

    /// Sends one request whose body is made afresh for every attempt, such as a file streamed from disk.
    func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], requestId: UUID? = nil,
        headers: [(String, String)], streamForAttempt: () throws -> HTTPClientRequest.Body?
    ) async throws -> HTTPAnswer {
        var lastProblem = ""
        for attempt in 1...retryPolicy.maxAttempts {
            var parameters = query
            if let requestId {
                parameters.append(("requestId", requestId.uuidString.lowercased()))
                parameters.append(("request_guid", UUID().uuidString.lowercased()))
                if attempt > 1 { parameters.append(("retryCount", String(attempt - 1))) }
            }
            var request = HTTPClientRequest(url: Self.url(baseURL: baseURL, path: path, query: parameters))
            request.method = method
            request.headers.add(name: "User-Agent", value: Self.userAgent)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body = try streamForAttempt() { request.body = body }
            let endpoint = "\(method.rawValue) \(Self.redactedPath(path))"
            do {
                let response = try await http.execute(request, timeout: .seconds(max(1, retryPolicy.requestTimeout.components.seconds)))
                let collected = try await response.body.collect(upTo: 512 * 1024 * 1024)
                let status = Int(response.status.code)
                if Self.isRetryable(status: status), attempt < retryPolicy.maxAttempts {
                    lastProblem = "HTTP \(status)"
                    logger.debug("\(endpoint): HTTP \(status), retrying", metadata: ["attempt": "\(attempt)"])
                    let delay = retryPolicy.delay(afterAttempt: attempt)
                    RetryNotices.say("\(endpoint): HTTP \(status); attempt \(attempt + 1) of \(retryPolicy.maxAttempts) in \(Self.shown(delay))")
                    try await Task.sleep(for: delay)
                    continue
                }
                return HTTPAnswer(
                    status: status, body: Array(collected.readableBytesView), headers: response.headers,
                    reason: response.status.reasonPhrase)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // Nothing listens on the port, or the host has no address: trying again will not help.
                if let unreachable = Self.unreachable(error, url: Self.url(baseURL: baseURL, path: path, query: [])) { throw unreachable }
                lastProblem = scrubber.scrub(String(describing: error))
                logger.debug("\(endpoint): \(lastProblem), retrying", metadata: ["attempt": "\(attempt)"])
                if attempt < retryPolicy.maxAttempts {
                    let delay = retryPolicy.delay(afterAttempt: attempt)
                    RetryNotices.say("\(endpoint): \(lastProblem); attempt \(attempt + 1) of \(retryPolicy.maxAttempts) in \(Self.shown(delay))")
                    try await Task.sleep(for: delay)
                }
            }
        }
        throw SnowflakeError(
            .network,
            "\(method.rawValue) \(Self.redactedPath(path)) failed after \(retryPolicy.maxAttempts) attempts: \(lastProblem)")
    }

    /// Sends a GET and hands the body to `consume` piece by piece, so a large object is never held whole.
    /// Connection failures before an answer are retried; a failure once the body flows is thrown.
    /// An answer other than 2xx is returned with its (small) body collected and `consume` not called.
    func download(
        _ url: String, headers: [(String, String)], consume: (HTTPHeaders, ByteBuffer) async throws -> Void
    ) async throws -> HTTPAnswer {
        var lastProblem = ""
        for attempt in 1...retryPolicy.maxAttempts {
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            request.headers.add(name: "User-Agent", value: Self.userAgent)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, timeout: .seconds(max(1, retryPolicy.requestTimeout.components.seconds)))
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastProblem = scrubber.scrub(String(describing: error))
                logger.debug("GET \(Self.redactedPath(url)): \(lastProblem), retrying", metadata: ["attempt": "\(attempt)"])
                if attempt < retryPolicy.maxAttempts { try await Task.sleep(for: retryPolicy.delay(afterAttempt: attempt)) }
                continue
            }
            let status = Int(response.status.code)
            guard (200..<300).contains(status) else {
                let collected = try await response.body.collect(upTo: 1024 * 1024)
                if Self.isRetryable(status: status), attempt < retryPolicy.maxAttempts {
                    lastProblem = "HTTP \(status)"
                    try await Task.sleep(for: retryPolicy.delay(afterAttempt: attempt))
                    continue
                }
                return HTTPAnswer(
                    status: status, body: Array(collected.readableBytesView), headers: response.headers,
                    reason: response.status.reasonPhrase)
            }
            for try await piece in response.body { try await consume(response.headers, piece) }
            return HTTPAnswer(status: status, body: [], headers: response.headers, reason: response.status.reasonPhrase)
        }
        throw SnowflakeError(
            .network, "GET \(Self.redactedPath(url)) failed after \(retryPolicy.maxAttempts) attempts: \(lastProblem)")
    }

    /// A connection that cannot succeed however often it is tried: refused, or a host name with
    /// no address. Named with its host and port.
    static func unreachable(_ error: Error, url: String) -> SnowflakeError? {
        let components = URLComponents(string: url)
        let host = components?.host ?? "?"
        let port = components?.port ?? (components?.scheme == "http" ? 80 : 443)
        if let io = error as? IOError, io.errnoCode == ECONNREFUSED {
            return SnowflakeError(.network, "cannot connect to \(host):\(port): the connection was refused (nothing listens there)",
                                  hint: "check the host and port (SNOWFLAKE_HOST and SNOWFLAKE_PORT, or the connection's host and port in connections.toml) and that the server is up")
        }
        if error is SocketAddressError || String(describing: error).hasPrefix("DNS error") {
            return SnowflakeError(.network, "cannot connect to \(host):\(port): no such host",
                                  hint: "check the account or host (SNOWFLAKE_ACCOUNT, SNOWFLAKE_HOST, or connections.toml); the account identifier looks like myorg-myaccount")
        }
        return nil
    }

    static func shown(_ d: Duration) -> String {
        String(format: "%.1f s", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    static func isRetryable(status: Int) -> Bool { status >= 500 || status == 408 || status == 429 }

    static func url(baseURL: String, path: String, query: [(String, String)]) -> String {
        var url = path.hasPrefix("http://") || path.hasPrefix("https://") ? path : baseURL + path
        if !query.isEmpty {
            var allowed = CharacterSet.urlQueryAllowed
            allowed.remove(charactersIn: "&=+?/")
            let encoded = query.map {
                "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)"
            }
            url += (url.contains("?") ? "&" : "?") + encoded.joined(separator: "&")
        }
        return url
    }

    /// Presigned URLs carry credentials in their query; logs and errors show only the path.
    static func redactedPath(_ path: String) -> String {
        guard let query = path.firstIndex(of: "?") else { return path }
        return String(path[..<query]) + "?…"
    }
}

/// One client for the process. Connection failures fail the attempt at once, because
/// `HTTPTransport` retries them itself with backoff; left on, AsyncHTTPClient would keep
/// reconnecting until the request deadline and a dead host would cost the whole timeout per attempt.
private let snowflakeHTTPClient: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.timeout.connect = .seconds(20)
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()

/// Where retries are announced: `spark` sets a handler that prints a line on a terminal. Off
/// by default (the library logs retries at debug level either way).
public enum RetryNotices {
    private static let handler = Mutex<(@Sendable (String) -> Void)?>(nil)

    public static func set(_ h: (@Sendable (String) -> Void)?) {
        handler.withLock { $0 = h }
    }

    static func say(_ line: String) {
        handler.withLock { $0 }?(line)
    }
}
