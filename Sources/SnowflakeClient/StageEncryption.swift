import Crypto
import Foundation
import NIOCore
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
/// swift-crypto's `_CryptoExtras` offers `AES._CBC` (whole messages, through a generic per-block path
/// that measured about 1 µs per block) and `AES.permute` (the AES block function). ``CBC`` chains
/// `AES.permute` over raw buffers, which streams part by part and is several times faster; the
/// tests check it against `AES._CBC` and against the Python connector's decryption.
struct FileEncryptor: Sendable {
    let metadata: EncryptionMetadata
    private let fileKeyBytes: [UInt8]
    private var chain: [UInt8]
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
        precondition(iv.count == 16)
        self.fileKeyBytes = fileKey
        chain = iv
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
    mutating func encrypt<D: ContiguousBytes>(_ chunk: D, last: Bool) throws -> [UInt8] {
        var buffer = ByteBuffer()
        try chunk.withUnsafeBytes { try encrypt($0, last: last, into: &buffer) }
        return Array(buffer.readableBytesView)
    }

    /// Encrypts `bytes` straight into `buffer`, so a part is held once in plaintext and once encrypted.
    mutating func encrypt(_ bytes: UnsafeRawBufferPointer, last: Bool, into buffer: inout ByteBuffer) throws {
        precondition(!finished, "encrypting after the last chunk")
        precondition(last || bytes.count % 16 == 0, "a middle chunk must be whole AES blocks")
        let key = SymmetricKey(data: fileKeyBytes)
        let whole = bytes.count / 16 * 16
        var chain = self.chain
        try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: whole + 16) { out in
            var written = try CBC.encrypt(UnsafeRawBufferPointer(rebasing: bytes[..<whole]), key: key, chain: &chain, into: out)
            if last {
                // PKCS#7: the tail plus 1…16 bytes each holding the pad length.
                var tail = Array(bytes[whole...])
                let pad = 16 - tail.count
                tail += [UInt8](repeating: UInt8(pad), count: pad)
                written += try tail.withUnsafeBytes {
                    try CBC.encrypt($0, key: key, chain: &chain, into: UnsafeMutableRawBufferPointer(rebasing: out[written...]))
                }
            }
            return written
        }
        self.chain = chain
        finished = last
    }
}

/// Decrypts an object written by ``FileEncryptor`` (or any Snowflake driver) chunk by chunk.
struct FileDecryptor: Sendable {
    private let fileKeyBytes: [UInt8]
    private var chain: [UInt8]
    /// The last ciphertext block is held back until the end, because it carries the padding.
    private var held: [UInt8] = []

    init(metadata: EncryptionMetadata, material: StageEncryptionMaterial) throws {
        guard let wrapped = Data(base64Encoded: metadata.key), let iv = Data(base64Encoded: metadata.iv), iv.count == 16 else {
            throw SnowflakeError(.protocolViolation, "the object's encryption key or IV metadata is not valid base64")
        }
        fileKeyBytes = try KeyWrap.unwrap(Array(wrapped), under: material.masterKey)
        guard [16, 24, 32].contains(fileKeyBytes.count) else {
            throw SnowflakeError(.fileTransfer, "the file key does not unwrap with the stage's master key")
        }
        chain = Array(iv)
    }

    mutating func decrypt<D: ContiguousBytes>(_ chunk: D) throws -> [UInt8] {
        chunk.withUnsafeBytes { held.append(contentsOf: $0) }
        let ready = held.count > 16 ? ((held.count - 1) / 16) * 16 : 0
        guard ready > 0 else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(ready)
        let key = SymmetricKey(data: fileKeyBytes)
        try held.withUnsafeBytes { try CBC.decrypt(UnsafeRawBufferPointer(rebasing: $0[..<ready]), key: key, chain: &chain, into: &out) }
        held.removeFirst(ready)
        return out
    }

    mutating func finish() throws -> [UInt8] {
        guard held.count == 16 else {
            throw SnowflakeError(.fileTransfer, "the encrypted object's length is not a whole number of AES blocks")
        }
        var out: [UInt8] = []
        let key = SymmetricKey(data: fileKeyBytes)
        try held.withUnsafeBytes { try CBC.decrypt($0, key: key, chain: &chain, into: &out) }
        let pad = Int(out.last ?? 0)
        guard (1...16).contains(pad), out.suffix(pad).allSatisfy({ $0 == UInt8(pad) }) else {
            throw SnowflakeError(.fileTransfer, "the object does not decrypt with the stage's key (bad padding)")
        }
        return Array(out.dropLast(pad))
    }
}

/// AES-CBC over whole blocks, chained through `chain` (the IV, then the last ciphertext block).
enum CBC {
    /// Encrypts into `output`, which has room for `input.count` bytes; returns the bytes written.
    static func encrypt(_ input: UnsafeRawBufferPointer, key: SymmetricKey, chain: inout [UInt8], into output: UnsafeMutableRawBufferPointer)
        throws -> Int
    {
        precondition(input.count % 16 == 0 && chain.count == 16 && output.count >= input.count)
        var block = chain
        var offset = 0
        while offset < input.count {
            for i in 0..<16 { block[i] ^= input[offset + i] }
            try AES.permute(&block, key: key)
            for i in 0..<16 { output[offset + i] = block[i] }
            offset += 16
        }
        chain = block
        return input.count
    }

    static func decrypt(_ input: UnsafeRawBufferPointer, key: SymmetricKey, chain: inout [UInt8], into output: inout [UInt8]) throws {
        precondition(input.count % 16 == 0 && chain.count == 16)
        var block = [UInt8](repeating: 0, count: 16)
        var offset = 0
        while offset < input.count {
            for i in 0..<16 { block[i] = input[offset + i] }
            try AES.inversePermute(&block, key: key)
            for i in 0..<16 {
                block[i] ^= chain[i]
                chain[i] = input[offset + i]
            }
            output.append(contentsOf: block)
            offset += 16
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
