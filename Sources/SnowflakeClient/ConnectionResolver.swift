import Foundation
import TOMLKit

/// Connection settings where every field may be missing: one layer of configuration
/// (flags, the environment, or one `connections.toml` table) before the layers are merged.
public struct ConnectionSettings: Sendable, Equatable {
    public var account: String?
    public var user: String?
    public var authenticator: String?
    public var password: String?
    public var privateKeyFile: String?
    public var privateKeyPassphrase: String?
    public var token: String?
    public var host: String?
    public var port: Int?
    public var `protocol`: String?
    public var database: String?
    public var schema: String?
    public var warehouse: String?
    public var role: String?
    public var sessionParameters: [String: SessionParameterValue] = [:]
    /// Seconds one HTTP attempt may take before it is retried (`request_timeout`, default 120).
    public var requestTimeout: Int?

    public init(
        account: String? = nil, user: String? = nil, authenticator: String? = nil, password: String? = nil,
        privateKeyFile: String? = nil, privateKeyPassphrase: String? = nil, token: String? = nil,
        host: String? = nil, port: Int? = nil, protocol: String? = nil, database: String? = nil,
        schema: String? = nil, warehouse: String? = nil, role: String? = nil,
        sessionParameters: [String: SessionParameterValue] = [:]
    ) {
        self.account = account
        self.user = user
        self.authenticator = authenticator
        self.password = password
        self.privateKeyFile = privateKeyFile
        self.privateKeyPassphrase = privateKeyPassphrase
        self.token = token
        self.host = host
        self.port = port
        self.protocol = `protocol`
        self.database = database
        self.schema = schema
        self.warehouse = warehouse
        self.role = role
        self.sessionParameters = sessionParameters
    }

    /// These settings, with every field they lack taken from `fallback`.
    public func overlaying(_ fallback: ConnectionSettings) -> ConnectionSettings {
        var merged = ConnectionSettings(
            account: account ?? fallback.account, user: user ?? fallback.user,
            authenticator: authenticator ?? fallback.authenticator, password: password ?? fallback.password,
            privateKeyFile: privateKeyFile ?? fallback.privateKeyFile,
            privateKeyPassphrase: privateKeyPassphrase ?? fallback.privateKeyPassphrase,
            token: token ?? fallback.token, host: host ?? fallback.host, port: port ?? fallback.port,
            protocol: self.protocol ?? fallback.protocol, database: database ?? fallback.database,
            schema: schema ?? fallback.schema, warehouse: warehouse ?? fallback.warehouse, role: role ?? fallback.role,
            sessionParameters: fallback.sessionParameters.merging(sessionParameters) { _, mine in mine })
        merged.requestTimeout = requestTimeout ?? fallback.requestTimeout
        return merged
    }
}

/// Finds the connection settings to use, the way Snowflake's CLI and drivers do.
///
/// Precedence, highest first:
/// 1. explicit overrides (command-line flags);
/// 2. `SNOWFLAKE_*` environment variables: `SNOWFLAKE_ACCOUNT`, `SNOWFLAKE_USER`, `SNOWFLAKE_PASSWORD`,
///    `SNOWFLAKE_AUTHENTICATOR`, `SNOWFLAKE_PRIVATE_KEY_FILE` (or `SNOWFLAKE_PRIVATE_KEY_PATH`),
///    `SNOWFLAKE_PRIVATE_KEY_FILE_PWD` (or `SNOWFLAKE_PRIVATE_KEY_PASSPHRASE`), `SNOWFLAKE_TOKEN`,
///    `SNOWFLAKE_HOST`, `SNOWFLAKE_PORT`, `SNOWFLAKE_PROTOCOL`, `SNOWFLAKE_DATABASE`, `SNOWFLAKE_SCHEMA`,
///    `SNOWFLAKE_WAREHOUSE`, `SNOWFLAKE_ROLE`, and `SNOWFLAKE_SESSION_PARAMETERS` (a JSON object, as
///    schemachange reads it, merged over the file's `session_parameters`);
/// 3. one table of `connections.toml`, read from `$SNOWFLAKE_HOME` or else `~/.snowflake/`. The table is
///    the one named explicitly, else `$SNOWFLAKE_DEFAULT_CONNECTION_NAME`, else the file's top-level
///    `default_connection_name`, else `default`.
///
/// A `connections.toml` that group or other users may access is refused, as it holds secrets.
public struct ConnectionResolver: Sendable {
    public var environment: [String: String]
    public var homeDirectory: String

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String = FileManager.default.homeDirectoryForCurrentUser.path
    ) {
        self.environment = environment
        self.homeDirectory = homeDirectory
    }

    /// The `connections.toml` this resolver reads, whether or not it exists.
    public var connectionsFile: String {
        if let home = environment["SNOWFLAKE_HOME"], !home.isEmpty {
            return (home as NSString).appendingPathComponent("connections.toml")
        }
        return (homeDirectory as NSString).appendingPathComponent(".snowflake/connections.toml")
    }

    /// Resolves the settings and checks that they are enough to log in.
    /// - Parameters:
    ///   - connectionName: the `connections.toml` table to use; if given, it must exist.
    ///   - overrides: explicit settings, such as command-line flags; they win over everything else.
    /// - Throws: ``SnowflakeError`` of kind `configuration` naming what is missing or unsafe.
    /// - Parameter insecure: allow a password or token over `http` to a host that is not loopback.
    public func resolve(connectionName: String? = nil, overrides: ConnectionSettings = ConnectionSettings(), insecure: Bool = false)
        throws -> ConnectionConfig
    {
        let file = try fileSettings(connectionName: connectionName)
        let merged = overrides.overlaying(try environmentSettings()).overlaying(file)
        let config = try Self.config(from: merged, source: connectionsFile)
        if !insecure { try Self.refuseCleartextSecrets(config) }
        return config
    }

    /// A password or token sent over plain `http` can be read on the way; only loopback (a local
    /// test server) is exempt.
    static func refuseCleartextSecrets(_ config: ConnectionConfig) throws {
        guard config.protocol?.lowercased() == "http", config.authenticator != .keyPair else { return }
        let host = (config.host ?? "").lowercased()
        guard !["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) else { return }
        throw SnowflakeError(.configuration, "refusing to send the \(config.authenticator == .password ? "password" : "token") over http to \(host.isEmpty ? "the account" : host): it would cross the network unencrypted",
                             hint: "use https (SNOWFLAKE_PROTOCOL, or protocol in the connection), or pass --insecure if this network is trusted")
    }

    /// The settings the `SNOWFLAKE_*` environment variables give.
    /// - Throws: ``SnowflakeError`` when `SNOWFLAKE_SESSION_PARAMETERS` is not a JSON object of
    ///   strings, numbers, booleans or string arrays.
    public func environmentSettings() throws -> ConnectionSettings {
        func value(_ names: String...) -> String? {
            names.lazy.compactMap { environment["SNOWFLAKE_\($0)"] }.first { !$0.isEmpty }
        }
        var sessionParameters: [String: SessionParameterValue] = [:]
        if let json = value("SESSION_PARAMETERS") {
            sessionParameters = try Self.sessionParameters(json: json)
        }
        var settings = ConnectionSettings(
            account: value("ACCOUNT"), user: value("USER"), authenticator: value("AUTHENTICATOR"),
            password: value("PASSWORD"), privateKeyFile: value("PRIVATE_KEY_FILE", "PRIVATE_KEY_PATH"),
            privateKeyPassphrase: value("PRIVATE_KEY_FILE_PWD", "PRIVATE_KEY_PASSPHRASE"), token: value("TOKEN"),
            host: value("HOST"), port: value("PORT").flatMap { Int($0) }, protocol: value("PROTOCOL"),
            database: value("DATABASE"), schema: value("SCHEMA"), warehouse: value("WAREHOUSE"), role: value("ROLE"),
            sessionParameters: sessionParameters)
        if let text = value("REQUEST_TIMEOUT") {
            guard let seconds = Int(text), seconds >= 1 else {
                throw SnowflakeError(.configuration, "SNOWFLAKE_REQUEST_TIMEOUT must be a whole number of seconds, at least 1")
            }
            settings.requestTimeout = seconds
        }
        return settings
    }

    static func sessionParameters(json: String) throws -> [String: SessionParameterValue] {
        let invalid = SnowflakeError(
            .configuration,
            "SNOWFLAKE_SESSION_PARAMETERS must be a JSON object of strings, numbers, booleans or string arrays, such as {\"QUERY_TAG\": \"spark\"}")
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) else {
            throw invalid
        }
        return try object.mapValues { value in
            switch value {
            case .string(let string): return .string(string)
            case .bool(let bool): return .bool(bool)
            case .number(let number): return number == number.rounded() && abs(number) < 1e15 ? .int(Int(number)) : .double(number)
            case .array(let items):
                let strings = items.compactMap { item -> String? in
                    if case .string(let string) = item { return string }
                    return nil
                }
                guard strings.count == items.count else { throw invalid }
                return .strings(strings)
            default: throw invalid
            }
        }
    }

    /// The settings of one `connections.toml` table; empty when there is no file and no name was asked for.
    public func fileSettings(connectionName: String? = nil) throws -> ConnectionSettings {
        let path = connectionsFile
        guard FileManager.default.fileExists(atPath: path) else {
            if let connectionName {
                throw SnowflakeError(
                    .configuration, "connection '\(connectionName)' was asked for, but \(path) does not exist")
            }
            return ConnectionSettings()
        }
        try Self.checkPermissions(of: path)
        let text: String
        let document: TOMLTable
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
            document = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw SnowflakeError(
                .configuration, "\(path):\(error.source.begin.line): invalid TOML; fix the file and try again")
        } catch {
            throw SnowflakeError(.configuration, "cannot read \(path): \(error.localizedDescription)")
        }
        let name =
            connectionName ?? environment["SNOWFLAKE_DEFAULT_CONNECTION_NAME"]
            ?? document["default_connection_name"]?.string ?? "default"
        guard let table = document[name]?.table else {
            if connectionName == nil && document["default_connection_name"] == nil { return ConnectionSettings() }
            let known = document.keys.filter { document[$0]?.table != nil }.sorted()
            throw SnowflakeError(
                .configuration,
                "\(path) has no connection [\(name)]; known connections: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
            )
        }
        return try Self.settings(from: table, name: name, path: path)
    }

    static func settings(from table: TOMLTable, name: String, path: String) throws -> ConnectionSettings {
        func string(_ keys: String...) throws -> String? {
            for key in keys {
                guard let value = table[key] else { continue }
                if let string = value.string { return string }
                if let int = value.int { return String(int) }
                throw SnowflakeError(.configuration, "\(path): [\(name)] \(key) must be a string")
            }
            return nil
        }
        var settings = ConnectionSettings(
            account: try string("account"), user: try string("user", "username"),
            authenticator: try string("authenticator"), password: try string("password"),
            privateKeyFile: try string("private_key_file", "private_key_path"),
            privateKeyPassphrase: try string("private_key_file_pwd", "private_key_passphrase"),
            token: try string("token"), host: try string("host"), port: nil, protocol: try string("protocol"),
            database: try string("database"), schema: try string("schema"), warehouse: try string("warehouse"),
            role: try string("role"))
        if let port = try string("port") {
            guard let number = Int(port) else {
                throw SnowflakeError(.configuration, "\(path): [\(name)] port must be a number")
            }
            settings.port = number
        }
        if let timeout = try string("request_timeout") {
            guard let seconds = Int(timeout), seconds >= 1 else {
                throw SnowflakeError(.configuration, "\(path): [\(name)] request_timeout must be a whole number of seconds, at least 1")
            }
            settings.requestTimeout = seconds
        }
        if let parameters = table["session_parameters"]?.table {
            for key in parameters.keys {
                guard let value = parameters[key] else { continue }
                if let bool = value.bool {
                    settings.sessionParameters[key] = .bool(bool)
                } else if let int = value.int {
                    settings.sessionParameters[key] = .int(int)
                } else if let double = value.double {
                    settings.sessionParameters[key] = .double(double)
                } else if let string = value.string {
                    settings.sessionParameters[key] = .string(string)
                } else if let array = value.array {
                    settings.sessionParameters[key] = .strings(array.compactMap { $0.string })
                }
            }
        }
        return settings
    }

    /// Refuses a secrets file that anyone but its owner can read or write, as the Snowflake CLI warns.
    static func checkPermissions(of path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw SnowflakeError(.configuration, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        let mode = status.st_mode & 0o777
        if mode & 0o077 != 0 {
            throw SnowflakeError(
                .configuration,
                "\(path) is accessible by other users (mode \(String(mode, radix: 8))); it holds secrets, so run `chmod 0600 \(path)`"
            )
        }
    }

    /// Validates merged settings and picks the authenticator.
    static func config(from settings: ConnectionSettings, source: String) throws -> ConnectionConfig {
        /// Where a setting can come from: a flag (for those that have one), its variable, its key.
        func hint(flag: String? = nil, variable: String, key: String) -> String {
            "set \(flag.map { "--\($0), " } ?? "")SNOWFLAKE_\(variable), or \(key) in the connection's table of \(source)"
        }
        guard let account = settings.account, !account.isEmpty else {
            throw SnowflakeError(.configuration, "no account: \(hint(flag: "account", variable: "ACCOUNT", key: "account"))")
        }
        guard let user = settings.user, !user.isEmpty else {
            throw SnowflakeError(.configuration, "no user: \(hint(flag: "user", variable: "USER", key: "user"))")
        }
        let authenticator: Authenticator
        if let name = settings.authenticator {
            guard let known = Authenticator(name: name) else {
                let supported = Authenticator.allCases.map(\.rawValue).joined(separator: ", ")
                throw SnowflakeError(.configuration, "authenticator '\(name)' is not supported; use one of \(supported)")
            }
            authenticator = known
        } else if settings.privateKeyFile != nil {
            authenticator = .keyPair
        } else if settings.token != nil && settings.password == nil {
            authenticator = .programmaticAccessToken
        } else {
            authenticator = .password
        }
        switch authenticator {
        case .password where settings.password == nil:
            throw SnowflakeError(.configuration, "no password for user \(user): \(hint(variable: "PASSWORD", key: "password")) (there is no flag: a password on the command line would show in the process list)")
        case .keyPair where settings.privateKeyFile == nil:
            throw SnowflakeError(.configuration, "key-pair authentication needs a private key file: \(hint(variable: "PRIVATE_KEY_FILE", key: "private_key_file"))")
        case .programmaticAccessToken where settings.token == nil:
            throw SnowflakeError(.configuration, "programmatic access token authentication needs a token: \(hint(variable: "TOKEN", key: "token"))")
        default: break
        }
        if let scheme = settings.protocol, !["http", "https"].contains(scheme.lowercased()) {
            throw SnowflakeError(.configuration, "protocol must be http or https, not '\(scheme)'")
        }
        return ConnectionConfig(
            account: account, user: user, authenticator: authenticator, password: settings.password,
            privateKeyFile: settings.privateKeyFile, privateKeyPassphrase: settings.privateKeyPassphrase,
            token: settings.token, host: settings.host, port: settings.port, protocol: settings.protocol,
            database: settings.database, schema: settings.schema, warehouse: settings.warehouse, role: settings.role,
            sessionParameters: settings.sessionParameters,
            retryPolicy: RetryPolicy(requestTimeout: .seconds(settings.requestTimeout ?? 120)))
    }
}
