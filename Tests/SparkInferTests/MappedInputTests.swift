import Foundation
import SparkTestSupport
@testable import SparkInfer
import Testing

/// Windows mapped from the file read exactly what windows read into memory read.
@Suite struct MappedInputTests {
    typealias Random = RoundTripPropertyTests.Random

    func records(_ input: DecodedInput) throws -> [[String]] {
        let scanner = RecordScanner(input: input, delimiter: 0x2C)
        var sink = RoundTripPropertyTests.Collector()
        try scanner.scan(into: &sink)
        return sink.rows
    }

    func randomFile(_ rng: inout Random, size: Int, bom: Bool) -> [UInt8] {
        var bytes: [UInt8] = bom ? [0xEF, 0xBB, 0xBF] : []
        while bytes.count < size {
            let field: [UInt8] = rng.pick([Array("12345".utf8), Array("\"a,\nb\"\"c\"".utf8), Array("café".utf8), [], Array("2024-01-02".utf8)])
            bytes += field + [rng.below(5) == 0 ? 0x0A : 0x2C]
        }
        // Cut at exactly `size` (it may end inside a quoted field: both readers must say the same).
        return Array(bytes.prefix(size))
    }

    @Test(arguments: 0..<40)
    func mappedWindowsReadWhatReadWindowsRead(seed: Int) throws {
        var rng = Random(state: UInt64(31_000 + seed))
        // Sizes around page boundaries, where the last window's slack matters.
        let size = rng.pick([1, 100, 4096 - 16, 4096, 4096 + 15, 8192 + 1, 20_000, 65_536 + 7])
        let bytes = randomFile(&rng, size: size, bom: false)
        let path = try temporaryFile(bytes)
        for capacity in [16, 64, 1000, 4096] {
            let read = Result { try records(DecodedInput(path: path, utf8From: 0, capacity: capacity, mapped: false)) }
            let mapped = Result { try records(DecodedInput(path: path, utf8From: 0, capacity: capacity, mapped: true)) }
            switch (read, mapped) {
            case let (.success(a), .success(b)): #expect(a == b, "seed \(seed), size \(size), capacity \(capacity)")
            case let (.failure(a as InferError), .failure(b as InferError)):
                #expect(a.kind == b.kind && a.line == b.line, "seed \(seed), size \(size), capacity \(capacity)")
            default: Issue.record("seed \(seed), size \(size), capacity \(capacity): \(read) vs \(mapped)")
            }
        }
    }

    @Test(arguments: 0..<20)
    func aMappedFirstHalfSkipsTheByteOrderMark(seed: Int) throws {
        var rng = Random(state: UInt64(32_000 + seed))
        let bytes = randomFile(&rng, size: rng.pick([5000, 70_000, 140_000]), bom: true)
        let path = try temporaryFile(bytes)
        let plain = try DecodedInput(path: path, capacity: 1000)
        let mapped = try DecodedInput(path: path, capacity: 1000)
        mapped.stopHashing()
        mapped.mapWindows()
        #expect(mapped.mapped)
        let a = Result { try records(plain) }, b = Result { try records(mapped) }
        #expect("\(a)" == "\(b)", "seed \(seed)")
    }

    @Test func aRecordLargerThanTheWindowGrowsAMappedWindow() throws {
        let big = String(repeating: "x", count: 50_000)
        let text = "a,b\n1,\"\(big)\"\n2,y\n" + String(repeating: "3,z\n", count: 20_000)
        let path = try temporaryFile(Array(text.utf8))
        let rows = try records(DecodedInput(path: path, utf8From: 0, capacity: 64, mapped: true))
        #expect(rows.count == 20_003)
        #expect(rows[1] == ["1", big])
    }
}
