import Foundation

/// How the client proves who it is at login.
public enum Authenticator: String, Sendable, Equatable, CaseIterable {
    /// User name and password.
    case password = "SNOWFLAKE"
    /// Key-pair authentication: a JWT signed with the user's RSA private key (RS256).
    case keyPair = "SNOWFLAKE_JWT"
    /// A programmatic access token (PAT).
    case programmaticAccessToken = "PROGRAMMATIC_ACCESS_TOKEN"

    /// Parses the spellings Snowflake's drivers and CLI accept, case-insensitively.
    public init?(name: String) {
        switch name.uppercased() {
        case "SNOWFLAKE", "PASSWORD": self = .password
        case "SNOWFLAKE_JWT", "JWT", "KEYPAIR", "KEY_PAIR": self = .keyPair
        case "PROGRAMMATIC_ACCESS_TOKEN", "PAT": self = .programmaticAccessToken
        default: return nil
        }
    }
}

/// A JSON value for a login session parameter, such as `QUERY_TAG` or fakesnow's `nop_regexes`.
public enum SessionParameterValue: Sendable, Equatable, Encodable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case strings([String])

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .strings(let value): try container.encode(value)
        }
    }
}

/// Bounded retries with jittered exponential backoff, for connection errors and HTTP 5xx, 408 and 429.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts per request, including the first.
    public var maxAttempts: Int
    /// The delay before the second attempt; it doubles for each later attempt.
    public var baseDelay: Duration
    /// The longest delay between two attempts.
    public var maxDelay: Duration
    /// How long one HTTP attempt may take. Long queries do not need more: Snowflake answers
    /// 333333 ("in progress") well within it and the client polls.
    public var requestTimeout: Duration

    public init(
        maxAttempts: Int = 7, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(16),
        requestTimeout: Duration = .seconds(120)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.requestTimeout = requestTimeout
    }

    /// The delay before attempt `attempt + 1`: full jitter over an exponentially growing cap.
    func delay(afterAttempt attempt: Int) -> Duration {
        let cap = min(maxDelay, baseDelay * (1 << min(attempt - 1, 20)))
        let capMilliseconds = max(1, Int(cap.components.seconds * 1000 + cap.components.attoseconds / 1_000_000_000_000_000))
        return .milliseconds(Int.random(in: capMilliseconds / 2...capMilliseconds))
    }
}

/// Everything needed to open a Snowflake session.
///
/// Build one directly, or with ``ConnectionResolver`` from flags, `SNOWFLAKE_*` environment
/// variables and `connections.toml`. Its `description` never shows a secret.
public struct ConnectionConfig: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The account identifier, such as `myorg-myaccount` or `xy12345.eu-west-1`.
    public var account: String
    /// The login name.
    public var user: String
    public var authenticator: Authenticator
    /// The password, for ``Authenticator/password``.
    public var password: String?
    /// A PEM file holding the RSA private key (PKCS#1, PKCS#8, or encrypted PKCS#8), for ``Authenticator/keyPair``.
    public var privateKeyFile: String?
    /// The passphrase of an encrypted private key file.
    public var privateKeyPassphrase: String?
    /// A PEM private key given inline instead of by file.
    public var privateKeyPEM: String?
    /// The programmatic access token, for ``Authenticator/programmaticAccessToken``.
    public var token: String?
    /// The server host. Defaults to `<account>.snowflakecomputing.com`.
    public var host: String?
    /// The server port. Defaults to 443 for https and 80 for http.
    public var port: Int?
    /// `https` (the default) or `http` (only for local emulators such as fakesnow).
    public var `protocol`: String?
    public var database: String?
    public var schema: String?
    public var warehouse: String?
    public var role: String?
    /// Parameters sent in the login request's `SESSION_PARAMETERS`.
    public var sessionParameters: [String: SessionParameterValue]
    public var retryPolicy: RetryPolicy

    public init(
        account: String, user: String, authenticator: Authenticator = .password, password: String? = nil,
        privateKeyFile: String? = nil, privateKeyPassphrase: String? = nil, privateKeyPEM: String? = nil,
        token: String? = nil, host: String? = nil, port: Int? = nil, protocol: String? = nil,
        database: String? = nil, schema: String? = nil, warehouse: String? = nil, role: String? = nil,
        sessionParameters: [String: SessionParameterValue] = [:], retryPolicy: RetryPolicy = RetryPolicy()
    ) {
        self.account = account
        self.user = user
        self.authenticator = authenticator
        self.password = password
        self.privateKeyFile = privateKeyFile
        self.privateKeyPassphrase = privateKeyPassphrase
        self.privateKeyPEM = privateKeyPEM
        self.token = token
        self.host = host
        self.port = port
        self.protocol = `protocol`
        self.database = database
        self.schema = schema
        self.warehouse = warehouse
        self.role = role
        self.sessionParameters = sessionParameters
        self.retryPolicy = retryPolicy
    }

    /// The scheme, host and port requests go to.
    public var baseURL: String {
        let scheme = (self.protocol ?? "https").lowercased()
        let host = self.host ?? "\(account).snowflakecomputing.com"
        let port = self.port ?? (scheme == "http" ? 80 : 443)
        return "\(scheme)://\(host):\(port)"
    }

    /// Every secret this configuration holds, for scrubbing text from elsewhere.
    var secrets: [String?] { [password, privateKeyPassphrase, token, privateKeyPEM] }

    public var description: String {
        var parts = ["account=\(account)", "user=\(user)", "authenticator=\(authenticator.rawValue)", "url=\(baseURL)"]
        for (name, value) in [("database", database), ("schema", schema), ("warehouse", warehouse), ("role", role)] {
            if let value { parts.append("\(name)=\(value)") }
        }
        if password != nil { parts.append("password=****") }
        if token != nil { parts.append("token=****") }
        if let privateKeyFile { parts.append("private_key_file=\(privateKeyFile)") }
        if privateKeyPEM != nil { parts.append("private_key=****") }
        if privateKeyPassphrase != nil { parts.append("private_key_passphrase=****") }
        return "ConnectionConfig(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }
}

extension ConnectionConfig: CustomReflectable {
    /// `dump()` and debuggers see only the redacted description, never the secret fields.
    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}
