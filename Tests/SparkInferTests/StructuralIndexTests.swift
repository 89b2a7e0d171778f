import Foundation
@testable import SparkInfer
import Testing

/// The structural-index parser against the byte-at-a-time (SWAR) parser on random bytes: same
/// outcomes, same fields, and `ascii` exactly right.
@Suite struct StructuralIndexTests {
    typealias Random = RoundTripPropertyTests.Random

    /// Pieces that stress the parser: every structural byte, doubled quotes, CRLF, multi-byte UTF-8.
    static let pieces: [[UInt8]] = [
        [0x61], [0x62], [0x31], [0x20], [0x2C], [0x3B], [0x09], [0x22], [0x22, 0x22], [0x0A], [0x0D], [0x0D, 0x0A],
        [0xC3, 0xA9], [0xE2, 0x80, 0x93], [0x00], [0xFF], Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8),
        Array("\"quoted, with a \"\"quote\"\" inside\"".utf8), Array("2024-03-02".utf8), Array("\"x\ny\"".utf8),
    ]

    func randomBytes(_ rng: inout Random) -> [UInt8] {
        let target = rng.pick([1, 15, 63, 64, 65, 127, 128, 200, 600])
        var bytes: [UInt8] = []
        while bytes.count < target { bytes += rng.pick(StructuralIndexTests.pieces) }
        return bytes
    }

    struct Field: Equatable, CustomStringConvertible {
        var start, count: Int
        var quoted, escaped: Bool
        var doubled: UInt8
        var description: String { "\(start)+\(count)\(quoted ? "q" : "")\(escaped ? "e\(doubled)" : "")" }
    }

    enum Outcome: Equatable {
        case record(next: Int, lines: Int, fields: [Field])
        case needMore, unterminated(Int), badQuote(Int)
    }

    func outcome(_ o: ParseOutcome, _ fields: FieldBuffer) -> Outcome {
        switch o {
        case let .record(next, lines):
            let fs = (0..<fields.count).map { k in
                let f = fields.pointer[k]
                return Field(start: f.start, count: f.count, quoted: f.quoted, escaped: f.escaped, doubled: f.doubledQuotes)
            }
            return .record(next: next, lines: lines, fields: fs)
        case .needMore: return .needMore
        case let .unterminatedQuote(l): return .unterminated(l)
        case let .badQuote(l): return .badQuote(l)
        }
    }

    /// Parses every record of `bytes[0..<n]` with both parsers and compares them record by record.
    func compare(_ bytes: [UInt8], window n: Int, eof: Bool, delimiter: UInt8, context: String) {
        let parser = RecordParser(delimiter: delimiter)
        defer { parser.deallocate() }
        let index = StructuralIndex(delimiter: delimiter)
        let scalarFields = FieldBuffer(capacity: 2), indexedFields = FieldBuffer(capacity: 2)
        // An exact-size copy, so reading past the window's end is caught by the address sanitizer.
        let window = UnsafeMutablePointer<UInt8>.allocate(capacity: max(n, 1))
        defer { window.deallocate() }
        window.initialize(from: bytes, count: n)
        let p = UnsafePointer(window)
        index.reset(p, count: n)
        var pos = 0
        while pos < n || (pos == n && eof && pos == 0) {
            let a = parser.parse(at: pos, in: p, count: n, eof: eof, fields: scalarFields)
            let b = parser.parse(at: pos, in: p, count: n, eof: eof, fields: indexedFields, index: index)
            let oa = outcome(a, scalarFields), ob = outcome(b, indexedFields)
            #expect(oa == ob, "\(context), window \(n), eof \(eof), record at \(pos)")
            guard oa == ob, case let .record(next, _, fields) = ob else { return }
            for (k, f) in fields.enumerated() {
                let exact = bytes[f.start..<(f.start + f.count)].allSatisfy { $0 < 0x80 }
                #expect(indexedFields.pointer[k].ascii == exact, "\(context): ascii of field \(f)")
                // The scalar parser may call an ASCII field non-ASCII, never the reverse.
                if scalarFields.pointer[k].ascii { #expect(exact, "\(context): scalar ascii of field \(f)") }
            }
            if next == pos { return }
            pos = next
        }
    }

    @Test(arguments: 0..<400)
    func indexedParserAgreesWithTheScalarParser(seed: Int) {
        var rng = Random(state: UInt64(77_000 + seed))
        let bytes = randomBytes(&rng)
        let delimiter = rng.pick([UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")])
        // Windows ending everywhere near block edges, and tiny ones.
        var windows = Set([bytes.count, 16, 1, 0].filter { $0 <= bytes.count })
        for edge in stride(from: 64, through: bytes.count, by: 64) {
            for d in -2...2 where edge + d >= 0 && edge + d <= bytes.count { windows.insert(edge + d) }
        }
        for _ in 0..<4 { windows.insert(rng.below(bytes.count + 1)) }
        for n in windows.sorted() {
            for eof in [false, true] {
                compare(bytes, window: n, eof: eof, delimiter: delimiter, context: "seed \(seed)")
            }
        }
    }

    @Test func quotesAndLineBreaksExactlyAtBlockEdges() {
        // A quote, a CR of a CRLF, and a doubled quote straddling every position around 64 and 128.
        for shift in 0..<70 {
            for tail in ["\"a\"\"b\",c\r\nd,e\n", "\"x\r\ny\",\"\"\r\nz,\"w\"", "a\r\n\"b\rc\"\n,\"\"\"\""] {
                let bytes = Array(String(repeating: "k", count: 58 + shift).utf8) + Array(tail.utf8) + Array(tail.utf8)
                for n in [bytes.count, bytes.count - 1, bytes.count - 3] {
                    for eof in [false, true] {
                        compare(bytes, window: n, eof: eof, delimiter: UInt8(ascii: ","), context: "shift \(shift), tail \(tail.debugDescription)")
                    }
                }
            }
        }
    }

    @Test(arguments: 0..<200)
    func sse2AndPortableMasksAgree(seed: Int) {
        var rng = Random(state: UInt64(5_000 + seed))
        var block = [UInt8](repeating: 0, count: 64)
        for k in 0..<64 { block[k] = rng.pick([0x22, 0x2C, 0x0A, 0x0D, 0x61, 0x80, 0xFF, UInt8(truncatingIfNeeded: rng.next())]) }
        let delimiter = rng.pick([UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(0x80)])
        block.withUnsafeBytes { raw in
            let portable = StructuralIndex.classifyPortable(raw.baseAddress!, delimiter: delimiter)
            let used = StructuralIndex.classify(raw.baseAddress!, delimiter: delimiter)
            #expect(portable == used, "seed \(seed)")
            // And both against the definition.
            var expected = BlockMasks()
            for (k, b) in block.enumerated() {
                let bit: UInt64 = 1 << UInt64(k)
                if b == 0x0A || b == 0x0D { expected.newlines |= bit }
                if b == 0x0A || b == 0x0D || b == delimiter { expected.separators |= bit }
                if b == 0x22 { expected.quotes |= bit }
                if b >= 0x80 { expected.high |= bit }
            }
            #expect(portable == expected, "seed \(seed)")
        }
    }

    @Test(arguments: 0..<60)
    func scannerWithTinyWindowsReadsWhatTheScalarParserReads(seed: Int) throws {
        // Whole files through RecordScanner (index rebuilt at every refill) against a scalar walk.
        var rng = Random(state: UInt64(9_100 + seed))
        var bytes: [UInt8] = []
        let rows = 1 + rng.below(40)
        for _ in 0..<rows {
            let width = 1 + rng.below(6)
            bytes += (0..<width).map { _ -> [UInt8] in
                let raw = (0..<rng.below(20)).flatMap { _ in rng.pick([[0x61], [0x2C], [0x0A], [0x0D, 0x0A], [0x22, 0x22], [0xC3, 0xA9], [0x39]]) }
                return rng.below(2) == 0 ? [0x22] + raw + [0x22] : raw.filter { $0 != 0x22 && $0 != 0x2C && $0 != 0x0A && $0 != 0x0D }
            }.joined(separator: [0x2C]) + [0x0A]
        }
        let expected = scalarRecords(bytes)
        for capacity in [16, 64, 100] {
            let path = try temporaryFile(bytes)
            let input = try DecodedInput(path: path, capacity: capacity)
            let scanner = RecordScanner(input: input, delimiter: 0x2C)
            var sink = RoundTripPropertyTests.Collector()
            try scanner.scan(into: &sink)
            #expect(sink.rows == expected, "seed \(seed), capacity \(capacity)")
        }
    }

    /// Every record of a whole in-memory file by the scalar parser, as strings.
    func scalarRecords(_ bytes: [UInt8]) -> [[String]] {
        let parser = RecordParser(delimiter: 0x2C)
        defer { parser.deallocate() }
        let fields = FieldBuffer()
        var rows: [[String]] = []
        bytes.withUnsafeBufferPointer { buffer in
            var pos = 0
            while pos < buffer.count {
                guard case let .record(next, _) = parser.parse(at: pos, in: buffer.baseAddress!, count: buffer.count, eof: true, fields: fields) else { return }
                let view = RecordView(bytes: buffer.baseAddress!, fields: fields.pointer, count: fields.count, line: 0)
                rows.append((0..<view.count).map { view.string($0) })
                pos = next
            }
        }
        return rows
    }
}
