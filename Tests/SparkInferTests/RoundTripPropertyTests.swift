import Foundation
import SparkTestSupport
@testable import SparkInfer
import SparkModel
import Testing

/// Random tables, written with random quoting, line endings and encodings, read back equal.
@Suite struct RoundTripPropertyTests {
    typealias Random = SplitMix

    static let alphabet: [String] = ["a", "b", "Z", "0", "7", " ", ",", ";", "\t", "|", "\"", "\n", "\r", "\r\n", "é", "€", "😀", ".", "-"]

    struct Table {
        var delimiter: UInt8
        var rows: [[String]]
    }

    func randomTable(_ rng: inout Random) -> Table {
        let delimiter = rng.pick([UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")])
        let width = 2 + rng.below(5)
        let height = 1 + rng.below(30)
        var rows: [[String]] = []
        for _ in 0..<height {
            rows.append((0..<width).map { _ in
                (0..<rng.below(12)).map { _ in rng.pick(RoundTripPropertyTests.alphabet) }.joined()
            })
        }
        return Table(delimiter: delimiter, rows: rows)
    }

    func write(_ t: Table, _ rng: inout Random, lineEnding: String, quoteAll: Bool, finalNewline: Bool) -> String {
        let d = String(UnicodeScalar(t.delimiter))
        let lines = t.rows.map { row in
            row.map { field -> String in
                let needs = field.isEmpty || field.contains(d) || field.contains("\"") || field.contains("\n") || field.contains("\r")
                // An empty field is written quoted so a row of empties is not a blank line.
                return needs || quoteAll || rng.below(4) == 0 ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: d)
        }
        return lines.joined(separator: lineEnding) + (finalNewline ? lineEnding : "")
    }

    /// Collects every record as strings, and each field's ASCII flag.
    final class Collector: RecordSink {
        var rows: [[String]] = []
        var ascii: [[Bool]] = []
        func consume(_ record: RecordView) throws(InferError) -> Bool {
            rows.append((0..<record.count).map { record.string($0) })
            ascii.append((0..<record.count).map { record.fields[$0].ascii })
            return true
        }
    }

    /// Scans `bytes` through windows of `capacity` bytes.
    static func collect(_ bytes: [UInt8], delimiter: UInt8, capacity: Int) throws -> Collector {
        let path = try temporaryFile(bytes)
        let input = try DecodedInput(path: path, capacity: capacity)
        let scanner = RecordScanner(input: input, delimiter: delimiter)
        var sink = Collector()
        try scanner.scan(into: &sink)
        return sink
    }

    func readBack(_ bytes: [UInt8], delimiter: UInt8, capacity: Int) throws -> [[String]] {
        try RoundTripPropertyTests.collect(bytes, delimiter: delimiter, capacity: capacity).rows
    }

    @Test(arguments: 0..<300)
    func randomTablesRoundTrip(seed: Int) throws {
        var rng = Random(state: UInt64(seed))
        let table = randomTable(&rng)
        let ending = rng.pick(["\n", "\r\n", "\r"])
        let text = write(table, &rng, lineEnding: ending, quoteAll: rng.below(3) == 0, finalNewline: rng.below(2) == 0)
        // Small windows force records across window boundaries.
        let capacity = rng.pick([16, 64, 4096])
        var bytes: [UInt8]
        switch rng.below(4) {
        case 0: bytes = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        case 1: bytes = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case 2: bytes = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        default: bytes = Array(text.utf8)
        }
        let back = try readBack(bytes, delimiter: table.delimiter, capacity: capacity)
        #expect(back == table.rows, "seed \(seed), ending \(ending.debugDescription), capacity \(capacity)")
    }

    @Test(arguments: 0..<100)
    func inferenceCountsTheRowsOfRandomTables(seed: Int) throws {
        var rng = Random(state: UInt64(1000 + seed))
        var table = randomTable(&rng)
        // A header of plain names, as exports have.
        table.rows.insert((0..<table.rows[0].count).map { "col\($0)" }, at: 0)
        let text = write(table, &rng, lineEnding: rng.pick(["\n", "\r\n"]), quoteAll: false, finalNewline: true)
        let p = try Inferrer.profile(path: try temporaryFile(Array(text.utf8)))
        #expect(p.rows == table.rows.count - 1, "seed \(seed)")
        #expect(p.dialect.delimiter == table.delimiter, "seed \(seed)")
        #expect(p.columns.map(\.source) == table.rows[0])
    }
}
