import AsyncHTTPClient
import CompressNIO
import Crypto
import Foundation
import NIOCore

/// A `PUT file://<path> @<stage>[/<path>] [options]` statement, split into the local file part
/// and the rest, which the client passes on to the server unchanged.
struct PutStatement: Sendable {
    let sql: String
    /// The local path or pattern, after `file://`.
    let localPath: String
    /// Whether the file URI was written in single quotes.
    let quoted: Bool
    /// Everything after the file URI: stage and options.
    let remainder: Substring

    /// Nil when `sql` is not a PUT statement.
    init?(parsing sql: String) throws {
        var rest = sql.drop { $0.isWhitespace }
        guard rest.count > 4, rest.prefix(3).uppercased() == "PUT", rest.dropFirst(3).first?.isWhitespace == true else {
            return nil
        }
        rest = rest.dropFirst(3).drop { $0.isWhitespace }
        let uri: Substring
        if rest.first == "'" {
            // A Snowflake string literal: `''` and `\'` are quotes, `\\` a backslash.
            var value = ""
            var i = rest.index(after: rest.startIndex)
            var close: Substring.Index?
            while i < rest.endIndex {
                let c = rest[i]
                let next = rest.index(after: i)
                if c == "\\", next < rest.endIndex {
                    switch rest[next] {
                    case "n": value.append("\n")
                    case "t": value.append("\t")
                    case "r": value.append("\r")
                    default: value.append(rest[next])
                    }
                    i = rest.index(after: next)
                    continue
                }
                if c == "'" {
                    if next < rest.endIndex && rest[next] == "'" {
                        value.append("'")
                        i = rest.index(after: next)
                        continue
                    }
                    close = i
                    break
                }
                value.append(c)
                i = next
            }
            guard let close else {
                throw SnowflakeError(.fileTransfer, "PUT: the quoted file URI is not closed")
            }
            uri = Substring(value)
            remainder = rest[rest.index(after: close)...]
            quoted = true
        } else {
            let end = rest.firstIndex { $0.isWhitespace } ?? rest.endIndex
            uri = rest[..<end]
            remainder = rest[end...]
            quoted = false
        }
        guard uri.lowercased().hasPrefix("file://") else {
            throw SnowflakeError(.fileTransfer, "PUT: the source must be a file:// URI, not '\(uri)'")
        }
        localPath = String(uri.dropFirst("file://".count))
        self.sql = sql
    }

    /// The local files the path names; a `*` or `?` in the file name part is a pattern.
    func localFiles() throws -> [String] {
        let path = (localPath as NSString).expandingTildeInPath
        let name = (path as NSString).lastPathComponent
        guard name.contains("*") || name.contains("?") else {
            guard FileManager.default.fileExists(atPath: path) else {
                throw SnowflakeError(.fileTransfer, "PUT: file \(path) does not exist")
            }
            return [path]
        }
        let directory = (path as NSString).deletingLastPathComponent
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        let matches = entries.filter { fnmatch(name, $0, 0) == 0 }.sorted().map { (directory as NSString).appendingPathComponent($0) }
        guard !matches.isEmpty else { throw SnowflakeError(.fileTransfer, "PUT: no file matches \(path)") }
        return matches
    }

    /// The same statement naming only `fileName`, which is how a presigned URL for that file is requested.
    func replacingLocalFile(with fileName: String) -> String {
        let uri = "file://\(fileName)"
        let literal = "'" + uri.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
        return "PUT " + (quoted ? literal : uri) + remainder
    }
}

/// A `GET @<stage>[/<path>] file://<directory> [options]` statement.
struct GetStatement: Sendable {
    let sql: String
    /// The local directory, after `file://`.
    let localDirectory: String

    /// Nil when `sql` is not a GET statement.
    init?(parsing sql: String) throws {
        let rest = sql.drop { $0.isWhitespace }
        guard rest.count > 4, rest.prefix(3).uppercased() == "GET", rest.dropFirst(3).first?.isWhitespace == true else {
            return nil
        }
        // The stage comes first; the local URI is the first `file://` (optionally quoted) after it.
        guard let range = rest.range(of: "file://", options: .caseInsensitive) else {
            throw SnowflakeError(.fileTransfer, "GET: the target must be a file:// URI naming a local directory")
        }
        let quoted = rest[..<range.lowerBound].last == "'"
        let after = rest[range.upperBound...]
        let end = quoted ? (after.firstIndex(of: "'") ?? after.endIndex) : (after.firstIndex { $0.isWhitespace } ?? after.endIndex)
        localDirectory = String(after[..<end])
        self.sql = sql
    }
}

/// A file ready for upload: compressed if asked for, with the digest Snowflake records.
///
/// Nothing is held in memory: compression streams into a temporary file and the digest is computed
/// while reading, so a file of any size costs a few megabytes.
public struct StagedFile: Sendable {
    public var sourcePath: String
    /// The object name in the stage, such as `data.csv.gz`.
    public var destinationName: String
    /// The file whose bytes are uploaded: the source itself, or a gzip'd temporary copy of it.
    public var uploadPath: String
    /// Bytes in `uploadPath` (before any encryption).
    public var uploadSize: Int
    /// Base64 SHA-256 of the bytes of `uploadPath`, sent as `sfc-digest` metadata.
    public var sha256Digest: String
    public var sourceSize: Int
    /// `NONE`, `GZIP`, `BZIP2`, `ZSTD` …
    public var sourceCompression: String
    public var targetCompression: String
    /// Whether `uploadPath` is a temporary file made here; ``removeTemporaryFile()`` deletes it.
    public var isTemporary: Bool

    static let readSize = 1 << 20

    /// Reads `path`, detects its compression from its first bytes, and gzips it (into a temporary file)
    /// when the server asked for auto-compression and it is not compressed yet.
    static func prepare(path: String, autoCompress: Bool, sourceCompression: String) throws -> StagedFile {
        guard let input = FileHandle(forReadingAtPath: path) else {
            throw SnowflakeError(.fileTransfer, "PUT: cannot read \(path); check that it exists and is readable")
        }
        defer { try? input.close() }
        let sourceSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let head = Array((try? input.read(upToCount: 4)) ?? Data())
        try? input.seek(toOffset: 0)
        let name = (path as NSString).lastPathComponent
        let detected: String
        switch sourceCompression.lowercased() {
        case "auto_detect", "auto": detected = Self.detectCompression(head)
        case "none": detected = "NONE"
        default: detected = sourceCompression.uppercased()
        }
        if detected == "NONE" && autoCompress {
            let temporary = FileManager.default.temporaryDirectory
                .appendingPathComponent("snowflake-put-\(UUID().uuidString)-\(name).gz").path
            do {
                let (size, digest) = try Gzip.compress(from: input, toFile: temporary)
                return StagedFile(
                    sourcePath: path, destinationName: name + ".gz", uploadPath: temporary, uploadSize: size,
                    sha256Digest: digest, sourceSize: sourceSize, sourceCompression: detected, targetCompression: "GZIP",
                    isTemporary: true)
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw SnowflakeError(.fileTransfer, "PUT: compressing \(path) failed: \(error)")
            }
        }
        var hash = SHA256()
        var size = 0
        var buffer = [UInt8](repeating: 0, count: readSize)
        while true {
            let n = try Self.read(input, path: path, into: &buffer)
            if n == 0 { break }
            buffer.withUnsafeBytes { hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            size += n
        }
        return StagedFile(
            sourcePath: path, destinationName: name, uploadPath: path, uploadSize: size,
            sha256Digest: Data(hash.finalize()).base64EncodedString(), sourceSize: sourceSize, sourceCompression: detected,
            targetCompression: detected, isTemporary: false)
    }

    /// Fills `buffer` from the file (fewer bytes only at its end); returns the bytes read. One buffer
    /// is reused for the whole file, so reading allocates nothing per chunk.
    static func read(_ handle: FileHandle, path: String, into buffer: inout [UInt8]) throws -> Int {
        try buffer.withUnsafeMutableBytes { try readFully(handle.fileDescriptor, into: $0, path: path) }
    }

    /// read(2) until `buffer` is full or the file ends.
    static func readFully(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        var total = 0
        while total < buffer.count {
            let n = Foundation.read(descriptor, buffer.baseAddress! + total, buffer.count - total)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw SnowflakeError(.fileTransfer, "PUT: reading \(path) failed: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            total += n
        }
        return total
    }

    public func removeTemporaryFile() {
        if isTemporary { try? FileManager.default.removeItem(atPath: uploadPath) }
    }

    static func detectCompression(_ bytes: [UInt8]) -> String {
        if bytes.starts(with: [0x1F, 0x8B]) { return "GZIP" }
        if bytes.starts(with: [0x42, 0x5A, 0x68]) { return "BZIP2" }
        if bytes.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return "ZSTD" }
        return "NONE"
    }

    static let resultColumns: [ColumnMetadata] = [
        ColumnMetadata(name: "source", type: "TEXT"), ColumnMetadata(name: "target", type: "TEXT"),
        ColumnMetadata(name: "source_size", type: "FIXED", precision: 38, scale: 0),
        ColumnMetadata(name: "target_size", type: "FIXED", precision: 38, scale: 0),
        ColumnMetadata(name: "source_compression", type: "TEXT"), ColumnMetadata(name: "target_compression", type: "TEXT"),
        ColumnMetadata(name: "status", type: "TEXT"), ColumnMetadata(name: "message", type: "TEXT"),
    ]

    func resultRow(status: String) -> [SnowflakeValue?] {
        [
            .string((sourcePath as NSString).lastPathComponent), .string(destinationName), .int(Int64(sourceSize)),
            .int(Int64(uploadSize)), .string(sourceCompression), .string(targetCompression), .string(status), .string(""),
        ]
    }
}

/// Where the server told the client to put a file (`stageInfo` of a PUT answer).
///
/// Its `description` never shows credentials or the presigned URL's signature.
public struct StageLocation: Sendable, CustomStringConvertible {
    /// `LOCAL_FS`, `S3`, `AZURE` or `GCS`.
    public var locationType: String
    /// A directory for `LOCAL_FS`; `bucket/prefix/` for cloud stages.
    public var location: String
    public var region: String?
    public var endpoint: String?
    /// A URL that accepts an HTTP PUT of one object, when the server gives one.
    public var presignedURL: String?
    /// Cloud credentials (for example `AWS_KEY_ID`, `GCS_ACCESS_TOKEN`); secret.
    public var credentials: [String: String]
    /// The client-side encryption key material, when the stage requires encryption; secret.
    public var encryptionMaterial: [String: String]?
    /// One key material per file, in the order of the answer's `src_locations` (GET); secret.
    var fileMaterials: [[String: String]?] = []
    /// Azure: the storage account of the container.
    public var storageAccount: String?
    /// S3 (`useS3RegionalUrl`) and GCS (`useRegionalUrl`): address the region's own endpoint.
    public var useRegionalURL = false
    /// GCS: address the bucket as a virtual host.
    public var useVirtualURL = false

    init(_ stageInfo: JSONValue?, encryptionMaterial: JSONValue?) throws {
        guard let stageInfo, let type = stageInfo["locationType"]?.string else {
            throw SnowflakeError(.protocolViolation, "the PUT answer has no stageInfo.locationType")
        }
        locationType = type.uppercased()
        location = stageInfo["location"]?.string ?? ""
        region = stageInfo["region"]?.string
        endpoint = stageInfo["endPoint"]?.string
        presignedURL = stageInfo["presignedUrl"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        var credentials: [String: String] = [:]
        if case .object(let creds)? = stageInfo["creds"] {
            for (key, value) in creds { if let string = value.string { credentials[key] = string } }
        }
        self.credentials = credentials
        // The server sends one material object, or an array with one per file.
        func fields(_ value: JSONValue?) -> [String: String]? {
            if case .object(let object)? = value { return object.compactMapValues { $0.string } }
            return nil
        }
        self.encryptionMaterial = fields(encryptionMaterial?.array?.first ?? encryptionMaterial)
        fileMaterials = encryptionMaterial?.array?.map(fields) ?? []
        storageAccount = stageInfo["storageAccount"]?.string
        useRegionalURL = stageInfo["useS3RegionalUrl"]?.bool == true || stageInfo["useRegionalUrl"]?.bool == true
        useVirtualURL = stageInfo["useVirtualUrl"]?.bool == true
    }

    public init(
        locationType: String, location: String, region: String? = nil, endpoint: String? = nil,
        presignedURL: String? = nil, credentials: [String: String] = [:], encryptionMaterial: [String: String]? = nil,
        storageAccount: String? = nil, useRegionalURL: Bool = false
    ) {
        self.storageAccount = storageAccount
        self.useRegionalURL = useRegionalURL
        self.locationType = locationType
        self.location = location
        self.region = region
        self.endpoint = endpoint
        self.presignedURL = presignedURL
        self.credentials = credentials
        self.encryptionMaterial = encryptionMaterial
    }

    /// GCS stages without an access token hand out one presigned URL per object.
    var needsPresignedURLPerFile: Bool { locationType == "GCS" && credentials["GCS_ACCESS_TOKEN"] == nil }

    public var description: String {
        "StageLocation(\(locationType) \(location)\(presignedURL == nil ? "" : ", presigned URL")"
            + "\(credentials.isEmpty ? "" : ", credentials ****")\(encryptionMaterial == nil ? "" : ", encrypted"))"
    }
}


/// gzip through compress-nio.
enum Gzip {
    static func isCompressed(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x1F, 0x8B]) }

    /// Streams `input` through gzip into a new file at `path`; returns its size and base64 SHA-256.
    static func compress(from input: FileHandle, toFile path: String) throws -> (Int, String) {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let output = FileHandle(forWritingAtPath: path)
        else { throw SnowflakeError(.fileTransfer, "cannot create the temporary file \(path)") }
        defer { try? output.close() }
        let compressor = CompressionAlgorithm.gzip().compressor
        try compressor.startStream()
        defer { try? compressor.finishStream() }
        var hash = SHA256()
        var size = 0
        var out = ByteBuffer()
        func flush() throws {
            try out.withUnsafeReadableBytes { bytes in
                guard !bytes.isEmpty else { return }
                hash.update(bufferPointer: bytes)
                size += bytes.count
                var written = 0
                while written < bytes.count {
                    let n = Foundation.write(output.fileDescriptor, bytes.baseAddress! + written, bytes.count - written)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { throw SnowflakeError(.fileTransfer, "writing \(path) failed: \(String(cString: strerror(errno)))") }
                    written += n
                }
            }
            out.clear()
        }
        var buffer = [UInt8](repeating: 0, count: StagedFile.readSize)
        var chunk = ByteBuffer()
        while true {
            let n = try StagedFile.read(input, path: path, into: &buffer)
            if n == 0 { break }
            chunk.clear()
            chunk.writeBytes(buffer[..<n])
            while chunk.readableBytes > 0 {
                out.reserveCapacity(compressor.maxSize(from: chunk))
                try compressor.streamDeflate(from: &chunk, to: &out, flush: .no)
                try flush()
            }
        }
        while true {
            out.reserveCapacity(64 * 1024)
            do {
                try compressor.finishDeflate(to: &out)
                try flush()
                break
            } catch let error as CompressNIOError where error == .bufferOverflow {
                try flush()
            }
        }
        return (size, Data(hash.finalize()).base64EncodedString())
    }

    static func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        do {
            let decompressed = try buffer.decompress(with: .gzip())
            return Array(decompressed.readableBytesView)
        } catch {
            throw SnowflakeError(.protocolViolation, "gzip decompression failed: \(error)")
        }
    }
}
