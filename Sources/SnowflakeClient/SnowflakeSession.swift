import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1

/// Where a session landed after login, as the server reports it.
public struct SessionInfo: Sendable, Equatable {
    public var account: String
    public var user: String
    public var database: String?
    public var schema: String?
    public var warehouse: String?
    public var role: String?
    public var serverVersion: String?
}

/// A logged-in Snowflake session speaking the connector HTTP protocol.
///
/// ```swift
/// let session = try await SnowflakeSession.connect(config, logger: logger)
/// let result = try await session.execute("SELECT CURRENT_VERSION()")
/// await session.close()
/// ```
///
/// Every request carries `Authorization: Snowflake Token="…"`. An expired session (code 390112)
/// is renewed with the master token and the request sent again.
public actor SnowflakeSession {
    /// Where the session landed.
    public nonisolated let info: SessionInfo
    private let config: ConnectionConfig
    private let transport: HTTPTransport
    private let logger: Logger
    private var sessionToken: String
    private var masterToken: String?
    private var sequenceId = 0
    private var closed = false

    static let sessionExpiredCode = "390112"
    static let queryInProgressCodes: Set<String> = ["333333", "333334"]

    private init(config: ConnectionConfig, transport: HTTPTransport, logger: Logger, login: LoginResponseData, token: String) {
        self.config = config
        self.transport = transport
        self.logger = logger
        self.sessionToken = token
        self.masterToken = login.masterToken
        self.info = SessionInfo(
            account: config.account, user: config.user,
            database: login.sessionInfo?.databaseName ?? config.database,
            schema: login.sessionInfo?.schemaName ?? config.schema,
            warehouse: login.sessionInfo?.warehouseName ?? config.warehouse,
            role: login.sessionInfo?.roleName ?? config.role, serverVersion: login.serverVersion)
    }

    /// Logs in (`/session/v1/login-request`) with the configured authenticator.
    /// - Throws: ``SnowflakeError``: `authentication` when Snowflake refuses, `network` when it cannot be reached.
    public static func connect(_ config: ConnectionConfig, logger: Logger = Logger(label: "snowflake.client"))
        async throws -> SnowflakeSession
    {
        let scrubber = SecretScrubber(config.secrets)
        let transport = HTTPTransport(
            baseURL: config.baseURL, retryPolicy: config.retryPolicy, logger: logger, scrubber: scrubber)
        var body = LoginRequest.Body(
            CLIENT_APP_ID: "SwiftSnowflakeClient", CLIENT_APP_VERSION: "0.1.0", ACCOUNT_NAME: config.account,
            LOGIN_NAME: config.user, CLIENT_ENVIRONMENT: ["APPLICATION": "SwiftSnowflakeClient", "OS": osName],
            SESSION_PARAMETERS: config.sessionParameters)
        var keyPair: KeyPairCredential?
        switch config.authenticator {
        case .password:
            guard let password = config.password else {
                throw SnowflakeError(.configuration, "password authentication needs a password")
            }
            body.PASSWORD = password
        case .keyPair:
            if let pem = config.privateKeyPEM {
                keyPair = try KeyPairCredential(pem: pem, passphrase: config.privateKeyPassphrase)
            } else if let file = config.privateKeyFile {
                // A private key others can read is no longer private, as connections.toml's secrets.
                try ConnectionResolver.checkPermissions(of: file)
                keyPair = try KeyPairCredential(file: file, passphrase: config.privateKeyPassphrase)
            } else {
                throw SnowflakeError(.configuration, "key-pair authentication needs a private key file")
            }
            body.AUTHENTICATOR = Authenticator.keyPair.rawValue
            logger.debug("signing login JWTs", metadata: ["fingerprint": "\(keyPair!.publicKeyFingerprint)"])
        case .programmaticAccessToken:
            guard let token = config.token else {
                throw SnowflakeError(.configuration, "programmatic access token authentication needs a token")
            }
            body.AUTHENTICATOR = Authenticator.programmaticAccessToken.rawValue
            body.TOKEN = token
        }
        var query: [(String, String)] = []
        for (name, value) in [
            ("databaseName", config.database), ("schemaName", config.schema), ("warehouse", config.warehouse),
            ("roleName", config.role),
        ] {
            if let value { query.append((name, value)) }
        }
        logger.debug(
            "logging in", metadata: ["account": "\(config.account)", "user": "\(config.user)", "authenticator": "\(config.authenticator.rawValue)"])
        let answer = try await transport.send(
            .POST, "/session/v1/login-request", query: query, requestId: UUID(),
            headers: [("Content-Type", "application/json"), ("Accept", "application/json")]
        ) {
            // A JWT lives 60 seconds, so each attempt signs a new one.
            var attempt = body
            if let keyPair { attempt.TOKEN = try keyPair.jwt(account: config.account, user: config.user) }
            return Array(try JSONEncoder().encode(LoginRequest(data: attempt)))
        }
        let envelope: ResponseEnvelope<LoginResponseData> = try decode(answer, what: "login", scrubber: scrubber)
        guard envelope.success == true, let data = envelope.data, let token = data.token else {
            throw SnowflakeError(
                .authentication,
                "login of user \(config.user) to account \(config.account) refused: "
                    + scrubber.scrub(envelope.message ?? "HTTP \(answer.status)"),
                code: envelope.code?.value)
        }
        logger.debug("logged in", metadata: ["account": "\(config.account)", "user": "\(config.user)"])
        return SnowflakeSession(config: config, transport: transport, logger: logger, login: data, token: token)
    }

    /// Runs one SQL statement and returns its typed result.
    ///
    /// A `PUT file://<path> @<stage>[/<path>]` statement uploads the file as the official drivers do:
    /// gzip when asked, SHA-256 digest, then the upload the server's stage location calls for; its
    /// result rows are the drivers' (`source`, `target`, sizes, compressions, `status`, `message`).
    /// - Throws: ``SnowflakeError`` with Snowflake's code, SQL state and query id when the statement fails.
    public func execute(_ sql: String) async throws -> QueryResult {
        guard !closed else { throw SnowflakeError(.configuration, "the session is closed") }
        if let put = try PutStatement(parsing: sql) {
            return try await upload(put)
        }
        if let get = try GetStatement(parsing: sql) {
            return try await download(get)
        }
        return try await result(from: try await query(sql))
    }

    /// Logs out (`/session?delete=true`). Errors are logged, not thrown: there is nothing left to do.
    public func close() async {
        guard !closed else { return }
        closed = true
        do {
            _ = try await transport.send(
                .POST, "/session", query: [("delete", "true")], requestId: UUID(), headers: authorizedHeaders())
            logger.debug("session closed")
        } catch {
            logger.warning("closing the session failed: \(error)")
        }
    }

    // MARK: Queries

    /// The statement being waited for: what an abort request names.
    private var running: (requestId: UUID, sql: String)?

    /// Asks the server to cancel the statement this session is waiting for (`/queries/v1/abort-request`,
    /// as the official drivers do); the wait then ends with the server's cancellation error.
    /// Errors are logged: a statement that ended meanwhile needs no abort.
    public func abortRunningQuery() async {
        guard let (requestId, sql) = running else { return }
        struct Abort: Encodable { var sqlText: String; var requestId: String }
        do {
            let body = Array(try JSONEncoder().encode(Abort(sqlText: sql, requestId: requestId.uuidString.lowercased())))
            _ = try await transport.send(.POST, "/queries/v1/abort-request", requestId: UUID(), headers: authorizedHeaders(), body: body)
            logger.debug("abort requested", metadata: ["requestId": "\(requestId)"])
        } catch {
            logger.warning("the abort request failed: \(error)")
        }
    }

    /// Sends one statement and waits for its answer, polling while it runs.
    func query(_ sql: String) async throws -> QueryResponseData {
        sequenceId += 1
        let request = QueryRequest(
            sqlText: sql, asyncExec: false, sequenceId: sequenceId,
            querySubmissionTime: Int64(Date().timeIntervalSince1970 * 1000), isInternal: false, describeOnly: false)
        let requestId = UUID()
        running = (requestId, sql)
        defer { running = nil }
        logger.trace("query", metadata: ["sql": "\(sql)"])
        var envelope: ResponseEnvelope<QueryResponseData> = try await authorized(
            .POST, "/queries/v1/query-request", requestId: requestId, body: Array(try JSONEncoder().encode(request)))
        var polls = 0
        while let code = envelope.code?.value, Self.queryInProgressCodes.contains(code) {
            guard let resultURL = envelope.data?.getResultUrl else {
                throw SnowflakeError(.protocolViolation, "query in progress (\(code)) without a result URL")
            }
            // The server holds each poll open for a while itself; pause briefly between polls anyway.
            polls += 1
            try await Task.sleep(for: .milliseconds(min(1000, 25 << min(polls, 6))))
            envelope = try await authorized(.GET, resultURL, requestId: UUID(), body: nil)
        }
        let data = envelope.data
        guard envelope.success == true, let data else {
            throw SnowflakeError(
                .query, transport.scrubber.scrub(envelope.message ?? "the statement failed without a message"),
                code: envelope.code?.value ?? data?.errorCode?.value, sqlState: data?.sqlState, queryId: data?.queryId)
        }
        logger.debug("query done", metadata: ["queryId": "\(data.queryId ?? "")"])
        return data
    }

    private func result(from data: QueryResponseData) async throws -> QueryResult {
        let columns = ResultDecoding.columns(data.rowtype ?? [])
        var rows: [[SnowflakeValue?]] = []
        let isArrow = data.queryResultFormat?.lowercased() == "arrow"
        if isArrow {
            if let base64 = data.rowsetBase64, !base64.isEmpty {
                guard let bytes = Data(base64Encoded: base64) else {
                    throw SnowflakeError(.protocolViolation, "rowsetBase64 is not valid base64", queryId: data.queryId)
                }
                rows = try decodeArrow(Array(bytes), columns: columns, queryId: data.queryId)
            }
        } else {
            rows = try ResultDecoding.jsonRows(data.rowset ?? [], columns: columns)
        }
        for chunk in data.chunks ?? [] {
            rows += try await downloadChunk(chunk, data: data, columns: columns, isArrow: isArrow)
        }
        return QueryResult(queryId: data.queryId ?? "", columns: columns, rows: rows, statementTypeId: data.statementTypeId)
    }

    private func decodeArrow(_ bytes: [UInt8], columns: [ColumnMetadata], queryId: String?) throws -> [[SnowflakeValue?]] {
        do {
            return try ResultDecoding.arrowRows(try ArrowStreamReader.read(bytes), columns: columns)
        } catch let error as ArrowReadError {
            throw SnowflakeError(.protocolViolation, error.description, queryId: queryId)
        }
    }

    /// Large results come in chunks on cloud storage: JSON rows without the outer brackets, or Arrow streams.
    private func downloadChunk(_ chunk: ChunkReference, data: QueryResponseData, columns: [ColumnMetadata], isArrow: Bool)
        async throws -> [[SnowflakeValue?]]
    {
        var headers = (data.chunkHeaders ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if headers.isEmpty, let key = data.qrmk {
            headers = [
                ("x-amz-server-side-encryption-customer-algorithm", "AES256"),
                ("x-amz-server-side-encryption-customer-key", key),
            ]
        }
        let answer = try await transport.send(.GET, chunk.url, headers: headers)
        guard answer.status == 200 else {
            throw SnowflakeError(.network, "downloading a result chunk failed with HTTP \(answer.status)", queryId: data.queryId)
        }
        let body = try Gzip.isCompressed(answer.body) ? Gzip.decompress(answer.body) : answer.body
        if isArrow { return try decodeArrow(body, columns: columns, queryId: data.queryId) }
        let rowset = try JSONDecoder().decode([[String?]].self, from: Data("[".utf8 + body + "]".utf8))
        return try ResultDecoding.jsonRows(rowset, columns: columns)
    }

    // MARK: Authorized requests and session renewal

    private func authorizedHeaders() -> [(String, String)] {
        [
            ("Authorization", "Snowflake Token=\"\(sessionToken)\""), ("Content-Type", "application/json"),
            ("Accept", "application/snowflake"),
        ]
    }

    /// Sends a request with the session token; on 390112 renews the session and sends it again,
    /// with the same request id.
    private func authorized<Payload: Decodable & Sendable>(
        _ method: HTTPMethod, _ path: String, requestId: UUID, body: [UInt8]?
    ) async throws -> ResponseEnvelope<Payload> {
        var renewed = false
        while true {
            let answer = try await transport.send(method, path, requestId: requestId, headers: authorizedHeaders(), body: body)
            let envelope: ResponseEnvelope<Payload> = try Self.decode(answer, what: path, scrubber: transport.scrubber)
            guard envelope.code?.value == Self.sessionExpiredCode, !renewed else { return envelope }
            try await renewSession()
            renewed = true
        }
    }

    /// Exchanges the master token for a new session token (`/session/token-request`).
    private func renewSession() async throws {
        guard let masterToken else {
            throw SnowflakeError(.authentication, "the session expired and the server gave no master token to renew it; log in again", code: Self.sessionExpiredCode)
        }
        logger.debug("renewing the session")
        let answer = try await transport.send(
            .POST, "/session/token-request", requestId: UUID(),
            headers: [
                ("Authorization", "Snowflake Token=\"\(masterToken)\""), ("Content-Type", "application/json"),
                ("Accept", "application/json"),
            ],
            body: Array(try JSONEncoder().encode(TokenRequest(oldSessionToken: sessionToken, requestType: "RENEW"))))
        let envelope: ResponseEnvelope<TokenResponseData> = try Self.decode(
            answer, what: "session renewal", scrubber: transport.scrubber)
        guard envelope.success == true, let token = envelope.data?.sessionToken else {
            throw SnowflakeError(
                .authentication, "renewing the session failed: " + transport.scrubber.scrub(envelope.message ?? "no message"),
                code: envelope.code?.value)
        }
        sessionToken = token
        if let master = envelope.data?.masterToken { self.masterToken = master }
    }

    static func decode<Payload: Decodable & Sendable>(_ answer: HTTPAnswer, what: String, scrubber: SecretScrubber) throws
        -> ResponseEnvelope<Payload>
    {
        do {
            return try JSONDecoder().decode(ResponseEnvelope<Payload>.self, from: Data(answer.body))
        } catch {
            let kind: SnowflakeError.Kind = answer.status == 200 ? .protocolViolation : .network
            throw SnowflakeError(kind, "\(what): HTTP \(answer.status) with an answer that is not the expected JSON")
        }
    }

    // MARK: PUT

    /// Sizes of streaming stage transfers; tests lower them to exercise multipart uploads.
    var transferSizes = StageTransferSizes.standard

    func setTransferSizes(_ sizes: StageTransferSizes) { transferSizes = sizes }

    private func upload(_ put: PutStatement) async throws -> QueryResult {
        let files = try put.localFiles()
        let first = try await query(put.sql)
        guard first.command?.uppercased() == "UPLOAD" else {
            throw SnowflakeError(.unsupported, "the server answered PUT with command \(first.command ?? "none")", queryId: first.queryId)
        }
        var rows: [[SnowflakeValue?]] = []
        var answer = first
        for file in files {
            let staged = try StagedFile.prepare(
                path: file, autoCompress: first.autoCompress ?? true, sourceCompression: first.sourceCompression ?? "auto_detect")
            defer { staged.removeTemporaryFile() }
            var location = try StageLocation(answer.stageInfo, encryptionMaterial: answer.encryptionMaterial)
            if location.needsPresignedURLPerFile {
                // A presigned URL names one object: ask again with the destination file name, as the drivers do.
                answer = try await query(put.replacingLocalFile(with: staged.destinationName))
                location = try StageLocation(answer.stageInfo, encryptionMaterial: answer.encryptionMaterial)
            }
            do {
                try await StageStorages.client(for: location, transport: transport, sizes: transferSizes).upload(staged, to: location)
            } catch is StageCredentialsExpired {
                // Temporary credentials (or the presigned URL) expired: ask the server for fresh ones, once per file.
                logger.debug("stage credentials expired; asking for new ones", metadata: ["file": "\(staged.destinationName)"])
                answer = try await query(location.needsPresignedURLPerFile ? put.replacingLocalFile(with: staged.destinationName) : put.sql)
                location = try StageLocation(answer.stageInfo, encryptionMaterial: answer.encryptionMaterial)
                do {
                    try await StageStorages.client(for: location, transport: transport, sizes: transferSizes).upload(staged, to: location)
                } catch is StageCredentialsExpired {
                    throw SnowflakeError(
                        .fileTransfer, "PUT \(staged.sourcePath): the stage's credentials expired twice in a row; run the PUT again",
                        queryId: answer.queryId)
                }
            }
            logger.debug("uploaded", metadata: ["file": "\(staged.destinationName)", "bytes": "\(staged.uploadSize)"])
            rows.append(staged.resultRow(status: "UPLOADED"))
        }
        return QueryResult(queryId: first.queryId ?? "", columns: StagedFile.resultColumns, rows: rows, statementTypeId: first.statementTypeId)
    }

    /// `GET @stage/path file://dir`: downloads each file the server lists into `dir`, decrypting it
    /// and checking its `sfc-digest`. Result rows: `file`, `size`, `status`, `message`.
    private func download(_ get: GetStatement) async throws -> QueryResult {
        var answer = try await query(get.sql)
        guard answer.command?.uppercased() == "DOWNLOAD" else {
            throw SnowflakeError(.unsupported, "the server answered GET with command \(answer.command ?? "none")", queryId: answer.queryId)
        }
        let directory = (get.localDirectory as NSString).expandingTildeInPath
        var rows: [[SnowflakeValue?]] = []
        let names = answer.src_locations ?? []
        for (index, name) in names.enumerated() {
            let target = (directory as NSString).appendingPathComponent((name as NSString).lastPathComponent)
            var size = 0
            for attempt in 1...2 {
                var location = try StageLocation(answer.stageInfo, encryptionMaterial: answer.encryptionMaterial)
                if let urls = answer.presignedUrls, index < urls.count, !urls[index].isEmpty { location.presignedURL = urls[index] }
                let material = index < location.fileMaterials.count ? location.fileMaterials[index] : location.encryptionMaterial
                do {
                    size = try await StageStorages.client(for: location, transport: transport, sizes: transferSizes)
                        .download(name, from: location, material: material, to: target)
                    break
                } catch is StageCredentialsExpired {
                    guard attempt == 1 else {
                        throw SnowflakeError(.fileTransfer, "GET \(name): the stage's credentials expired twice in a row; run the GET again")
                    }
                    answer = try await query(get.sql)
                }
            }
            rows.append([.string((name as NSString).lastPathComponent), .int(Int64(size)), .string("DOWNLOADED"), .string("")])
        }
        let columns = [
            ColumnMetadata(name: "file", type: "TEXT"), ColumnMetadata(name: "size", type: "FIXED", precision: 38, scale: 0),
            ColumnMetadata(name: "status", type: "TEXT"), ColumnMetadata(name: "message", type: "TEXT"),
        ]
        return QueryResult(queryId: answer.queryId ?? "", columns: columns, rows: rows, statementTypeId: answer.statementTypeId)
    }
}

#if os(Linux)
private let osName = "Linux"
#elseif os(macOS)
private let osName = "Darwin"
#else
private let osName = "Other"
#endif
