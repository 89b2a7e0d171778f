import Crypto
import Foundation
import _CryptoExtras

/// The key material a PUT or GET answer carries for one file (`encryptionMaterial`); secret.
struct StageEncryptionMaterial: Sendable {
    /// The decoded `queryStageMasterKey` (16 or 32 bytes).
    var masterKey: [UInt8]
    var queryId: String
    var smkId: String

    init(_ fields: [String: String]) throws {
        guard let encoded = fields["queryStageMasterKey"], let key = Data(base64Encoded: encoded),
            [16, 24, 32].contains(key.count)
        else {
            throw SnowflakeError(.protocolViolation, "the stage's encryption material has no usable queryStageMasterKey")
        }
        masterKey = Array(key)
        queryId = fields["queryId"] ?? ""
        smkId = fields["smkId"] ?? ""
    }
}

/// What a reader needs to decrypt one object, stored beside it as object metadata.
struct EncryptionMetadata: Sendable, Equatable {
    /// Base64 of the file key wrapped (AES-ECB, PKCS#7) under the stage master key.
    var key: String
    /// Base64 of the AES-CBC initialisation vector.
    var iv: String
    /// `{"queryId":…,"smkId":…,"keySize":…}`, as the drivers write it.
    var matdesc: String

    /// Azure's and GCS's `encryptiondata` JSON, which carries the wrapped key and IV there; keys in the drivers' order.
    var encryptionDataJSON: String {
        StageJSON.object([
            ("EncryptionMode", .string("FullBlob")),
            ("WrappedContentKey", .object([("KeyId", .string("symmKey1")), ("EncryptedKey", .string(key)), ("Algorithm", .string("AES_CBC_256"))])),
            ("EncryptionAgent", .object([("Protocol", .string("1.0")), ("EncryptionAlgorithm", .string("AES_CBC_256"))])),
            ("ContentEncryptionIV", .string(iv)),
            ("KeyWrappingMetadata", .object([("EncryptionLibrary", .string("Java 5.3.0"))])),
        ], separator: ", ")
    }

    /// Reads the wrapped key and IV back from Azure's or GCS's `encryptiondata` JSON.
    init(encryptionDataJSON json: String, matdesc: String) throws {
        struct Wrapped: Decodable { let EncryptedKey: String }
        struct Fields: Decodable { let WrappedContentKey: Wrapped; let ContentEncryptionIV: String }
        guard let fields = try? JSONDecoder().decode(Fields.self, from: Foundation.Data(json.utf8)) else {
            throw SnowflakeError(.protocolViolation, "the object's encryptiondata metadata is not the expected JSON")
        }
        self.init(key: fields.WrappedContentKey.EncryptedKey, iv: fields.ContentEncryptionIV, matdesc: matdesc)
    }

    init(key: String, iv: String, matdesc: String) {
        self.key = key
        self.iv = iv
        self.matdesc = matdesc
    }
}

/// JSON objects with their keys in a fixed order, so the metadata is byte-identical run to run and
/// matches what the drivers write (JSONEncoder does not keep key order).
enum StageJSON {
    indirect enum Value { case string(String), object([(String, Value)]) }

    static func object(_ fields: [(String, Value)], separator: String = ",") -> String {
        "{" + fields.map { quoted($0.0) + (separator == "," ? ":" : ": ") + render($0.1, separator) }.joined(separator: separator) + "}"
    }

    private static func render(_ value: Value, _ separator: String) -> String {
        switch value {
        case .string(let text): return quoted(text)
        case .object(let fields): return object(fields, separator: separator)
        }
    }

    static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}

/// Snowflake's client-side encryption of staged files, as the drivers do it: a random file key as long
/// as the master key and a random IV; the file in AES-CBC with PKCS#7 padding; the file key wrapped
/// with AES-ECB (PKCS#7-padded) under the master key.
///
/// swift-crypto's `_CryptoExtras` offers `AES._CBC` (whole messages) and `AES.permute` (one block);
/// chunks are chained by passing the last ciphertext block on as the next chunk's IV, which is what CBC is,
/// and ECB is `AES.permute` block by block.
struct FileEncryptor: Sendable {
    let metadata: EncryptionMetadata
    private let fileKeyBytes: [UInt8]
    private var fileKey: SymmetricKey { SymmetricKey(data: fileKeyBytes) }
    private var chain: AES._CBC.IV
    private var finished = false

    init(material: StageEncryptionMaterial) throws {
        var fileKeyBytes = [UInt8](repeating: 0, count: material.masterKey.count)
        var ivBytes = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for i in fileKeyBytes.indices { fileKeyBytes[i] = generator.next() }
        for i in ivBytes.indices { ivBytes[i] = generator.next() }
        try self.init(material: material, fileKey: fileKeyBytes, iv: ivBytes)
    }

    /// A fixed key and IV, for tests that need reproducible ciphertext.
    init(material: StageEncryptionMaterial, fileKey: [UInt8], iv: [UInt8]) throws {
        self.fileKeyBytes = fileKey
        chain = try AES._CBC.IV(ivBytes: iv)
        let wrapped = try KeyWrap.wrap(fileKey, under: material.masterKey)
        metadata = EncryptionMetadata(
            key: Data(wrapped).base64EncodedString(), iv: Data(iv).base64EncodedString(),
            matdesc: StageJSON.object([
                ("queryId", .string(material.queryId)), ("smkId", .string(material.smkId)),
                ("keySize", .string(String(fileKey.count * 8))),
            ]))
    }

    /// Ciphertext length for a plaintext of `size` bytes: PKCS#7 always adds 1 to 16 bytes.
    static func encryptedSize(_ size: Int) -> Int { (size / 16 + 1) * 16 }

    /// Encrypts the next chunk. Every chunk but the last must be a multiple of 16 bytes; the last is padded.
    mutating func encrypt(_ chunk: [UInt8], last: Bool) throws -> [UInt8] {
        precondition(!finished, "encrypting after the last chunk")
        precondition(last || chunk.count % 16 == 0, "a middle chunk must be whole AES blocks")
        let out = try AES._CBC.encrypt(chunk, using: fileKey, iv: chain, noPadding: !last)
        if out.count >= 16 { chain = try AES._CBC.IV(ivBytes: Array(out.suffix(16))) }
        finished = last
        return Array(out)
    }
}

/// Decrypts an object written by ``FileEncryptor`` (or any Snowflake driver) chunk by chunk.
struct FileDecryptor: Sendable {
    private let fileKeyBytes: [UInt8]
    private var fileKey: SymmetricKey { SymmetricKey(data: fileKeyBytes) }
    private var chain: AES._CBC.IV
    /// The last ciphertext block is held back until the end, because it carries the padding.
    private var held: [UInt8] = []

    init(metadata: EncryptionMetadata, material: StageEncryptionMaterial) throws {
        guard let wrapped = Data(base64Encoded: metadata.key), let iv = Data(base64Encoded: metadata.iv), iv.count == 16 else {
            throw SnowflakeError(.protocolViolation, "the object's x-amz-key or x-amz-iv metadata is not valid base64")
        }
        let key = try KeyWrap.unwrap(Array(wrapped), under: material.masterKey)
        fileKeyBytes = key
        chain = try AES._CBC.IV(ivBytes: Array(iv))
    }

    mutating func decrypt(_ chunk: [UInt8]) throws -> [UInt8] {
        held += chunk
        let ready = held.count > 16 ? ((held.count - 1) / 16) * 16 : 0
        guard ready > 0 else { return [] }
        let cipher = Array(held[..<ready])
        held.removeFirst(ready)
        let plain = try AES._CBC.decrypt(cipher, using: fileKey, iv: chain, noPadding: true)
        chain = try AES._CBC.IV(ivBytes: Array(cipher.suffix(16)))
        return Array(plain)
    }

    mutating func finish() throws -> [UInt8] {
        guard held.count == 16 else {
            throw SnowflakeError(.fileTransfer, "the encrypted object's length is not a whole number of AES blocks")
        }
        do {
            return Array(try AES._CBC.decrypt(held, using: fileKey, iv: chain))
        } catch {
            throw SnowflakeError(.fileTransfer, "the object does not decrypt with the stage's key (bad padding)")
        }
    }
}

/// AES-ECB with PKCS#7 padding, for the short file key only.
enum KeyWrap {
    static func wrap(_ key: [UInt8], under master: [UInt8]) throws -> [UInt8] {
        let pad = 16 - key.count % 16
        var blocks = key + [UInt8](repeating: UInt8(pad), count: pad)
        let masterKey = SymmetricKey(data: master)
        for start in stride(from: 0, to: blocks.count, by: 16) {
            var block = Array(blocks[start..<start + 16])
            try AES.permute(&block, key: masterKey)
            blocks.replaceSubrange(start..<start + 16, with: block)
        }
        return blocks
    }

    static func unwrap(_ wrapped: [UInt8], under master: [UInt8]) throws -> [UInt8] {
        guard !wrapped.isEmpty, wrapped.count % 16 == 0 else {
            throw SnowflakeError(.protocolViolation, "the wrapped file key is not a whole number of AES blocks")
        }
        var blocks = wrapped
        let masterKey = SymmetricKey(data: master)
        for start in stride(from: 0, to: blocks.count, by: 16) {
            var block = Array(blocks[start..<start + 16])
            try AES.inversePermute(&block, key: masterKey)
            blocks.replaceSubrange(start..<start + 16, with: block)
        }
        let pad = Int(blocks.last!)
        guard (1...16).contains(pad), blocks.count - pad > 0, blocks.suffix(pad).allSatisfy({ $0 == UInt8(pad) }) else {
            throw SnowflakeError(.fileTransfer, "the file key does not unwrap with the stage's master key")
        }
        return Array(blocks.dropLast(pad))
    }
}
