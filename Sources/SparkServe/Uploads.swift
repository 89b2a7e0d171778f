import Foundation
import Hummingbird
import NIOCore

/// A multipart form (`multipart/form-data`) streamed from the request body (``MultipartStream``): its text fields in
/// memory, its files straight to disk, never held whole. The uploaded files' own names are kept
/// only as text; on disk each is `part-<n>.csv` in a folder of the upload's own.
struct ReceivedForm {
    var fields: [String: String]
    /// The uploaded files, in the order sent, with the name the browser gave (for display only).
    var files: [(url: URL, originalName: String, bytes: Int)]
    /// The folder holding the files; removed by the caller when done.
    var folder: URL

    /// Text fields longer than this are refused: every field spark takes is a short value.
    static let maxFieldBytes = 4096

    /// Reads `request`'s body into `folder` (created, 0700). Throws 400 for a body that is not a
    /// multipart form and 413 past `maxBytes`, removing what it wrote.
    static func receive(_ request: Request, into folder: URL, maxBytes: Int) async throws -> ReceivedForm {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
              let boundary = Self.boundary(type) else {
            throw HTTPError(.badRequest, message: "send the files as multipart/form-data (a form with enctype=\"multipart/form-data\", or curl -F)")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw HTTPError(.contentTooLarge, message: Self.tooLarge(maxBytes))
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        do {
            return try await Self.parse(request.body, boundary: boundary, folder: folder, maxBytes: maxBytes)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    static func tooLarge(_ maxBytes: Int) -> String {
        "the upload is larger than \(maxBytes / 1_048_576) MB; start spark serve with a larger --max-upload-mb, or load the file with spark plan"
    }

    private static func parse(_ body: RequestBody, boundary: String, folder: URL, maxBytes: Int) async throws -> ReceivedForm {
        var fields: [String: String] = [:]
        var files: [(url: URL, originalName: String, bytes: Int)] = []
        var handle: FileHandle?
        var field: (name: String, value: [UInt8])?
        // Bytes gathered and written a MiB at a time.
        var pending: [UInt8] = []
        pending.reserveCapacity(1 << 20)
        func flush() {
            guard !pending.isEmpty else { return }
            handle?.write(Data(pending))
            pending.removeAll(keepingCapacity: true)
        }
        var parser = MultipartStream(boundary: boundary)
        parser.onPartStart = { headers in
            let disposition = headers["content-disposition"] ?? ""
            if let original = Self.parameter("filename", in: disposition) {
                let url = folder.appendingPathComponent("part-\(files.count + 1).csv")
                guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]),
                      let h = FileHandle(forWritingAtPath: url.path) else {
                    throw HTTPError(.internalServerError, message: "cannot store the upload under \(folder.path)")
                }
                handle = h
                files.append((url, original, 0))
            } else if let name = Self.parameter("name", in: disposition) {
                field = (name, [])
            }
        }
        parser.onBody = { bytes in
            if handle != nil {
                pending.append(contentsOf: bytes)
                files[files.count - 1].bytes += bytes.count
                if pending.count >= 1 << 20 { flush() }
            } else if field != nil {
                field!.value.append(contentsOf: bytes)
                if field!.value.count > maxFieldBytes {
                    throw HTTPError(.badRequest, message: "a form field is longer than \(maxFieldBytes) bytes")
                }
            }
        }
        parser.onPartEnd = {
            if let h = handle {
                flush()
                try h.close()
                handle = nil
            } else if let f = field {
                fields[f.name] = String(decoding: f.value, as: UTF8.self)
                field = nil
            }
        }
        var total = 0
        do {
            for try await buffer in body {
                total += buffer.readableBytes
                if total > maxBytes { throw HTTPError(.contentTooLarge, message: tooLarge(maxBytes)) }
                try parser.feed(buffer.readableBytesView)
            }
            guard parser.finished else { throw MultipartStream.Failure.syntax("the form ends before its closing boundary") }
        } catch let e as HTTPError {
            try? handle?.close()
            throw e
        } catch {
            try? handle?.close()
            throw HTTPError(.badRequest, message: "the form could not be read: \(error)")
        }
        return ReceivedForm(fields: fields, files: files, folder: folder)
    }

    static func boundary(_ contentType: String) -> String? {
        parameter("boundary", in: contentType)
    }

    /// `name="x"` or `name=x` from a header value such as Content-Disposition.
    static func parameter(_ key: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let kv = part.trimmingCharacters(in: .whitespaces)
            guard kv.lowercased().hasPrefix(key + "=") else { continue }
            var value = kv.dropFirst(key.count + 1)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            return String(value)
        }
        return nil
    }
}
