import Foundation
import Logging
import Testing

@testable import SnowflakeClient

/// No password, token or key material in errors, descriptions or logs.
@Suite struct SecretTests {
    static let password = "pa55word-that-must-not-leak"
    static let token = "pat-token-that-must-not-leak"
    static let passphrase = "passphrase-that-must-not-leak"

    /// Fails the test if any text contains a secret or what looks like key material or a JWT.
    static func expectNoSecrets(_ texts: [String], extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        let secrets = [password, token, passphrase, "fakesnow-password-value", "fakesnow-pat-token-value"] + extra
        for text in texts {
            for secret in secrets { #expect(!text.contains(secret), "leaked a secret: \(text)", sourceLocation: sourceLocation) }
            #expect(!text.contains("PRIVATE KEY"), "leaked key material: \(text)", sourceLocation: sourceLocation)
            #expect(!text.contains("MII"), "leaked base64 DER: \(text)", sourceLocation: sourceLocation)
            #expect(!text.contains("eyJ"), "leaked a JWT: \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func descriptionsHideSecrets() throws {
        let config = ConnectionConfig(
            account: "acct", user: "me", authenticator: .keyPair, password: Self.password, privateKeyFile: "/keys/k.p8",
            privateKeyPassphrase: Self.passphrase, privateKeyPEM: "-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----",
            token: Self.token)
        var dumped = ""
        dump(config, to: &dumped)
        Self.expectNoSecrets([config.description, config.debugDescription, String(reflecting: config), "\(config)", dumped])
        #expect(config.description.contains("password=****"))
        #expect(config.description.contains("/keys/k.p8"))

        let location = StageLocation(
            locationType: "S3", location: "bucket/x/", credentials: ["AWS_SECRET_KEY": Self.token],
            encryptionMaterial: ["queryStageMasterKey": Self.passphrase])
        Self.expectNoSecrets([location.description])
    }

    /// A failed S3 upload and download name the file and the HTTP status, never the stage's keys or signature.
    @Test func failedStageTransfersHoldNoCredentials() async throws {
        var location = try await StageTests.motoStage(keyBytes: 16)
        let secrets = Array(location.credentials.values.filter { $0 != "AKIDMOTO" }) + [location.encryptionMaterial!["queryStageMasterKey"]!]
        location.location = "no-such-bucket-\(UUID().uuidString.prefix(8).lowercased())/stage/"
        let (logger, logs) = RecordingLogHandler.logger()
        let transport = HTTPTransport(
            baseURL: "", retryPolicy: TestEnvironment.quickRetries, logger: logger, scrubber: SecretScrubber(secrets))
        let directory = try TestEnvironment.temporaryDirectory()
        let source = try StageTests.writeFile(directory.appendingPathComponent("x.csv.gz"), size: 1000)
        let staged = try StagedFile.prepare(path: source.path, autoCompress: true, sourceCompression: "auto_detect")
        let put = try await #require(throws: SnowflakeError.self) { try await S3Stage(transport: transport).upload(staged, to: location) }
        #expect(put.message.contains("x.csv.gz") && put.message.contains("404"))
        let get = try await #require(throws: SnowflakeError.self) {
            _ = try await S3Stage(transport: transport).download("x.csv.gz", from: location, material: location.encryptionMaterial, to: directory.appendingPathComponent("y").path)
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("y").path))
        Self.expectNoSecrets([put.description, get.description, location.description] + logs.all, extra: secrets + ["Signature="])
    }

    @Test func anEchoedPasswordIsScrubbedFromTheLoginError() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let (logger, logs) = RecordingLogHandler.logger()
        let error = try await #require(throws: SnowflakeError.self) {
            try await SnowflakeSession.connect(server.config(password: "wrong-password-echoed-back"), logger: logger)
        }
        #expect(error.kind == .authentication)
        #expect(error.code == "390100")
        #expect(error.message.contains("Incorrect username or password"))
        Self.expectNoSecrets([error.description, error.message] + logs.all, extra: ["wrong-password-echoed-back"])
    }

    @Test func logsOfEveryLoginKindHoldNoSecrets() async throws {
        let (logger, logs) = RecordingLogHandler.logger()
        var configs = [
            try TestEnvironment.fakesnow(authenticator: .password),
            try TestEnvironment.fakesnow(authenticator: .programmaticAccessToken),
        ]
        let keys = try KeyPairJWTTests.generatedKeys()
        var keyPair = try TestEnvironment.fakesnow(authenticator: .keyPair)
        keyPair.privateKeyPEM = keys["encrypted"]
        keyPair.privateKeyPassphrase = Self.passphrase + "-wrong"
        // A wrong passphrase first: the error must not show it either.
        let keyError = try await #require(throws: SnowflakeError.self) { try await SnowflakeSession.connect(keyPair, logger: logger) }
        Self.expectNoSecrets([keyError.description], extra: [Self.passphrase + "-wrong"])
        keyPair.privateKeyPassphrase = "correct horse battery"
        configs.append(keyPair)

        var errors: [String] = []
        for config in configs {
            let session = try await SnowflakeSession.connect(config, logger: logger)
            _ = try await session.execute("SELECT 1")
            do { _ = try await session.execute("SELEC broken") } catch { errors.append(String(describing: error)) }
            await session.close()
        }
        #expect(errors.count == 3)
        #expect(!logs.all.isEmpty)
        Self.expectNoSecrets(logs.all + errors, extra: ["correct horse battery"])
    }
}
