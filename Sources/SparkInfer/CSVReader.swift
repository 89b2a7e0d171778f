import SparkModel

/// Reads the data records of a CSV file the way inference read them: the same encoding
/// handling, record parser, header and left-out rows. The loader uses it to write the canonical
/// copy, so inference and loading cannot disagree about a file.
///
/// It does not sniff: the dialect is the one inference decided and the migration recorded
/// (delimiter, header line and rows), so a file read at apply time is read exactly as planned.
public final class CSVReader {
    public let path: String
    public let dialect: Dialect
    /// The header cells as decoded (two header rows joined into one name per column).
    public let header: [String]
    /// Lines of records that are not data: summary rows and rejected rows. Each must start a record.
    public let skippedLines: Set<Int>
    private let input: DecodedInput
    private let scanner: RecordScanner

    /// Opens `path` to read it as `dialect` says, leaving out the records that start on `skipping`.
    public init(path: String, dialect: Dialect, skipping: Set<Int> = []) throws(InferError) {
        self.path = path
        self.dialect = dialect
        skippedLines = skipping
        let forced: TextEncoding? = (dialect.encoding == .utf8 || dialect.encoding == .utf8BOM) ? nil : dialect.encoding
        input = try DecodedInput(path: path, forcedEncoding: forced)
        scanner = RecordScanner(input: input, delimiter: dialect.delimiter, lenient: true)
        var headerSink = HeaderSink(path: path, line: dialect.headerLine, count: dialect.headerRowCount)
        try scanner.scan(into: &headerSink)
        guard headerSink.rows.count == dialect.headerRowCount else {
            throw InferError(.empty, path: path, line: dialect.headerLine,
                             message: "no record starts on line \(dialect.headerLine), where the header was planned",
                             hint: "the file does not match its migration; restore the planned file, or plan it again")
        }
        header = HeaderRows.names(headerSink.rows)
    }

    /// Calls `body` with every data record after the header. Blank lines and the skipped lines are
    /// left out; any other record whose width differs from the header's, or that is badly quoted,
    /// is an error naming its line.
    public func forEachRecord(_ body: (RecordView) throws(InferError) -> Void) throws(InferError) {
        var seen = Set<Int>()
        try withoutActuallyEscaping(body) { (escapable) throws(InferError) in
            var sink = ClosureSink(path: path, width: header.count, skipped: skippedLines, seen: [], body: escapable)
            try scanner.scan(into: &sink)
            seen = sink.seen
        }
        if let missing = skippedLines.subtracting(seen).min() {
            throw InferError(.empty, path: path, line: missing,
                             message: "no record starts on line \(missing), which the plan left out of the load",
                             hint: "the file does not match its migration; restore the planned file, or plan it again")
        }
    }

    /// SHA-256 of the file's bytes; call after ``forEachRecord(_:)`` has read to the end.
    public func sha256() -> String { input.finishHash() }

    private struct HeaderSink: RecordSink {
        let path: String
        let line: Int
        let count: Int
        var rows: [[String]] = []

        mutating func consume(_ record: RecordView) throws(InferError) -> Bool {
            if record.line < line { return true }
            guard record.line == line || !rows.isEmpty else { return false }
            try record.throwIfDamaged(path: path)
            rows.append((0..<record.count).map { record.string($0) })
            return rows.count < count
        }
    }

    private struct ClosureSink: RecordSink {
        let path: String
        let width: Int
        let skipped: Set<Int>
        var seen: Set<Int>
        let body: (RecordView) throws(InferError) -> Void

        mutating func consume(_ record: RecordView) throws(InferError) -> Bool {
            if !skipped.isEmpty && skipped.contains(record.line) {
                seen.insert(record.line)
                return true
            }
            try record.throwIfDamaged(path: path)
            if record.count != width {
                if record.isBlank && width > 1 { return true }
                throw InferError.width(path: path, line: record.line, fields: record.count, header: width)
            }
            try body(record)
            return true
        }
    }
}
