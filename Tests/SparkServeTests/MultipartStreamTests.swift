import Foundation
import SparkTestSupport
@testable import SparkServe
import Testing

/// The hand-written multipart reader against the bytes it must give back, whatever the chunks.
@Suite struct MultipartStreamTests {
    struct Part: Equatable {
        var headers: [String: String]
        var body: [UInt8]
    }

    static func read(_ body: [UInt8], boundary: String, chunks: [Int]) throws -> (parts: [Part], finished: Bool) {
        var parts: [Part] = []
        var stream = MultipartStream(boundary: boundary)
        stream.onPartStart = { parts.append(Part(headers: $0, body: [])) }
        stream.onBody = { parts[parts.count - 1].body += $0 }
        var at = 0, k = 0
        while at < body.count {
            let n = max(1, chunks[k % chunks.count])
            try stream.feed(body[at..<min(body.count, at + n)])
            at += n
            k += 1
        }
        return (parts, stream.finished)
    }

    @Test(arguments: 0..<200)
    func partsComeBackExactlyWhateverTheChunks(seed: Int) throws {
        var rng = SplitMix(state: UInt64(seed))
        let boundary = "----spark\(rng.next() % 100_000)"
        // Bodies full of near-misses: CR, LF, dashes and the boundary's own prefix.
        let alphabet: [UInt8] = Array("ab,\r\n-\"".utf8) + Array("\r\n--\(boundary.prefix(6))".utf8)
        var expected: [Part] = []
        var wire: [UInt8] = []
        for i in 0..<Int(rng.next() % 4 + 1) {
            let body = (0..<Int(rng.next() % 3000)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let disposition = i == 0 ? "form-data; name=\"client\"" : "form-data; name=\"files\"; filename=\"f\(i).csv\""
            expected.append(Part(headers: ["content-disposition": disposition], body: body))
            wire += Array("--\(boundary)\r\nContent-Disposition: \(disposition)\r\n\r\n".utf8) + body + Array("\r\n".utf8)
        }
        wire += Array("--\(boundary)--\r\n".utf8)
        let chunks = (0..<8).map { _ in Int(rng.next() % 97) + 1 }
        let (parts, finished) = try Self.read(wire, boundary: boundary, chunks: chunks)
        #expect(parts == expected)
        #expect(finished)
    }

    @Test func aTruncatedFormIsNotFinishedAndBadHeadersAreRefused() throws {
        let wire = Array("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nvalue".utf8)
        let (parts, finished) = try Self.read(wire, boundary: "b", chunks: [5])
        #expect(parts.count == 1 && !finished, "no closing boundary: the server answers 400")
        #expect(throws: MultipartStream.Failure.self) {
            _ = try Self.read(Array("--b\r\nno colon here\r\n\r\nx\r\n--b--".utf8), boundary: "b", chunks: [64])
        }
    }
}
