import SparkModel

/// Finds the delimiter and the header among report preamble lines, from the first window of a file.
enum DialectSniffer {
    static let candidates: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C] // , ; tab |
    static let maxSampleRecords = 500

    struct Result {
        var delimiter: UInt8
        /// Records (including blank lines) before the header.
        var headerRecordIndex: Int
        /// 1-based physical line of the header.
        var headerLine: Int
        /// Fields in the header.
        var width: Int
    }

    private struct Sampled {
        var count: Int
        var blank: Bool
        var line: Int
    }

    static func sniff(_ sample: UnsafeRawBufferPointer, eof: Bool) -> Result? {
        var best: (score: Int, width: Int, result: Result)?
        var firstNonBlank: (index: Int, line: Int)?
        for d in candidates {
            let records = parse(sample, delimiter: d, eof: eof)
            if firstNonBlank == nil, let i = records.firstIndex(where: { !$0.blank }) { firstNonBlank = (i, records[i].line) }
            guard let (h, score) = header(in: records) else { continue }
            let width = records[h].count
            if best == nil || score > best!.score || (score == best!.score && width > best!.width) {
                best = (score, width, Result(delimiter: d, headerRecordIndex: h, headerLine: records[h].line, width: width))
            }
        }
        if let best { return best.result }
        // One column: no candidate splits anything.
        guard let first = firstNonBlank else { return nil }
        return Result(delimiter: 0x2C, headerRecordIndex: first.index, headerLine: first.line, width: 1)
    }

    /// The header is the first record of the sample's most common width (two or more fields);
    /// preamble lines are narrower. The score is how many records share that width.
    private static func header(in records: [Sampled]) -> (Int, Int)? {
        var counts: [Int: Int] = [:]
        for r in records where !r.blank && r.count >= 2 { counts[r.count, default: 0] += 1 }
        guard let (width, score) = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }) else { return nil }
        let h = records.firstIndex { !$0.blank && $0.count == width }!
        return (h, score)
    }

    private static func parse(_ sample: UnsafeRawBufferPointer, delimiter: UInt8, eof: Bool) -> [Sampled] {
        guard let base = sample.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return [] }
        let parser = RecordParser(delimiter: delimiter)
        defer { parser.deallocate() }
        let fields = FieldBuffer()
        var out: [Sampled] = []
        var pos = 0
        var line = 1
        var block = SeparatorBlock()
        while pos < sample.count && out.count < maxSampleRecords {
            guard case let .record(next, lines) = parser.parse(at: pos, in: base, count: sample.count, eof: eof, fields: fields, block: &block) else { break }
            let blank = RecordView(bytes: base, fields: fields.pointer, count: fields.count, line: line).isBlank
            out.append(Sampled(count: fields.count, blank: blank, line: line))
            line += lines
            pos = next
        }
        return out
    }
}
