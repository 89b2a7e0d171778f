import Crypto
import Foundation
import _CryptoExtras

/// An RSA private key for Snowflake key-pair authentication, and the JWTs it signs.
///
/// Its `description` names only the public key fingerprint.
public struct KeyPairCredential: Sendable, CustomStringConvertible {
    private let privateKey: _RSA.Signing.PrivateKey

    /// Reads a PEM key: `RSA PRIVATE KEY` (PKCS#1), `PRIVATE KEY` (PKCS#8) or `ENCRYPTED PRIVATE KEY`
    /// (PKCS#8 with PBES2: PBKDF2 and AES-CBC, as `openssl pkcs8 -topk8 -v2 aes256` writes).
    /// - Throws: ``SnowflakeError`` of kind `authentication`; the message never contains key material.
    public init(pem: String, passphrase: String? = nil) throws {
        do {
            if pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
                guard let passphrase, !passphrase.isEmpty else {
                    throw SnowflakeError(.authentication, "the private key is encrypted; give its passphrase")
                }
                let der = try PEMBlock.decode(pem, label: "ENCRYPTED PRIVATE KEY")
                privateKey = try _RSA.Signing.PrivateKey(
                    derRepresentation: try EncryptedPrivateKeyInfo.decrypt(der, passphrase: passphrase))
            } else {
                privateKey = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
            }
        } catch let error as SnowflakeError {
            throw error
        } catch {
            throw SnowflakeError(
                .authentication, "cannot read the RSA private key (RSA, 2048 bits or more, PEM): \(type(of: error))")
        }
    }

    /// Reads the PEM key in `path`.
    public init(file path: String, passphrase: String? = nil) throws {
        let expanded = (path as NSString).expandingTildeInPath
        guard let pem = try? String(contentsOfFile: expanded, encoding: .utf8) else {
            throw SnowflakeError(.authentication, "cannot read private key file \(expanded)")
        }
        do {
            try self.init(pem: pem, passphrase: passphrase)
        } catch let error as SnowflakeError {
            throw SnowflakeError(.authentication, "\(expanded): \(error.message)")
        }
    }

    /// `SHA256:` and the base64 SHA-256 of the DER SubjectPublicKeyInfo, as registered in Snowflake
    /// with `ALTER USER … SET RSA_PUBLIC_KEY` and shown as `RSA_PUBLIC_KEY_FP`.
    public var publicKeyFingerprint: String {
        "SHA256:" + Data(SHA256.hash(data: privateKey.publicKey.derRepresentation)).base64EncodedString()
    }

    /// The public key in PEM, to register with the user.
    public var publicKeyPEM: String { privateKey.publicKey.pemRepresentation }

    /// A signed RS256 JWT for login.
    ///
    /// The issuer is `ACCOUNT.USER.SHA256:<fingerprint>` and the subject `ACCOUNT.USER`, with the
    /// account normalized as the official drivers do (see ``normalizedAccount(_:)``).
    public func jwt(account: String, user: String, issuedAt: Date = Date(), lifetime: TimeInterval = 60) throws -> String {
        let qualifiedUser = "\(Self.normalizedAccount(account)).\(user.uppercased())"
        let issued = Int64(issuedAt.timeIntervalSince1970)
        let header = #"{"alg":"RS256","typ":"JWT"}"#
        let claims = JWTClaims(
            iss: "\(qualifiedUser).\(publicKeyFingerprint)", sub: qualifiedUser, iat: issued,
            exp: issued + Int64(lifetime))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let signingInput = Self.base64URL(Data(header.utf8)) + "." + Self.base64URL(try encoder.encode(claims))
        let signature = try privateKey.signature(
            for: SHA256.hash(data: Data(signingInput.utf8)), padding: .insecurePKCS1v1_5)
        return signingInput + "." + Self.base64URL(signature.rawRepresentation)
    }

    /// The account part of a JWT: the locator before the first `.` (dropping region and cloud),
    /// except for global accounts, where it is the part before the first `-`; upper-cased.
    public static func normalizedAccount(_ account: String) -> String {
        let separator: Character = account.contains(".global") ? "-" : "."
        return String(account.prefix { $0 != separator }).uppercased()
    }

    public var description: String { "KeyPairCredential(\(publicKeyFingerprint))" }

    private struct JWTClaims: Encodable {
        let iss: String
        let sub: String
        let iat: Int64
        let exp: Int64
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

enum PEMBlock {
    static func decode(_ pem: String, label: String) throws -> [UInt8] {
        let begin = "-----BEGIN \(label)-----"
        let end = "-----END \(label)-----"
        guard let start = pem.range(of: begin), let stop = pem.range(of: end, range: start.upperBound..<pem.endIndex)
        else { throw SnowflakeError(.authentication, "no \(label) block in the PEM text") }
        let body = pem[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: String(body)) else {
            throw SnowflakeError(.authentication, "the \(label) block is not valid base64")
        }
        return Array(data)
    }
}

/// Decrypts PKCS#8 `EncryptedPrivateKeyInfo` with PBES2 (RFC 8018): PBKDF2-HMAC and AES-CBC.
enum EncryptedPrivateKeyInfo {
    private static let pbes2: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D]
    private static let pbkdf2: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0C]
    private static let hmacPrefix: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02]
    private static let aesCBCPrefix: [UInt8] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01]
    private static let desEDE3CBC: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x03, 0x07]

    static func decrypt(_ der: [UInt8], passphrase: String) throws -> [UInt8] {
        func fail(_ why: String) -> SnowflakeError { SnowflakeError(.authentication, "encrypted private key: \(why)") }
        var document = DERReader(der)
        var outer = try document.sequence()
        var algorithm = try outer.sequence()
        guard try algorithm.objectIdentifier() == pbes2 else {
            throw fail("only PBES2 encryption is supported; re-encrypt with `openssl pkcs8 -topk8 -v2 aes256`")
        }
        var parameters = try algorithm.sequence()
        var keyDerivation = try parameters.sequence()
        guard try keyDerivation.objectIdentifier() == pbkdf2 else { throw fail("only PBKDF2 key derivation is supported") }
        var kdfParameters = try keyDerivation.sequence()
        let salt = try kdfParameters.octetString()
        let iterations = try kdfParameters.integer()
        var keyLength: Int?
        var hash = KDF.Insecure.PBKDF2.HashFunction.insecureSHA1  // RFC 8018's default PRF
        while !kdfParameters.isAtEnd {
            if kdfParameters.peekTag == 0x02 {
                keyLength = try kdfParameters.integer()
            } else {
                var prf = try kdfParameters.sequence()
                let oid = try prf.objectIdentifier()
                guard oid.count == hmacPrefix.count + 1, Array(oid.prefix(hmacPrefix.count)) == hmacPrefix else {
                    throw fail("unknown PBKDF2 pseudo-random function")
                }
                switch oid.last {
                case 0x07: hash = .insecureSHA1
                case 0x09: hash = .sha256
                case 0x0A: hash = .sha384
                case 0x0B: hash = .sha512
                default: throw fail("unsupported PBKDF2 HMAC hash")
                }
            }
        }
        var scheme = try parameters.sequence()
        let cipher = try scheme.objectIdentifier()
        if cipher == desEDE3CBC {
            throw fail("3DES is not supported; re-encrypt with `openssl pkcs8 -topk8 -v2 aes256`")
        }
        guard cipher.count == aesCBCPrefix.count + 1, Array(cipher.prefix(aesCBCPrefix.count)) == aesCBCPrefix,
            let aesKeyLength = [0x02: 16, 0x16: 24, 0x2A: 32][cipher.last!]
        else { throw fail("only AES-CBC encryption is supported") }
        let iv = try scheme.octetString()
        let encrypted = try outer.octetString()
        guard iterations > 0, iterations <= 10_000_000 else { throw fail("implausible PBKDF2 iteration count") }
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(passphrase.utf8), salt: salt, using: hash, outputByteCount: keyLength ?? aesKeyLength,
            unsafeUncheckedRounds: iterations)
        do {
            return Array(try AES._CBC.decrypt(encrypted, using: key, iv: try AES._CBC.IV(ivBytes: iv)))
        } catch {
            throw fail("decryption failed; is the passphrase right?")
        }
    }
}

/// Just enough DER to walk PKCS#8 structures.
struct DERReader {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }
    var peekTag: UInt8? { isAtEnd ? nil : bytes[position] }

    private mutating func element(tag: UInt8) throws -> [UInt8] {
        func malformed() -> SnowflakeError { SnowflakeError(.authentication, "the private key's DER structure is malformed") }
        guard position + 2 <= bytes.count, bytes[position] == tag else { throw malformed() }
        var length = Int(bytes[position + 1])
        position += 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count <= 4, position + count <= bytes.count else { throw malformed() }
            length = bytes[position..<(position + count)].reduce(0) { $0 << 8 | Int($1) }
            position += count
        }
        guard position + length <= bytes.count else { throw malformed() }
        defer { position += length }
        return Array(bytes[position..<(position + length)])
    }

    mutating func sequence() throws -> DERReader { DERReader(try element(tag: 0x30)) }
    mutating func objectIdentifier() throws -> [UInt8] { try element(tag: 0x06) }
    mutating func octetString() throws -> [UInt8] { try element(tag: 0x04) }
    mutating func integer() throws -> Int {
        let content = try element(tag: 0x02)
        guard content.count <= 8 else { throw SnowflakeError(.authentication, "an integer in the private key is too large") }
        return content.reduce(0) { $0 << 8 | Int($1) }
    }
}
