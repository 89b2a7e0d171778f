import Foundation
import Testing

@testable import SnowflakeClient

@Suite struct ConnectionResolverTests {
    static let toml = """
        default_connection_name = "dev"

        [dev]
        account = "file-account"
        user = "file-user"
        password = "file-password-secret"
        database = "FILE_DB"
        warehouse = "FILE_WH"
        port = 8443

        [ci]
        account = "ci-account"
        user = "ci-user"
        authenticator = "SNOWFLAKE_JWT"
        private_key_file = "/keys/ci.p8"

        [ci.session_parameters]
        QUERY_TAG = "spark"
        nop_regexes = ["^GRANT .*"]
        """

    static func home(mode: Int = 0o600, contents: String = toml) throws -> String {
        let directory = try TestEnvironment.temporaryDirectory()
        let file = directory.appendingPathComponent("connections.toml")
        try contents.write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, mode_t(mode))
        return directory.path
    }

    @Test func defaultConnectionFromFile() throws {
        let resolver = ConnectionResolver(environment: ["SNOWFLAKE_HOME": try Self.home()], homeDirectory: "/nonexistent")
        let config = try resolver.resolve()
        #expect(config.account == "file-account")
        #expect(config.user == "file-user")
        #expect(config.authenticator == .password)
        #expect(config.database == "FILE_DB")
        #expect(config.port == 8443)
    }

    @Test func precedenceIsFlagsThenEnvironmentThenFile() throws {
        let environment = ["SNOWFLAKE_HOME": try Self.home(), "SNOWFLAKE_DATABASE": "ENV_DB", "SNOWFLAKE_WAREHOUSE": "ENV_WH"]
        let config = try ConnectionResolver(environment: environment, homeDirectory: "/nonexistent")
            .resolve(overrides: ConnectionSettings(warehouse: "FLAG_WH"))
        #expect(config.database == "ENV_DB")
        #expect(config.warehouse == "FLAG_WH")
        #expect(config.account == "file-account")
    }

    @Test func namedConnectionWithKeyPairAndSessionParameters() throws {
        let config = try ConnectionResolver(environment: ["SNOWFLAKE_HOME": try Self.home()], homeDirectory: "/x")
            .resolve(connectionName: "ci")
        #expect(config.authenticator == .keyPair)
        #expect(config.privateKeyFile == "/keys/ci.p8")
        #expect(config.sessionParameters["QUERY_TAG"] == .string("spark"))
        #expect(config.sessionParameters["nop_regexes"] == .strings(["^GRANT .*"]))
    }

    @Test func homeDirectoryDefaultAndEnvironmentOnly() throws {
        let home = try TestEnvironment.temporaryDirectory()
        let snowflake = home.appendingPathComponent(".snowflake")
        try FileManager.default.createDirectory(at: snowflake, withIntermediateDirectories: true)
        try Self.toml.write(to: snowflake.appendingPathComponent("connections.toml"), atomically: true, encoding: .utf8)
        chmod(snowflake.appendingPathComponent("connections.toml").path, 0o600)
        #expect(try ConnectionResolver(environment: [:], homeDirectory: home.path).resolve().account == "file-account")

        let environmentOnly = ConnectionResolver(
            environment: ["SNOWFLAKE_ACCOUNT": "a", "SNOWFLAKE_USER": "u", "SNOWFLAKE_TOKEN": "t0ken-value"],
            homeDirectory: "/nonexistent")
        #expect(try environmentOnly.resolve().authenticator == .programmaticAccessToken)
    }

    @Test func sessionParametersFromTheEnvironmentMergeOverTheFile() throws {
        let environment = [
            "SNOWFLAKE_HOME": try Self.home(),
            "SNOWFLAKE_SESSION_PARAMETERS": #"{"nop_regexes": ["^ALTER SESSION.*"], "AUTOCOMMIT": true, "TIMEOUT": 30}"#,
        ]
        let config = try ConnectionResolver(environment: environment, homeDirectory: "/x").resolve(connectionName: "ci")
        #expect(config.sessionParameters == [
            "nop_regexes": .strings(["^ALTER SESSION.*"]), "AUTOCOMMIT": .bool(true), "TIMEOUT": .int(30),
            "QUERY_TAG": .string("spark"),
        ])
        let broken = ConnectionResolver(environment: ["SNOWFLAKE_SESSION_PARAMETERS": "[1]"], homeDirectory: "/x")
        let error = try #require(throws: SnowflakeError.self) { try broken.environmentSettings() }
        #expect(error.message.contains("SNOWFLAKE_SESSION_PARAMETERS"))
    }

    @Test func refusesAFileOthersCanRead() throws {
        let home = try Self.home(mode: 0o644)
        let error = try #require(throws: SnowflakeError.self) {
            try ConnectionResolver(environment: ["SNOWFLAKE_HOME": home], homeDirectory: "/x").resolve()
        }
        #expect(error.kind == .configuration)
        #expect(error.message.contains("\(home)/connections.toml"))
        #expect(error.message.contains("chmod 0600"))
    }

    @Test func missingPiecesAreNamed() throws {
        let resolver = ConnectionResolver(environment: ["SNOWFLAKE_HOME": try Self.home()], homeDirectory: "/x")
        let unknown = try #require(throws: SnowflakeError.self) { try resolver.resolve(connectionName: "prod") }
        #expect(unknown.message.contains("no connection [prod]"))
        #expect(unknown.message.contains("ci, dev"))
        let noUser = try #require(throws: SnowflakeError.self) {
            try ConnectionResolver(environment: ["SNOWFLAKE_ACCOUNT": "a"], homeDirectory: "/nonexistent").resolve()
        }
        #expect(noUser.message.hasPrefix("no user"))
    }

    @Test func aMissingSecretNamesItsVariableAndKeyAndNoFlag() throws {
        let error = try #require(throws: SnowflakeError.self) {
            try ConnectionResolver(environment: ["SNOWFLAKE_ACCOUNT": "a", "SNOWFLAKE_USER": "me"], homeDirectory: "/nonexistent").resolve()
        }
        #expect(error.message.contains("no password for user me: set SNOWFLAKE_PASSWORD, or password in the connection's table of"), "\(error.message)")
        #expect(error.message.contains("there is no flag"))
        #expect(!error.message.contains("--password"))
        let noUser = try #require(throws: SnowflakeError.self) {
            try ConnectionResolver(environment: ["SNOWFLAKE_ACCOUNT": "a"], homeDirectory: "/nonexistent").resolve()
        }
        #expect(noUser.message.contains("set --user, SNOWFLAKE_USER, or user in"))
    }

    @Test func aPasswordOverHttpLeavesOnlyLoopback() throws {
        func resolve(_ host: String, insecure: Bool = false) throws -> ConnectionConfig {
            try ConnectionResolver(environment: ["SNOWFLAKE_ACCOUNT": "a", "SNOWFLAKE_USER": "me", "SNOWFLAKE_PASSWORD": "pw-secret",
                                                 "SNOWFLAKE_HOST": host, "SNOWFLAKE_PROTOCOL": "http"], homeDirectory: "/nonexistent")
                .resolve(insecure: insecure)
        }
        let refused = try #require(throws: SnowflakeError.self) { try resolve("snowflake.internal.example") }
        #expect(refused.message.contains("refusing to send the password over http to snowflake.internal.example"), "\(refused.message)")
        #expect("\(refused)".contains("--insecure"))
        #expect(!refused.message.contains("pw-secret"))
        #expect(try resolve("snowflake.internal.example", insecure: true).host == "snowflake.internal.example")
        #expect(try resolve("127.0.0.1").host == "127.0.0.1", "a local test server is fine")
        #expect(try resolve("localhost").host == "localhost")
    }
}
