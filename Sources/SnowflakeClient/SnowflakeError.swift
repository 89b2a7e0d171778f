import Foundation

/// An error from the Snowflake client.
///
/// Every error carries what Snowflake reported (code, SQL state, query id) when there is one.
/// The message never contains a password, token or key material: server text is scrubbed of
/// the session's secrets before it is stored here.
public struct SnowflakeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What part of the client failed.
    public enum Kind: String, Sendable, Equatable {
        /// The connection settings are missing, contradictory or unsafe.
        case configuration
        /// Snowflake refused the login, or the credentials could not be prepared.
        case authentication
        /// A statement failed on the server.
        case query
        /// The server could not be reached or kept failing after the retries.
        case network
        /// The server answered something this client does not understand.
        case protocolViolation = "protocol"
        /// Reading, compressing or uploading a file for `PUT` failed.
        case fileTransfer = "file transfer"
        /// The server asked for something this client does not implement yet.
        case unsupported
    }

    public var kind: Kind
    /// Snowflake's error code, such as `001003` for a syntax error, when the server sent one.
    public var code: String?
    /// The ANSI SQL state, such as `42000`, when the server sent one.
    public var sqlState: String?
    /// The id of the query that failed, when the server assigned one.
    public var queryId: String?
    /// A short, specific description without secrets.
    public var message: String
    /// What to do about it, when the client knows.
    public var hint: String?

    public init(
        _ kind: Kind, _ message: String, code: String? = nil, sqlState: String? = nil, queryId: String? = nil, hint: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.code = code
        self.sqlState = sqlState
        self.queryId = queryId
    }

    public var description: String {
        var details: [String] = []
        if let code { details.append("code \(code)") }
        if let sqlState { details.append("SQL state \(sqlState)") }
        if let queryId { details.append("query \(queryId)") }
        let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
        return "snowflake: \(kind.rawValue) error\(suffix): \(message)" + (hint.map { "\nhint: \($0)" } ?? "")
    }
}

/// Removes known secret strings from text that came from elsewhere (server messages, HTTP errors),
/// so that an echoing server or library can never leak them into an error or a log line.
struct SecretScrubber: Sendable {
    private let secrets: [String]

    init(_ secrets: [String?]) {
        // Very short strings would blank out ordinary words; real secrets are longer.
        self.secrets = secrets.compactMap { $0 }.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    func scrub(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "****") }
    }
}
