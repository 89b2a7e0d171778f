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

/// A file ready for upload: compressed if asked for, with the digest Snowflake records.
public struct StagedFile: Sendable {
    public var sourcePath: String
    /// The object name in the stage, such as `data.csv.gz`.
    public var destinationName: String
    /// The bytes to upload.
    public var bytes: [UInt8]
    /// Base64 SHA-256 of `bytes`, sent as `sfc-digest` metadata.
    public var sha256Digest: String
    public var sourceSize: Int
    /// `NONE`, `GZIP`, `BZIP2`, `ZSTD` …
    public var sourceCompression: String
    public var targetCompression: String

    /// Reads `path`, detects its compression from its first bytes, and gzips it when the server asked
    /// for auto-compression and it is not compressed yet.
    static func prepare(path: String, autoCompress: Bool, sourceCompression: String) throws -> StagedFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SnowflakeError(.fileTransfer, "PUT: cannot read \(path)")
        }
        let source = Array(data)
        let name = (path as NSString).lastPathComponent
        let detected: String
        switch sourceCompression.lowercased() {
        case "auto_detect", "auto": detected = Self.detectCompression(source)
        case "none": detected = "NONE"
        default: detected = sourceCompression.uppercased()
        }
        var bytes = source
        var destination = name
        var target = detected
        if detected == "NONE" && autoCompress {
            bytes = try Gzip.compress(source)
            destination = name + ".gz"
            target = "GZIP"
        }
        return StagedFile(
            sourcePath: path, destinationName: destination, bytes: bytes,
            sha256Digest: Data(SHA256.hash(data: bytes)).base64EncodedString(), sourceSize: source.count,
            sourceCompression: detected, targetCompression: target)
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
            .int(Int64(bytes.count)), .string(sourceCompression), .string(targetCompression), .string(status), .string(""),
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
        let material = encryptionMaterial?.array?.first ?? encryptionMaterial
        if case .object(let object)? = material {
            self.encryptionMaterial = object.compactMapValues { $0.string }
        } else {
            self.encryptionMaterial = nil
        }
    }

    public init(
        locationType: String, location: String, region: String? = nil, endpoint: String? = nil,
        presignedURL: String? = nil, credentials: [String: String] = [:], encryptionMaterial: [String: String]? = nil
    ) {
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

/// Puts one prepared file into a stage location. One implementation per kind of storage:
/// cloud uploads with client-side encryption (S3, Azure, GCS with a token) plug in here.
public protocol StageUploader: Sendable {
    func upload(_ file: StagedFile, to location: StageLocation) async throws
}

/// Uploads with one HTTP PUT to a presigned URL, as for GCS stages without an access token
/// (and fakesnow, which mimics them).
public struct PresignedURLUploader: StageUploader {
    let transport: HTTPTransport

    public func upload(_ file: StagedFile, to location: StageLocation) async throws {
        guard let url = location.presignedURL else {
            throw SnowflakeError(.fileTransfer, "PUT \(file.destinationName): the stage gave no presigned URL")
        }
        guard location.encryptionMaterial == nil else {
            throw SnowflakeError(
                .unsupported, "PUT \(file.destinationName): client-side encryption for \(location.locationType) stages is not implemented yet")
        }
        // Drivers leave Content-Encoding empty for gzip, so the object is stored as the .gz it is.
        let answer = try await transport.send(
            .PUT, url, headers: [("x-goog-meta-sfc-digest", file.sha256Digest), ("Content-Type", "application/octet-stream")],
            body: file.bytes)
        guard (200..<300).contains(answer.status) else {
            throw SnowflakeError(.fileTransfer, "PUT \(file.destinationName): the upload failed with HTTP \(answer.status)")
        }
    }
}

/// Copies the file into a local directory: the `LOCAL_FS` stages of test servers.
public struct LocalFileSystemUploader: StageUploader {
    public init() {}

    public func upload(_ file: StagedFile, to location: StageLocation) async throws {
        let directory = (location.location as NSString).expandingTildeInPath
        let target = (directory as NSString).appendingPathComponent(file.destinationName)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(file.bytes).write(to: URL(fileURLWithPath: target))
        } catch {
            throw SnowflakeError(.fileTransfer, "PUT \(file.destinationName): cannot write \(target): \(error.localizedDescription)")
        }
    }
}

/// Chooses the uploader for a stage location.
enum StageUploaders {
    static func uploader(for location: StageLocation, transport: HTTPTransport) throws -> any StageUploader {
        switch location.locationType {
        case "LOCAL_FS":
            return LocalFileSystemUploader()
        case _ where location.presignedURL != nil:
            return PresignedURLUploader(transport: transport)
        default:
            throw SnowflakeError(
                .unsupported,
                "uploads to \(location.locationType) stages with client-side encryption are not implemented yet")
        }
    }
}

/// gzip through compress-nio.
enum Gzip {
    static func isCompressed(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x1F, 0x8B]) }

    static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        do {
            let compressed = try buffer.compress(with: .gzip())
            return Array(compressed.readableBytesView)
        } catch {
            throw SnowflakeError(.fileTransfer, "gzip compression failed: \(error)")
        }
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
