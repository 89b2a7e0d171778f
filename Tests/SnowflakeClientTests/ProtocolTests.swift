import Foundation
import Testing

@testable import SnowflakeClient

/// Retries, session renewal, polling and JSON results, against the scripted loopback server.
@Suite struct ProtocolTests {
    static func query(_ request: [String: Any]) -> [String: String] {
        request["query"] as? [String: String] ?? [:]
    }

    @Test func aDroppedAttemptIsRetriedWithTheSameRequestId() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let session = try await SnowflakeSession.connect(server.config())
        let result = try await session.execute("SELECT 'drop'")
        #expect(result.rows == [[.string("SELECT 'drop'")]])

        let attempts = try server.queryRequests("SELECT 'drop'")
        try #require(attempts.count == 2)
        let first = Self.query(attempts[0])
        let second = Self.query(attempts[1])
        #expect(first["requestId"] != nil)
        #expect(first["requestId"] == second["requestId"])
        #expect(first["request_guid"] != nil && second["request_guid"] != nil)
        #expect(first["request_guid"] != second["request_guid"])
        #expect(second["retryCount"] == "1")

        // A later statement gets a new request id.
        _ = try await session.execute("SELECT 'next'")
        let next = Self.query(try server.queryRequests("SELECT 'next'")[0])
        #expect(next["requestId"] != first["requestId"])
        await session.close()
    }

    @Test func http503IsRetried() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let session = try await SnowflakeSession.connect(server.config())
        #expect(try await session.execute("SELECT 'busy'").rows == [[.string("SELECT 'busy'")]])
        let attempts = try server.queryRequests("SELECT 'busy'")
        #expect(attempts.count == 2)
        #expect(Set(attempts.map { Self.query($0)["requestId"] }).count == 1)
        await session.close()
    }

    @Test func retriesAreBounded() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let session = try await SnowflakeSession.connect(server.config())
        let error = try await #require(throws: SnowflakeError.self) { try await session.execute("SELECT 'always busy'") }
        // Bounded by attempts, not timed: a wall-clock bound failed on a busy CI machine. The
        // last attempt's 503 answer is the error.
        #expect(error.message.contains("busy"), "\(error.message)")
        #expect(try server.queryRequests("SELECT 'always busy'").count == 3)
        await session.close()
    }

    @Test func aRefusedConnectionIsNotRetried() async throws {
        // Nothing listens on this port once the server is stopped.
        let server = try LoopbackServer()
        let config = server.config()
        server.stop()
        let error = try await #require(throws: SnowflakeError.self) { try await SnowflakeSession.connect(config) }
        #expect(error.kind == .network)
        #expect(error.message.contains("cannot connect to 127.0.0.1:\(config.port!): the connection was refused"), "\(error.message)")
        #expect(!error.message.contains("attempts"), "refused is final: no retries")
    }

    @Test func anExpiredSessionIsRenewedWithTheMasterToken() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let session = try await SnowflakeSession.connect(server.config())
        #expect(try await session.execute("SELECT 'expire'").rows == [[.string("SELECT 'expire'")]])
        let renewals = try server.requests().filter { $0["path"] as? String == "/session/token-request" }
        try #require(renewals.count == 1)
        #expect(renewals[0]["authorization"] as? String == "Snowflake Token=\"master-token-1\"")
        #expect((renewals[0]["body"] as? [String: Any])?["requestType"] as? String == "RENEW")
        let attempts = try server.queryRequests("SELECT 'expire'")
        try #require(attempts.count == 2)
        #expect(attempts[0]["authorization"] as? String == "Snowflake Token=\"session-token-1\"")
        #expect(attempts[1]["authorization"] as? String == "Snowflake Token=\"session-token-2\"")
        #expect(Self.query(attempts[0])["requestId"] == Self.query(attempts[1])["requestId"])
        // Later requests use the new token.
        _ = try await session.execute("SELECT 'after'")
        #expect(try server.queryRequests("SELECT 'after'")[0]["authorization"] as? String == "Snowflake Token=\"session-token-2\"")
        await session.close()
        let close = try server.requests().last
        #expect(close?["path"] as? String == "/session")
        #expect(Self.query(close ?? [:])["delete"] == "true")
    }

    @Test func runningQueriesArePolled() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let session = try await SnowflakeSession.connect(server.config())
        #expect(try await session.execute("SELECT 'poll'").rows == [[.string("polled")]])
        let polls = try server.requests().filter { $0["path"] as? String == "/queries/q-poll/result" }
        #expect(polls.count == 3)
        #expect(polls.allSatisfy { $0["method"] as? String == "GET" && $0["authorization"] as? String == "Snowflake Token=\"session-token-1\"" })
        await session.close()
    }

    @Test func jsonRowsetsDecodeEveryType() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let session = try await SnowflakeSession.connect(server.config())
        let result = try await session.execute("SELECT 'types'")
        #expect(result.rows.count == 2)
        let expected: [SnowflakeValue?] = [
            .int(-42), .decimal(SnowflakeDecimal(text: "-1.50", scale: 2)), .double(2.5), .bool(true),
            .date(SnowflakeDate(daysSinceEpoch: 19782)), .time(nanosecondsSinceMidnight: 3_723_000_000_001),
            .timestampNTZ(SnowflakeTimestamp(epochSeconds: -2, nanoseconds: 500_000_000)),
            .timestampLTZ(SnowflakeTimestamp(epochSeconds: 1_700_000_000, nanoseconds: 0)),
            .timestampTZ(SnowflakeTimestamp(epochSeconds: 1_700_000_000, nanoseconds: 5), offsetMinutes: 60),
            .binary([0xCA, 0xFE]), .semiStructured("{\"a\": 1}"), .string("x"),
        ]
        #expect(result.rows[0] == expected)
        #expect(result.rows[1] == Array(repeating: nil, count: 12))
        #expect(result.rows[0][8]?.description == "2023-11-14 23:13:20.000000005 +01:00")
        await session.close()
    }

    @Test func resultChunksAreDownloadedWithTheirHeaders() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let session = try await SnowflakeSession.connect(server.config())
        let result = try await session.execute("SELECT 'chunks'")
        #expect(result.rows == [[.string("a")], [.string("b")], [.string("c")]])
        let chunk = try server.requests().first { $0["path"] as? String == "/chunks/1" }
        #expect(chunk?["chunk_header"] as? String == "yes")
        // Chunk requests go to storage, not Snowflake: they must not carry the session token.
        #expect(chunk?["authorization"] is NSNull)
        await session.close()
    }
}
