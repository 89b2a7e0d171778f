import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// A multipart form (`multipart/form-data`) streamed from the request body: its text fields in
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

    private final class State {
        var fields: [String: String] = [:]
        var files: [(url: URL, originalName: String, bytes: Int)] = []
        var headers: [String: String] = [:]
        var fieldValue: [UInt8] = []
        var handle: FileHandle?
        var error: HTTPError?
    }

    private static func parse(_ body: RequestBody, boundary: String, folder: URL, maxBytes: Int) async throws -> ReceivedForm {
        let parser = MultipartParser(boundary: boundary)
        let state = State()
        parser.onHeader = { name, value in state.headers[name.lowercased()] = value }
        parser.onBody = { buffer in
            guard state.error == nil else { return }
            let disposition = state.headers["content-disposition"] ?? ""
            if Self.parameter("filename", in: disposition) != nil {
                if state.handle == nil {
                    let url = folder.appendingPathComponent("part-\(state.files.count + 1).csv")
                    _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
                    state.handle = FileHandle(forWritingAtPath: url.path)
                    state.files.append((url, Self.parameter("filename", in: disposition) ?? "", 0))
                }
                let bytes = buffer.readableBytesView
                state.handle?.write(Data(bytes))
                state.files[state.files.count - 1].bytes += bytes.count
            } else {
                state.fieldValue += buffer.readableBytesView
                if state.fieldValue.count > maxFieldBytes {
                    state.error = HTTPError(.badRequest, message: "a form field is longer than \(maxFieldBytes) bytes")
                }
            }
        }
        parser.onPartComplete = {
            let disposition = state.headers["content-disposition"] ?? ""
            if let handle = state.handle {
                try? handle.close()
                state.handle = nil
            } else if Self.parameter("filename", in: disposition) == nil, let name = Self.parameter("name", in: disposition) {
                state.fields[name] = String(decoding: state.fieldValue, as: UTF8.self)
            }
            state.fieldValue = []
            state.headers = [:]
        }
        var total = 0
        do {
            for try await buffer in body {
                total += buffer.readableBytes
                if total > maxBytes { throw HTTPError(.contentTooLarge, message: tooLarge(maxBytes)) }
                try parser.execute(buffer)
                if let error = state.error { throw error }
            }
        } catch let e as HTTPError {
            try? state.handle?.close()
            throw e
        } catch {
            try? state.handle?.close()
            throw HTTPError(.badRequest, message: "the form could not be read: \(error)")
        }
        return ReceivedForm(fields: state.fields, files: state.files, folder: folder)
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
