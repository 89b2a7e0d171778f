@testable import SparkInfer
import Testing

/// The parser's 64-byte separator blocks: the SSE2 masks equal the portable ones, and records
/// with fields longer than a block (and non-ASCII bytes anywhere) parse exactly.
@Suite struct SeparatorBlockTests {
    typealias Random = RoundTripPropertyTests.Random

    @Test func sse2MasksEqualThePortableOnes() {
        var rng = Random(state: 7)
        let bytes: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C, 0x0A, 0x0D, 0x22, 0x41, 0x30, 0x80, 0xC3, 0xA9, 0xFF, 0x00, 0x7F]
        for round in 0..<20_000 {
            let block = (0..<64).map { _ in rng.pick(bytes) }
            let delimiter = rng.pick([UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")])
            block.withUnsafeBytes { p in
                let fast = SeparatorBlock.classify(p.baseAddress!, delimiter: delimiter)
                let reference = SeparatorBlock.classifyPortable(p.baseAddress!, delimiter: delimiter)
                #expect(fast == reference, "round \(round)")
            }
        }
    }

    @Test(arguments: 0..<200)
    func longFieldsParseExactly(seed: Int) throws {
        var rng = Random(state: UInt64(50_000 + seed))
        let delimiter = rng.pick([UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "|")])
        let d = String(UnicodeScalar(delimiter))
        // Fields from empty to several blocks long; unquoted unless they need quotes.
        let pieces = ["a", "7", " ", ".", "é", "€", "\t", "-", "xyzxyzxyz"]
        let width = 1 + rng.below(8)
        var rows: [[String]] = []
        for _ in 0..<(1 + rng.below(40)) {
            rows.append((0..<width).map { _ in
                let n = rng.pick([0, 1, 5, 8, 20, 63, 64, 65, 130])
                return (0..<n).map { _ in rng.pick(pieces) }.joined()
            })
        }
        let ending = rng.pick(["\n", "\r\n"])
        let text = rows.map { row in
            row.map { $0.isEmpty && row.count == 1 ? "\"\"" : $0 }.joined(separator: d)
        }.joined(separator: ending) + ending
        let back = try RoundTripPropertyTests.collect(Array(text.utf8), delimiter: delimiter, capacity: rng.pick([256, 4096, 1 << 16]))
        #expect(back.rows == rows, "seed \(seed)")
        for (row, flags) in zip(rows, back.ascii) {
            for (value, ascii) in zip(row, flags) where ascii {
                // A field flagged ASCII must be; a non-ASCII one may only ever be flagged so.
                #expect(value.utf8.allSatisfy { $0 < 0x80 }, "seed \(seed): \(value.debugDescription) flagged ASCII")
            }
        }
    }
}
