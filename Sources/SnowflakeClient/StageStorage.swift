import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Puts one prepared file into a stage location. One implementation per kind of storage.
public protocol StageUploader: Sendable {
    func upload(_ file: StagedFile, to location: StageLocation) async throws
}

/// Fetches one staged object into a local file, decrypting it, for `GET`.
protocol StageDownloader: Sendable {
    /// - Returns: the bytes written to `target`.
    func download(_ name: String, from location: StageLocation, material: [String: String]?, to target: String) async throws -> Int
}

/// The stage's temporary credentials (or presigned URL) expired during a transfer: the caller
/// re-issues the statement for fresh ones and tries the file again.
struct StageCredentialsExpired: Error {}

/// Sizes of the streaming transfers. Parts are read, encrypted and sent one at a time, so memory
/// stays near one part whatever the file size.
public struct StageTransferSizes: Sendable {
    /// Files larger than this (after compression) go up in parts; smaller ones in one request, held in
    /// memory twice (plain and encrypted). The drivers use 64 MiB; 8 MiB keeps a transfer near 16 MiB.
    public var multipartThreshold: Int
    /// Bytes of plaintext per part; a multiple of 16, and at least 5 MiB for S3.
    public var partSize: Int

    public init(multipartThreshold: Int = 8 << 20, partSize: Int = 5 << 20) {
        self.multipartThreshold = multipartThreshold
        // Whole AES blocks, so that only the last part carries padding.
        self.partSize = max(16, partSize / 16 * 16)
    }
    public static let standard = StageTransferSizes()

    /// The part size for a file of `size` bytes: larger than ``partSize`` when needed to stay within
    /// 10,000 parts (S3's and Azure's limit), as the drivers compute it.
    func partSize(forUploadOf size: Int) -> Int {
        let needed = (size + 9_998) / 9_999
        return max(partSize, (needed + 15) / 16 * 16)
    }
}

/// Reads a file in parts and encrypts them when the stage asks for it; the last part carries the padding.
final class UploadChunks: @unchecked Sendable {
    let path: String
    let handle: FileHandle
    var remaining: Int
    var encryptor: FileEncryptor?
    /// Total bytes that will be sent.
    let uploadSize: Int

    init(_ file: StagedFile, encryptor: FileEncryptor?) throws {
        guard let handle = FileHandle(forReadingAtPath: file.uploadPath) else {
            throw SnowflakeError(.fileTransfer, "PUT: cannot read \(file.uploadPath)")
        }
        path = file.uploadPath
        self.handle = handle
        remaining = file.uploadSize
        self.encryptor = encryptor
        uploadSize = encryptor == nil ? file.uploadSize : FileEncryptor.encryptedSize(file.uploadSize)
    }

    deinit { try? handle.close() }

    /// The next part of at most `size` plaintext bytes (encrypted when the stage asks), or nil when all
    /// was read. The file is read straight into a buffer, so a part is held at most twice.
    ///
    /// Both buffers are sized exactly once and reused part after part (ByteBuffer's own growth rounds
    /// up to a power of two, and fresh multi-megabyte blocks each part leave freed memory in malloc's
    /// arenas, which made a 1 GiB upload's memory grow with the file).
    func next(_ size: Int) throws -> ByteBuffer? {
        if remaining == 0 && (encryptor == nil || finished) { return nil }
        let want = min(size, remaining)
        if plain.count < want { plain = [UInt8](repeating: 0, count: want) }
        if want > 0 {
            let got = try plain.withUnsafeMutableBytes {
                try StagedFile.readFully(handle.fileDescriptor, into: UnsafeMutableRawBufferPointer(rebasing: $0[..<want]), path: path)
            }
            guard got == want else {
                throw SnowflakeError(.fileTransfer, "PUT: \(path) could not be read whole, or changed while it was being uploaded")
            }
        }
        remaining -= want
        TransferProgress.bytes.add(want, ordering: .relaxed)
        let needed = want + (encryptor == nil ? 0 : 16)
        if out.capacity < needed { out = ByteBufferAllocator().buffer(capacity: needed) }
        out.clear()
        guard var encryptor else {
            out.writeBytes(plain[..<want])
            return out
        }
        try plain.withUnsafeBytes {
            try encryptor.encrypt(UnsafeRawBufferPointer(rebasing: $0[..<want]), last: remaining == 0, into: &out)
        }
        self.encryptor = encryptor
        finished = remaining == 0
        return out
    }
    private var finished = false
    private var plain: [UInt8] = []
    private var out = ByteBuffer()

    /// The whole body as one stream, for single-request uploads of any size.
    func stream(partSize: Int) -> HTTPClientRequest.Body {
        let parts = AsyncThrowingStream<ByteBuffer, any Error> { [self] in
            try self.next(partSize)
        }
        return .stream(parts, length: .known(Int64(uploadSize)))
    }
}

/// Decrypts (when the object is encrypted), writes and digests a downloaded object, then checks the digest.
struct ObjectSink {
    let target: String
    let temporary: String
    let handle: FileHandle
    var decryptor: FileDecryptor?
    var hash = SHA256()
    var written = 0

    init(target: String) throws {
        self.target = target
        temporary = target + ".part-\(UUID().uuidString.prefix(8))"
        let directory = (target as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw SnowflakeError(.fileTransfer, "GET: cannot write \(target); check the directory exists and is writable")
        }
        self.handle = handle
    }

    mutating func start(metadata: EncryptionMetadata?, material: [String: String]?) throws {
        guard let metadata else { return }
        guard let material else {
            throw SnowflakeError(.fileTransfer, "GET \(target): the object is encrypted but the server sent no key material")
        }
        decryptor = try FileDecryptor(metadata: metadata, material: StageEncryptionMaterial(material))
    }

    mutating func write(_ piece: ByteBuffer) throws {
        if var decryptor {
            let plain = try piece.withUnsafeReadableBytes { try decryptor.decrypt(UnsafeRawBufferPointerBytes($0)) }
            self.decryptor = decryptor
            try emit(plain)
        } else {
            try emit(Array(piece.readableBytesView))
        }
    }

    private mutating func emit(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        hash.update(data: bytes)
        written += bytes.count
        try handle.write(contentsOf: bytes)
    }

    /// Finishes the file; `digest` is the object's `sfc-digest`, checked when present.
    mutating func finish(digest: String?) throws -> Int {
        do {
            if var decryptor { try emit(try decryptor.finish()) }
            try handle.close()
            let actual = Data(hash.finalize()).base64EncodedString()
            if let digest, !digest.isEmpty, digest != actual {
                throw SnowflakeError(
                    .fileTransfer, "GET \(target): the downloaded bytes do not match the stage's sfc-digest; run GET again")
            }
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.moveItem(atPath: temporary, toPath: target)
            return written
        } catch {
            abandon()
            throw error
        }
    }

    func abandon() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporary)
    }
}

enum StageErrors {
    /// What to do about a refused transfer.
    static func hint(_ status: Int) -> String {
        switch status {
        case 401, 403: return "; the stage refused its credentials: run the statement again for fresh ones, and check the role may use the stage"
        case 404: return "; the stage's bucket, container or object does not exist: check the stage name and path"
        default: return "; run the statement again"
        }
    }
}

/// Raw bytes as `ContiguousBytes`, to decrypt a received buffer without copying it first.
struct UnsafeRawBufferPointerBytes: ContiguousBytes {
    let buffer: UnsafeRawBufferPointer
    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try body(buffer) }
}

/// Where a stage's objects live: `bucket/prefix/` split, and how URLs are formed.
struct StagePath {
    var bucket: String
    var prefix: String

    init(_ location: String) {
        let parts = location.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        bucket = String(parts.first ?? "")
        var prefix = parts.count > 1 ? String(parts[1]) : ""
        if !prefix.isEmpty && !prefix.hasSuffix("/") { prefix += "/" }
        self.prefix = prefix
    }

    func key(_ name: String) -> String { prefix + name.drop { $0 == "/" } }
}

// MARK: S3

/// Uploads to and downloads from an S3 stage with SigV4-signed requests.
///
/// The endpoint: an `endPoint` with a scheme (an S3-compatible server such as moto) is addressed
/// path-style, `<endPoint>/<bucket>/<key>`; one without a scheme (FIPS) as `https://<bucket>.<endPoint>`;
/// China regions at `s3.<region>.amazonaws.com.cn`; otherwise the region's virtual-hosted endpoint
/// `https://<bucket>.s3.<region>.amazonaws.com`, which every region answers without redirects.
struct S3Stage: StageUploader, StageDownloader {
    let transport: HTTPTransport
    var sizes = StageTransferSizes.standard

    struct Target {
        var baseURL: String
        var host: String
        /// The object path, raw (not percent-encoded), starting with `/`.
        var path: String
    }

    static func target(_ location: StageLocation, key: String) throws -> Target {
        let stage = StagePath(location.location)
        let region = location.region ?? "us-east-1"
        var base: String
        var pathStyle = false
        if let endpoint = location.endpoint, !endpoint.isEmpty {
            if endpoint.contains("://") {
                base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
                pathStyle = true
            } else {
                base = "https://\(stage.bucket).\(endpoint)"
            }
        } else if region.hasPrefix("cn-") {
            base = "https://\(stage.bucket).s3.\(region).amazonaws.com.cn"
        } else {
            base = "https://\(stage.bucket).s3.\(region).amazonaws.com"
        }
        guard let url = URL(string: base), let hostName = url.host, let scheme = url.scheme else {
            throw SnowflakeError(.protocolViolation, "the S3 stage's endpoint is not a valid URL")
        }
        let host = url.port.map { "\(hostName):\($0)" } ?? hostName
        // A path in the endpoint (a proxy's prefix) is part of every object path, and of what is signed.
        let prefix = url.path.hasSuffix("/") ? String(url.path.dropLast()) : url.path
        let path = prefix + (pathStyle ? "/\(stage.bucket)" : "") + (key.isEmpty ? "" : "/" + stage.key(key))
        return Target(baseURL: "\(scheme)://\(host)", host: host, path: path)
    }

    static func signer(_ location: StageLocation) throws -> SigV4Signer {
        guard let keyId = location.credentials["AWS_KEY_ID"], let secret = location.credentials["AWS_SECRET_KEY"] else {
            throw SnowflakeError(.protocolViolation, "the S3 stage's answer has no AWS_KEY_ID and AWS_SECRET_KEY credentials")
        }
        let token = location.credentials["AWS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return SigV4Signer(
            accessKeyId: keyId, secretAccessKey: secret, sessionToken: token, region: location.region ?? "us-east-1", service: "s3")
    }

    /// One signed request; the body is in memory (at most one part).
    func send(
        _ method: HTTPMethod, _ target: Target, signer: SigV4Signer, query: [(String, String)] = [],
        headers: [(String, String)] = [], body: ByteBuffer = ByteBuffer()
    ) async throws -> HTTPAnswer {
        let payloadHash = body.withUnsafeReadableBytes { SigV4Signer.hex(SHA256.hash(data: $0)) }
        let signed = signer.sign(
            method: method.rawValue, host: target.host, path: target.path, query: query,
            headers: headers + [("x-amz-content-sha256", payloadHash)], payloadHash: payloadHash, date: Date())
        var url = target.baseURL + SigV4Signer.encode(target.path.isEmpty ? "/" : target.path, keepSlash: true)
        if !query.isEmpty {
            url += "?" + query.map { $0.1.isEmpty ? SigV4Signer.encode($0.0, keepSlash: false) : "\(SigV4Signer.encode($0.0, keepSlash: false))=\(SigV4Signer.encode($0.1, keepSlash: false))" }
                .joined(separator: "&")
        }
        let answer = try await transport.send(method, url, headers: signed.headers) {
            method == .GET || method == .DELETE ? nil : HTTPClientRequest.Body.bytes(body)
        }
        if answer.status == 400, String(decoding: answer.body, as: UTF8.self).contains("<Code>ExpiredToken</Code>") {
            throw StageCredentialsExpired()
        }
        return answer
    }

    static func metadata(_ file: StagedFile, _ encryption: EncryptionMetadata?) -> [(String, String)] {
        var headers = [("x-amz-meta-sfc-digest", file.sha256Digest)]
        if let encryption {
            headers += [
                ("x-amz-meta-x-amz-key", encryption.key), ("x-amz-meta-x-amz-iv", encryption.iv),
                ("x-amz-meta-x-amz-matdesc", encryption.matdesc),
            ]
        }
        return headers
    }

    func upload(_ file: StagedFile, to location: StageLocation) async throws {
        let signer = try Self.signer(location)
        let target = try Self.target(location, key: file.destinationName)
        let encryptor = try location.encryptionMaterial.map { try FileEncryptor(material: StageEncryptionMaterial($0)) }
        let chunks = try UploadChunks(file, encryptor: encryptor)
        let headers = Self.metadata(file, encryptor?.metadata)
        let what = "PUT \(file.sourcePath)"
        if chunks.uploadSize <= sizes.multipartThreshold {
            let body = try chunks.next(max(file.uploadSize, 1)) ?? ByteBuffer()
            let answer = try await send(.PUT, target, signer: signer, headers: headers, body: body)
            try Self.check(answer, what)
            return
        }
        let started = try await send(.POST, target, signer: signer, query: [("uploads", "")], headers: headers)
        try Self.check(started, "\(what) (starting the multipart upload)")
        guard let uploadId = Self.xmlValue("UploadId", in: started.body) else {
            throw SnowflakeError(.protocolViolation, "\(what): S3 started a multipart upload without an UploadId")
        }
        do {
            var etags: [String] = []
            let partSize = sizes.partSize(forUploadOf: file.uploadSize)
            while let part = try chunks.next(partSize) {
                let number = etags.count + 1
                let answer = try await send(
                    .PUT, target, signer: signer, query: [("partNumber", String(number)), ("uploadId", uploadId)], body: part)
                try Self.check(answer, "\(what) (part \(number))")
                guard let etag = answer.headers.first(name: "ETag") else {
                    throw SnowflakeError(.protocolViolation, "\(what): S3 accepted part \(number) without an ETag")
                }
                etags.append(etag)
            }
            let parts = etags.enumerated().map { "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\($0.element)</ETag></Part>" }
            let body = ByteBuffer(string: "<CompleteMultipartUpload>\(parts.joined())</CompleteMultipartUpload>")
            let done = try await send(.POST, target, signer: signer, query: [("uploadId", uploadId)], body: body)
            try Self.check(done, "\(what) (completing the multipart upload)")
            if String(decoding: done.body, as: UTF8.self).contains("<Error>") {
                throw SnowflakeError(.fileTransfer, "\(what): S3 refused to complete the multipart upload; run the PUT again")
            }
        } catch {
            _ = try? await send(.DELETE, target, signer: signer, query: [("uploadId", uploadId)])
            throw error
        }
    }

    func download(_ name: String, from location: StageLocation, material: [String: String]?, to path: String) async throws -> Int {
        let signer = try Self.signer(location)
        let target = try Self.target(location, key: name)
        let signed = signer.sign(
            method: "GET", host: target.host, path: target.path,
            headers: [("x-amz-content-sha256", SigV4Signer.emptyPayloadHash)], payloadHash: SigV4Signer.emptyPayloadHash, date: Date())
        var sink = try ObjectSink(target: path)
        var started = false
        do {
            let answer = try await transport.download(
                target.baseURL + SigV4Signer.encode(target.path, keepSlash: true), headers: signed.headers
            ) { headers, piece in
                if !started {
                    started = true
                    try sink.start(metadata: Self.encryption(headers), material: material)
                }
                try sink.write(piece)
            }
            if answer.status == 400, String(decoding: answer.body, as: UTF8.self).contains("<Code>ExpiredToken</Code>") {
                throw StageCredentialsExpired()
            }
            try Self.check(answer, "GET \(name)")
            if !started { try sink.start(metadata: Self.encryption(answer.headers), material: material) }
            return try sink.finish(digest: answer.headers.first(name: "x-amz-meta-sfc-digest"))
        } catch {
            sink.abandon()
            throw error
        }
    }

    static func encryption(_ headers: HTTPHeaders) -> EncryptionMetadata? {
        guard let key = headers.first(name: "x-amz-meta-x-amz-key"), let iv = headers.first(name: "x-amz-meta-x-amz-iv") else {
            return nil
        }
        return EncryptionMetadata(key: key, iv: iv, matdesc: headers.first(name: "x-amz-meta-x-amz-matdesc") ?? "")
    }

    /// Creates the stage's bucket; for tests and benchmarks against S3-compatible servers.
    func createBucket(_ location: StageLocation) async throws {
        let answer = try await send(.PUT, try Self.target(location, key: ""), signer: try Self.signer(location))
        guard (200..<300).contains(answer.status) || answer.status == 409 else {
            throw SnowflakeError(.fileTransfer, "creating the bucket failed with HTTP \(answer.status)")
        }
    }

    static func check(_ answer: HTTPAnswer, _ what: String) throws {
        guard (200..<300).contains(answer.status) else {
            let code = xmlValue("Code", in: answer.body).map { " (\($0))" } ?? ""
            throw SnowflakeError(.fileTransfer, "\(what): S3 answered HTTP \(answer.status)\(code)\(StageErrors.hint(answer.status))")
        }
    }

    static func xmlValue(_ element: String, in body: [UInt8]) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        guard let open = text.range(of: "<\(element)>"), let close = text.range(of: "</\(element)>", range: open.upperBound..<text.endIndex)
        else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }
}

// MARK: Azure

/// Uploads to and downloads from an Azure stage with its SAS token: one Put Blob for small files,
/// Put Block and Put Block List for large ones. An `endPoint` with a scheme (an emulator) is addressed
/// as `<endPoint>/<account>/<container>/<blob>`.
struct AzureStage: StageUploader, StageDownloader {
    let transport: HTTPTransport
    var sizes = StageTransferSizes.standard

    static let expiryReasons = ["Signature not valid in the specified time frame", "Server failed to authenticate the request."]

    /// An expired SAS token: 403 whose reason or error message says so (HTTP libraries may replace the reason).
    static func isExpired(_ answer: HTTPAnswer) -> Bool {
        guard answer.status == 403 else { return false }
        let text = answer.reason + " " + String(decoding: answer.body, as: UTF8.self)
        return expiryReasons.contains { text.contains($0) }
    }

    static func url(_ location: StageLocation, name: String, query: String = "") throws -> String {
        let stage = StagePath(location.location)
        guard let account = location.storageAccount, var endpoint = location.endpoint, !endpoint.isEmpty else {
            throw SnowflakeError(.protocolViolation, "the Azure stage's answer has no storageAccount or endPoint")
        }
        guard var sas = location.credentials["AZURE_SAS_TOKEN"] else {
            throw SnowflakeError(.protocolViolation, "the Azure stage's answer has no AZURE_SAS_TOKEN")
        }
        if sas.hasPrefix("?") { sas.removeFirst() }
        let blob = SigV4Signer.encode(stage.bucket, keepSlash: false) + "/" + SigV4Signer.encode(stage.key(name), keepSlash: true)
        let base: String
        if endpoint.contains("://") {
            base = (endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint) + "/\(account)"
        } else {
            if endpoint.hasPrefix("blob.") { endpoint.removeFirst("blob.".count) }
            base = "https://\(account).blob.\(endpoint)"
        }
        return "\(base)/\(blob)?" + (query.isEmpty ? "" : query + "&") + sas
    }

    static func metadata(_ file: StagedFile, _ encryption: EncryptionMetadata?) -> [(String, String)] {
        var headers = [("x-ms-meta-sfcdigest", file.sha256Digest)]
        if let encryption {
            headers += [("x-ms-meta-encryptiondata", encryption.encryptionDataJSON), ("x-ms-meta-matdesc", encryption.matdesc)]
        }
        return headers
    }

    func put(_ url: String, headers: [(String, String)], body: ByteBuffer, what: String) async throws {
        let answer = try await transport.send(.PUT, url, headers: headers) { HTTPClientRequest.Body.bytes(body) }
        if Self.isExpired(answer) { throw StageCredentialsExpired() }
        guard (200..<300).contains(answer.status) else {
            throw SnowflakeError(.fileTransfer, "\(what): Azure answered HTTP \(answer.status)\(StageErrors.hint(answer.status))")
        }
    }

    func upload(_ file: StagedFile, to location: StageLocation) async throws {
        let encryptor = try location.encryptionMaterial.map { try FileEncryptor(material: StageEncryptionMaterial($0)) }
        let chunks = try UploadChunks(file, encryptor: encryptor)
        let metadata = Self.metadata(file, encryptor?.metadata)
        let what = "PUT \(file.sourcePath)"
        if chunks.uploadSize <= sizes.multipartThreshold {
            let body = try chunks.next(max(file.uploadSize, 1)) ?? ByteBuffer()
            try await put(
                try Self.url(location, name: file.destinationName), headers: [("x-ms-blob-type", "BlockBlob")] + metadata,
                body: body, what: what)
            return
        }
        var ids: [String] = []
        let partSize = sizes.partSize(forUploadOf: file.uploadSize)
        while let part = try chunks.next(partSize) {
            // Block ids: base64 of same-length strings, as Azure requires.
            let id = Data(String(format: "block-%08d", ids.count).utf8).base64EncodedString()
            let escaped = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id
            try await put(
                try Self.url(location, name: file.destinationName, query: "comp=block&blockid=\(escaped)"), headers: [],
                body: part, what: "\(what) (block \(ids.count + 1))")
            ids.append(id)
        }
        let list = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>" + ids.map { "<Latest>\($0)</Latest>" }.joined() + "</BlockList>"
        try await put(
            try Self.url(location, name: file.destinationName, query: "comp=blocklist"), headers: metadata, body: ByteBuffer(string: list),
            what: "\(what) (block list)")
    }

    func download(_ name: String, from location: StageLocation, material: [String: String]?, to path: String) async throws -> Int {
        var sink = try ObjectSink(target: path)
        var started = false
        do {
            let answer = try await transport.download(try Self.url(location, name: name), headers: []) { headers, piece in
                if !started {
                    started = true
                    try sink.start(metadata: try Self.encryption(headers), material: material)
                }
                try sink.write(piece)
            }
            if Self.isExpired(answer) { throw StageCredentialsExpired() }
            guard (200..<300).contains(answer.status) else { throw SnowflakeError(.fileTransfer, "GET \(name): Azure answered HTTP \(answer.status)\(StageErrors.hint(answer.status))") }
            if !started { try sink.start(metadata: try Self.encryption(answer.headers), material: material) }
            return try sink.finish(digest: answer.headers.first(name: "x-ms-meta-sfcdigest"))
        } catch {
            sink.abandon()
            throw error
        }
    }

    static func encryption(_ headers: HTTPHeaders) throws -> EncryptionMetadata? {
        guard let json = headers.first(name: "x-ms-meta-encryptiondata") else { return nil }
        return try EncryptionMetadata(encryptionDataJSON: json, matdesc: headers.first(name: "x-ms-meta-matdesc") ?? "")
    }
}

// MARK: GCS

/// Uploads to and downloads from a GCS stage: with the presigned URL the server gave for this one
/// file, or with its access token. The body streams from disk in one request of known length.
struct GCSStage: StageUploader, StageDownloader {
    let transport: HTTPTransport
    var sizes = StageTransferSizes.standard

    static func request(_ location: StageLocation, name: String) throws -> (url: String, headers: [(String, String)]) {
        if let presigned = location.presignedURL { return (presigned, []) }
        guard let token = location.credentials["GCS_ACCESS_TOKEN"] else {
            throw SnowflakeError(.protocolViolation, "the GCS stage's answer has neither a presigned URL nor GCS_ACCESS_TOKEN")
        }
        let stage = StagePath(location.location)
        let key = SigV4Signer.encode(stage.key(name), keepSlash: true)
        let url: String
        if let endpoint = location.endpoint, !endpoint.isEmpty {
            let base = endpoint.contains("://") ? endpoint : "https://" + endpoint
            url = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/\(stage.bucket)/\(key)"
        } else if location.useVirtualURL {
            url = "https://\(stage.bucket).storage.googleapis.com/\(key)"
        } else if location.useRegionalURL, let region = location.region {
            url = "https://storage.\(region.lowercased()).rep.googleapis.com/\(stage.bucket)/\(key)"
        } else {
            url = "https://storage.googleapis.com/\(stage.bucket)/\(key)"
        }
        return (url, [("Authorization", "Bearer \(token)")])
    }

    static func metadata(_ file: StagedFile, _ encryption: EncryptionMetadata?) -> [(String, String)] {
        var headers = [("x-goog-meta-sfc-digest", file.sha256Digest)]
        if let encryption {
            headers += [("x-goog-meta-encryptiondata", encryption.encryptionDataJSON), ("x-goog-meta-matdesc", encryption.matdesc)]
        }
        return headers
    }

    static func isExpired(_ status: Int, _ location: StageLocation) -> Bool {
        location.presignedURL == nil ? status == 401 : status == 400
    }

    func upload(_ file: StagedFile, to location: StageLocation) async throws {
        let (url, auth) = try Self.request(location, name: file.destinationName)
        let encryptor = try location.encryptionMaterial.map { try FileEncryptor(material: StageEncryptionMaterial($0)) }
        // Drivers leave Content-Encoding empty for gzip, so the object is stored as the .gz it is.
        let headers = auth + Self.metadata(file, encryptor?.metadata) + [("Content-Type", "application/octet-stream")]
        // Small pieces: the stream needs no more than one in flight.
        let partSize = 1 << 20
        let answer = try await transport.send(.PUT, url, headers: headers) {
            // Each attempt streams the file afresh with the same key and IV, so the body is identical.
            try UploadChunks(file, encryptor: encryptor).stream(partSize: partSize)
        }
        if Self.isExpired(answer.status, location) { throw StageCredentialsExpired() }
        guard (200..<300).contains(answer.status) else {
            throw SnowflakeError(
                .fileTransfer, "PUT \(file.sourcePath): GCS answered HTTP \(answer.status)\(StageErrors.hint(answer.status))")
        }
    }

    func download(_ name: String, from location: StageLocation, material: [String: String]?, to path: String) async throws -> Int {
        let (url, auth) = try Self.request(location, name: name)
        var sink = try ObjectSink(target: path)
        var started = false
        do {
            let answer = try await transport.download(url, headers: auth) { headers, piece in
                if !started {
                    started = true
                    try sink.start(metadata: try Self.encryption(headers), material: material)
                }
                try sink.write(piece)
            }
            if Self.isExpired(answer.status, location) { throw StageCredentialsExpired() }
            guard (200..<300).contains(answer.status) else { throw SnowflakeError(.fileTransfer, "GET \(name): GCS answered HTTP \(answer.status)\(StageErrors.hint(answer.status))") }
            if !started { try sink.start(metadata: try Self.encryption(answer.headers), material: material) }
            return try sink.finish(digest: answer.headers.first(name: "x-goog-meta-sfc-digest"))
        } catch {
            sink.abandon()
            throw error
        }
    }

    static func encryption(_ headers: HTTPHeaders) throws -> EncryptionMetadata? {
        guard let json = headers.first(name: "x-goog-meta-encryptiondata") else { return nil }
        return try EncryptionMetadata(encryptionDataJSON: json, matdesc: headers.first(name: "x-goog-meta-matdesc") ?? "")
    }
}

// MARK: Local

/// Copies the file into a local directory: the `LOCAL_FS` stages of test servers.
public struct LocalFileSystemUploader: StageUploader, StageDownloader {
    public init() {}

    public func upload(_ file: StagedFile, to location: StageLocation) async throws {
        let directory = (location.location as NSString).expandingTildeInPath
        let target = (directory as NSString).appendingPathComponent(file.destinationName)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: file.uploadPath, toPath: target)
        } catch {
            throw SnowflakeError(.fileTransfer, "PUT \(file.destinationName): cannot write \(target): \(error.localizedDescription)")
        }
    }

    func download(_ name: String, from location: StageLocation, material: [String: String]?, to path: String) async throws -> Int {
        let source = ((location.location as NSString).expandingTildeInPath as NSString).appendingPathComponent(name)
        do {
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.copyItem(atPath: source, toPath: path)
            return (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        } catch {
            throw SnowflakeError(.fileTransfer, "GET \(name): cannot copy \(source) to \(path): \(error.localizedDescription)")
        }
    }
}

/// Chooses the client for a stage location.
enum StageStorages {
    static func client(for location: StageLocation, transport: HTTPTransport, sizes: StageTransferSizes = .standard) throws
        -> any StageUploader & StageDownloader
    {
        switch location.locationType {
        case "LOCAL_FS": return LocalFileSystemUploader()
        case "S3": return S3Stage(transport: transport, sizes: sizes)
        case "AZURE": return AzureStage(transport: transport, sizes: sizes)
        case "GCS": return GCSStage(transport: transport, sizes: sizes)
        case _ where location.presignedURL != nil: return GCSStage(transport: transport, sizes: sizes)
        default:
            throw SnowflakeError(.unsupported, "stages of type \(location.locationType) are not supported")
        }
    }
}

/// One file to or from a stage location outside a session, by the same code PUT and GET use; for
/// tools and benchmarks that already hold a location (an S3-compatible server, say).
public enum StageTransfer {
    /// Sets the process's allocator up for stage transfers; call it once, first thing in `main`.
    ///
    /// Blocks of 5 MiB and more (the parts of stage uploads) are mmapped, so freeing one gives it
    /// back to the system. glibc's default raises this threshold after the first such free, and
    /// parts freed on other threads then stay cached in its per-thread arenas: a 1 GiB upload
    /// peaked at 71 MiB instead of 46 MiB.
    public static func configureAllocator() {
        #if canImport(Glibc)
        _ = glibcMallopt(-3 /* M_MMAP_THRESHOLD */, 5 << 20)
        #endif
    }

    /// Prepares (compresses, digests) and uploads `path`; returns what was uploaded.
    public static func put(
        _ path: String, to location: StageLocation, autoCompress: Bool = true, sizes: StageTransferSizes = .standard,
        logger: Logger = Logger(label: "snowflake.stage")
    ) async throws -> StagedFile {
        let staged = try StagedFile.prepare(path: path, autoCompress: autoCompress, sourceCompression: "auto_detect")
        defer { staged.removeTemporaryFile() }
        try await StageStorages.client(for: location, transport: transport(location, logger), sizes: sizes).upload(staged, to: location)
        return staged
    }

    /// Downloads object `name` into the file `target`, decrypting it; returns the bytes written.
    public static func get(
        _ name: String, from location: StageLocation, to target: String, logger: Logger = Logger(label: "snowflake.stage")
    ) async throws -> Int {
        try await StageStorages.client(for: location, transport: transport(location, logger))
            .download(name, from: location, material: location.encryptionMaterial, to: target)
    }

    /// Creates the bucket of an S3 location (S3-compatible test servers).
    public static func createBucket(_ location: StageLocation, logger: Logger = Logger(label: "snowflake.stage")) async throws {
        try await S3Stage(transport: transport(location, logger)).createBucket(location)
    }

    static func transport(_ location: StageLocation, _ logger: Logger) -> HTTPTransport {
        let secrets = Array(location.credentials.values) + Array((location.encryptionMaterial ?? [:]).values)
        return HTTPTransport(baseURL: "", retryPolicy: RetryPolicy(), logger: logger, scrubber: SecretScrubber(secrets))
    }
}

#if canImport(Glibc)
/// glibc's `mallopt`, which the Glibc module does not export (it lives in <malloc.h>).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
