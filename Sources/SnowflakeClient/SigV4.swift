import Crypto
import Foundation

/// AWS Signature Version 4 for requests to S3 with the temporary credentials a stage hands out.
///
/// The canonical request, string to sign and signing key follow AWS's published algorithm; the
/// tests check them against AWS's own test vectors. Nothing here logs or returns the secret key.
struct SigV4Signer: Sendable {
    var accessKeyId: String
    var secretAccessKey: String
    /// The STS session token of temporary credentials; sent and signed as `x-amz-security-token`.
    var sessionToken: String?
    var region: String
    var service: String

    struct Signed: Sendable {
        /// Every header to send, lowercase names, including `authorization`.
        var headers: [(String, String)]
        var canonicalRequest: String
        var stringToSign: String
        var signature: String
        var authorization: String
    }

    /// Signs one request.
    /// - Parameters:
    ///   - path: the raw (not yet percent-encoded) path, such as `/bucket/key name.gz`.
    ///   - query: raw query parameters; a parameter without a value is `(name, "")`.
    ///   - headers: headers to sign besides `host` and `x-amz-date`, which are added.
    ///   - payloadHash: hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
    func sign(
        method: String, host: String, path: String, query: [(String, String)] = [], headers: [(String, String)] = [],
        payloadHash: String, date: Date
    ) -> Signed {
        let amzDate = Self.amzDate(date)
        let day = String(amzDate.prefix(8))
        var all = [("host", host), ("x-amz-date", amzDate)] + headers.map { ($0.0.lowercased(), $0.1) }
        if let sessionToken { all.append(("x-amz-security-token", sessionToken)) }
        // Header values are trimmed and inner runs of spaces collapsed; names sorted.
        let canonicalHeaders = all.map { (name, value) -> (String, String) in
            (name, value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
        }.sorted { $0.0 < $1.0 }
        let signedHeaders = canonicalHeaders.map(\.0).joined(separator: ";")
        let encodedQuery: [(String, String)] = query.map { (Self.encode($0.0, keepSlash: false), Self.encode($0.1, keepSlash: false)) }
        let sortedQuery = encodedQuery.sorted { (a: (String, String), b: (String, String)) -> Bool in a.0 == b.0 ? a.1 < b.1 : a.0 < b.0 }
        let canonicalQuery: String = sortedQuery.map { (k: String, v: String) -> String in k + "=" + v }.joined(separator: "&")
        let canonicalURI: String = Self.encode(path.isEmpty ? "/" : path, keepSlash: true)
        let headerLines: String = canonicalHeaders.map { (name: String, value: String) -> String in name + ":" + value + "\n" }.joined()
        let canonicalRequest: String = [method, canonicalURI, canonicalQuery, headerLines, signedHeaders, payloadHash]
            .joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8)))]
            .joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signed(
            headers: canonicalHeaders + [("authorization", authorization)], canonicalRequest: canonicalRequest,
            stringToSign: stringToSign, signature: signature, authorization: authorization)
    }

    static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// RFC 3986 percent-encoding as SigV4 wants it: everything but `A-Z a-z 0-9 - _ . ~` (and `/` in paths).
    static func encode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static let emptyPayloadHash = hex(SHA256.hash(data: Data()))
}
