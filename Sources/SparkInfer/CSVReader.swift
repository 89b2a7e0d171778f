import SparkModel

/// Reads the data records of a CSV file the way inference read them: the same encoding
/// handling, dialect, preamble skipping and record parser. The loader uses it to write the
/// canonical copy, so inference and loading cannot disagree about a file.
public final class CSVReader {
    public let path: String
    public let dialect: Dialect
    /// The header cells as decoded.
    public let header: [String]
    private let input: DecodedInput
    private let scanner: RecordScanner

    /// Opens `path`. Pass the encoding inference reported to read the file the same way.
    public init(path: String, encoding: TextEncoding? = nil) throws(InferError) {
        self.path = path
        let forced: TextEncoding? = (encoding == .utf8 || encoding == .utf8BOM) ? nil : encoding
        input = try DecodedInput(path: path, forcedEncoding: forced)
        let sample = UnsafeRawBufferPointer(rebasing: input.window[0..<input.filled])
        guard let sniffed = DialectSniffer.sniff(sample, eof: input.atEOF) else {
            throw InferError(.empty, path: path, message: "the file has no header line (it is empty or blank)",
                             hint: "export the report again; a CSV needs at least a header line")
        }
        dialect = Dialect(encoding: input.encoding, delimiter: sniffed.delimiter, headerLine: sniffed.headerLine)
        scanner = RecordScanner(input: input, delimiter: sniffed.delimiter)
        var headerSink = HeaderSink(skip: sniffed.headerRecordIndex)
        try scanner.scan(into: &headerSink)
        header = headerSink.header
    }

    /// Calls `body` with every data record after the header. Blank lines are skipped; a record
    /// whose width differs from the header's is an error naming its line.
    public func forEachRecord(_ body: (RecordView) throws(InferError) -> Void) throws(InferError) {
        try withoutActuallyEscaping(body) { (escapable) throws(InferError) in
            var sink = ClosureSink(path: path, width: header.count, body: escapable)
            try scanner.scan(into: &sink)
        }
    }

    /// SHA-256 of the file's bytes; call after ``forEachRecord(_:)`` has read to the end.
    public func sha256() -> String { input.finishHash() }

    private struct HeaderSink: RecordSink {
        var skip: Int
        var header: [String] = []

        mutating func consume(_ record: RecordView) throws(InferError) -> Bool {
            if skip > 0 {
                skip -= 1
                return true
            }
            header = (0..<record.count).map { record.string($0) }
            return false
        }
    }

    private struct ClosureSink: RecordSink {
        let path: String
        let width: Int
        let body: (RecordView) throws(InferError) -> Void

        func consume(_ record: RecordView) throws(InferError) -> Bool {
            if record.count != width {
                if record.isBlank && width > 1 { return true }
                throw InferError.width(path: path, line: record.line, fields: record.count, header: width)
            }
            try body(record)
            return true
        }
    }
}
