import Foundation
import Testing

@testable import SnowflakeClient

/// JWTs checked by an independent implementation: PyJWT and cryptography from the test venv.
@Suite struct KeyPairJWTTests {
    static let keyMaker = #"""
        import base64, hashlib, json
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public_der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        def pem(fmt, enc=serialization.NoEncryption()):
            return key.private_bytes(serialization.Encoding.PEM, fmt, enc).decode()
        print(json.dumps({
            "pkcs8": pem(serialization.PrivateFormat.PKCS8),
            "pkcs1": pem(serialization.PrivateFormat.TraditionalOpenSSL),
            "encrypted": pem(serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"correct horse battery")),
            "public": key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(),
            "fingerprint": "SHA256:" + base64.b64encode(hashlib.sha256(public_der).digest()).decode(),
        }))
        """#

    static let verifier = #"""
        import json, sys, jwt
        token, public_pem = sys.argv[1], sys.argv[2]
        claims = jwt.decode(token, public_pem, algorithms=["RS256"], options={"require": ["iss", "sub", "iat", "exp"]})
        print(json.dumps({"claims": claims, "header": jwt.get_unverified_header(token)}))
        """#

    static func generatedKeys() throws -> [String: String] {
        try pythonJSON(keyMaker).compactMapValues { $0 as? String }
    }

    @Test func jwtVerifiesWithPyJWTAndFingerprintMatchesPython() throws {
        let keys = try Self.generatedKeys()
        for format in ["pkcs8", "pkcs1", "encrypted"] {
            let pem = try #require(keys[format])
            let credential = try KeyPairCredential(pem: pem, passphrase: format == "encrypted" ? "correct horse battery" : nil)
            #expect(credential.publicKeyFingerprint == keys["fingerprint"], "\(format)")

            let now = Date()
            let token = try credential.jwt(account: "xy12345.eu-west-1.aws", user: "spark_loader", issuedAt: now)
            let verified = try pythonJSON(Self.verifier, arguments: [token, try #require(keys["public"])])
            let claims = try #require(verified["claims"] as? [String: Any])
            let header = try #require(verified["header"] as? [String: Any])
            #expect(header["alg"] as? String == "RS256")
            #expect(claims["iss"] as? String == "XY12345.SPARK_LOADER.\(keys["fingerprint"]!)")
            #expect(claims["sub"] as? String == "XY12345.SPARK_LOADER")
            let issued = try #require(claims["iat"] as? Int)
            #expect(abs(issued - Int(now.timeIntervalSince1970)) <= 1)
            #expect(claims["exp"] as? Int == issued + 60)
        }
    }

    @Test func wrongPassphraseIsATypedErrorWithoutTheSecret() throws {
        let keys = try Self.generatedKeys()
        let error = try #require(throws: SnowflakeError.self) {
            try KeyPairCredential(pem: keys["encrypted"]!, passphrase: "not the passphrase")
        }
        #expect(error.kind == .authentication)
        #expect(!error.description.contains("not the passphrase"))
        #expect(!error.description.contains("MII"))
        let missing = try #require(throws: SnowflakeError.self) { try KeyPairCredential(pem: keys["encrypted"]!) }
        #expect(missing.message.contains("passphrase"))
    }

    @Test func accountsAreNormalizedAsTheDriversDo() {
        #expect(KeyPairCredential.normalizedAccount("xy12345.eu-west-1.aws") == "XY12345")
        #expect(KeyPairCredential.normalizedAccount("myorg-myaccount") == "MYORG-MYACCOUNT")
        #expect(KeyPairCredential.normalizedAccount("acct-12345.global") == "ACCT")
        #expect(KeyPairCredential.normalizedAccount("Plain") == "PLAIN")
    }
}
