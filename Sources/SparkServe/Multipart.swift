import Foundation

/// A streaming `multipart/form-data` reader: bytes in as they arrive, each part's headers and
/// body out through callbacks, nothing held but a delimiter's length of carry-over.
///
/// Hand-written, where a library would do, for speed: MultipartKit's parser (tried first) hands
/// a file's bytes over one line at a time, copying them byte by byte, and took 7 s to receive a
/// 100 MB export on these machines, slower than planning it. This one looks for the delimiter
/// with `firstIndex(of: CR)` and passes the bytes between in whole chunks.
struct MultipartStream {
    enum Failure: Error { case syntax(String) }

    /// `CRLF--boundary`: what ends a part's body.
    private let delimiter: [UInt8]
    private var carry: [UInt8] = []
    private enum State { case preamble, afterDelimiter, headers, body, done }
    private var state = State.preamble

    var onPartStart: ([String: String]) throws -> Void = { _ in }
    var onBody: (ArraySlice<UInt8>) throws -> Void = { _ in }
    var onPartEnd: () throws -> Void = {}

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    var finished: Bool { state == .done }

    /// Reads `bytes`, calling back for what they complete.
    mutating func feed<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        carry.append(contentsOf: bytes)
        var at = 0
        defer { carry.removeSubrange(0..<at) }
        while at < carry.count {
            switch state {
            case .preamble:
                // The first delimiter may stand at the very start, without its CRLF.
                let first = Array(delimiter.dropFirst(2))
                guard let found = find(first, from: at) else {
                    at = max(at, carry.count - first.count + 1)
                    return
                }
                at = found + first.count
                state = .afterDelimiter
            case .afterDelimiter:
                guard carry.count - at >= 2 else { return }
                if carry[at] == UInt8(ascii: "-"), carry[at + 1] == UInt8(ascii: "-") {
                    state = .done
                    at = carry.count
                    return
                }
                guard carry[at] == 13, carry[at + 1] == 10 else { throw Failure.syntax("no line break after a boundary") }
                at += 2
                state = .headers
            case .headers:
                guard let end = find([13, 10, 13, 10], from: at) else {
                    if carry.count - at > 16 * 1024 { throw Failure.syntax("a part's headers are longer than 16 KB") }
                    return
                }
                var headers: [String: String] = [:]
                for line in String(decoding: carry[at..<end], as: UTF8.self).split(separator: "\r\n") {
                    guard let colon = line.firstIndex(of: ":") else { throw Failure.syntax("a header line without a colon") }
                    headers[line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                at = end + 4
                try onPartStart(headers)
                state = .body
            case .body:
                if let found = find(delimiter, from: at) {
                    if found > at { try onBody(carry[at..<found]) }
                    try onPartEnd()
                    at = found + delimiter.count
                    state = .afterDelimiter
                } else {
                    // Everything but what could be the start of a delimiter cut by the chunk's end.
                    let safe = max(at, carry.count - (delimiter.count - 1))
                    if safe > at { try onBody(carry[at..<safe]) }
                    at = safe
                    return
                }
            case .done:
                at = carry.count
                return
            }
        }
    }

    /// The first index of `needle` in `carry` at or after `from`.
    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard let head = needle.first else { return from }
        var i = from
        while i + needle.count <= carry.count {
            guard let hit = carry[i...(carry.count - needle.count)].firstIndex(of: head) else { return nil }
            if carry[hit..<(hit + needle.count)].elementsEqual(needle) { return hit }
            i = hit + 1
        }
        return nil
    }
}
