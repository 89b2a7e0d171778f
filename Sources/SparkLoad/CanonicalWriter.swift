import CompressNIO
import Foundation
import NIOCore
import SparkInfer
import SparkModel

/// One column of the canonical copy, in COPY column-list order.
public struct CanonicalColumn: Sendable, Equatable {
    /// Zero-based position of the column in the source file.
    public var sourceIndex: Int
    public var name: String
    /// The target column's type in Snowflake.
    public var type: SnowflakeType
    /// How the source writes dates (`M/D/Y` or `D/M/Y`), when the column holds slash dates.
    public var dateFormat: DateFormat?
    /// Values that mean NULL, as inference used them. Empty is always null.
    public var nullMarkers: [String]
    /// The file's decimal mark.
    public var decimalSeparator: DecimalSeparator

    public init(sourceIndex: Int, name: String, type: SnowflakeType, dateFormat: DateFormat?, nullMarkers: [String] = InferOptions.defaultNullMarkers,
                decimalSeparator: DecimalSeparator = .point) {
        self.sourceIndex = sourceIndex
        self.name = name
        self.type = type
        self.dateFormat = dateFormat
        self.nullMarkers = nullMarkers
        self.decimalSeparator = decimalSeparator
    }

    func isNullMarker(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        n == 0 || nullMarkers.contains { $0.utf8.count == n && $0.utf8.elementsEqual(UnsafeBufferPointer(start: p, count: n)) }
    }
}

/// What the canonical copy of a wave file must contain.
public struct CanonicalSpec: Sendable {
    /// The original file.
    public var source: String
    /// The SHA-256 the migration recorded for it; the copy is refused if the file changed.
    public var sha256: String
    /// How the file is read: encoding, delimiter, header line and rows, as inference decided.
    public var dialect: Dialect
    public var columns: [CanonicalColumn]
    /// Values appended to every row (wave, source file, SHA-256), in COPY order after `columns`.
    public var constants: [(name: String, value: String)]
    /// Lines of records left out: summary rows and rejected rows.
    public var skippedLines: Set<Int>

    public init(source: String, sha256: String, dialect: Dialect, columns: [CanonicalColumn], constants: [(name: String, value: String)],
                skippedLines: Set<Int> = []) {
        self.source = source
        self.sha256 = sha256
        self.dialect = dialect
        self.columns = columns
        self.constants = constants
        self.skippedLines = skippedLines
    }
}

extension CanonicalSpec {
    /// The spec of a file's canonical copy as inference profiled it: every column in file order,
    /// with its inferred type, the file's summary and rejected rows left out.
    public init(profile: FileProfile, source: String, nullMarkers: [String] = InferOptions.defaultNullMarkers,
                constants: [(name: String, value: String)] = []) {
        let decimal = profile.dialect.decimalSeparator ?? .point
        self.init(source: source, sha256: profile.sha256, dialect: profile.dialect,
                  columns: profile.columns.enumerated().map {
                      CanonicalColumn(sourceIndex: $0.offset, name: $0.element.name, type: $0.element.type, dateFormat: $0.element.facts.dateFormat,
                                      nullMarkers: nullMarkers, decimalSeparator: decimal)
                  },
                  constants: constants, skippedLines: profile.skippedLines)
    }
}

/// A problem writing the canonical copy. Names the file, the line and what to do.
public struct LoadError: Error, Sendable, DiagnosticConvertible {
    public var path: String
    public var line: Int?
    public var message: String
    public var hint: String

    public init(path: String, line: Int? = nil, message: String, hint: String) {
        self.path = path
        self.line = line
        self.message = message
        self.hint = hint
    }

    public var diagnostic: Diagnostic {
        Diagnostic(code: "load.failed", file: path, line: line, message: message, hint: hint)
    }
}

/// Writes the canonical copy: UTF-8, comma-delimited, RFC 4180 quoting, a header line, ISO dates,
/// plain decimals, `TRUE`/`FALSE`, `\N` for NULL, columns in COPY order, gzip-compressed.
///
/// The output appears only when complete: it is written to a temporary file beside the target
/// and renamed, and removed on any error (including a source whose SHA-256 changed).
public enum CanonicalWriter {
    /// The null marker of the canonical files; the file format's `NULL_IF` must match it.
    public static let nullMarker = "\\N"

    public struct Result: Sendable, Equatable {
        public var rows: Int
        public var bytesWritten: Int
    }

    public static func write(_ spec: CanonicalSpec, to output: String) throws(LoadError) -> Result {
        // Per process, so two writers of one copy never share a half-written file.
        let temporary = output + ".partial-\(getpid())"
        do throws(LoadError) {
            let result = try writeUnchecked(spec, to: temporary)
            guard rename(temporary, output) == 0 else {
                throw LoadError(path: output, message: "cannot rename the finished copy: \(String(cString: strerror(errno)))", hint: "check the disk and permissions")
            }
            return result
        } catch {
            unlink(temporary)
            throw error
        }
    }

    private static func writeUnchecked(_ spec: CanonicalSpec, to path: String) throws(LoadError) -> Result {
        let reader: CSVReader
        do { reader = try CSVReader(path: spec.source, dialect: spec.dialect, skipping: spec.skippedLines) } catch {
            throw LoadError(path: spec.source, line: error.line, message: error.message, hint: error.hint)
        }
        if let bad = spec.columns.first(where: { $0.sourceIndex >= reader.header.count }) {
            throw LoadError(path: spec.source, line: reader.dialect.headerLine,
                            message: "column \(bad.name) is field \(bad.sourceIndex + 1) but the header has \(reader.header.count) fields",
                            hint: "the file does not match its migration; plan it again")
        }
        let sink = try GzipFile(path: path)
        var line: [UInt8] = []
        line.reserveCapacity(4096)
        line += Array((spec.columns.map(\.name) + spec.constants.map(\.name)).map { csvField($0) }.joined(separator: ",").utf8)
        line.append(0x0A)
        let suffix = Array(spec.constants.map { "," + csvField($0.value) }.joined().utf8)
        var rows = 0
        // The record callback can only throw InferError: other failures are parked here and a
        // sentinel stops the scan.
        var failure: LoadError?
        let stop = InferError(.unreadable, path: spec.source, message: "stopped", hint: "")
        do throws(InferError) {
            try reader.forEachRecord { (record) throws(InferError) in
                for (k, column) in spec.columns.enumerated() {
                    if k > 0 { line.append(0x2C) }
                    let f = record.fields[column.sourceIndex]
                    do throws(ValueMismatch) {
                        if !(try CanonicalValue.append(record.bytes + f.start, f.count, escaped: f.escaped, as: column, to: &line)) {
                            line += [0x5C, 0x4E]
                        }
                    } catch {
                        failure = LoadError(path: spec.source, line: record.line,
                                            message: "column \(column.name): value \(record.string(column.sourceIndex).debugDescription) \(error.reason)",
                                            hint: "the file no longer matches the type its migration planned; plan it again")
                        throw stop
                    }
                }
                line += suffix
                line.append(0x0A)
                rows += 1
                if line.count >= 1 << 16 {
                    do { try sink.write(line) } catch {
                        failure = LoadError(path: path, message: "cannot write: \(error)", hint: "check the disk")
                        throw stop
                    }
                    line.removeAll(keepingCapacity: true)
                }
            }
        } catch {
            throw failure ?? LoadError(path: error.path, line: error.line, message: error.message, hint: error.hint)
        }
        do {
            try sink.write(line)
            try sink.finish()
        } catch {
            throw LoadError(path: path, message: "cannot write: \(error)", hint: "check the disk")
        }
        let actual = reader.sha256()
        guard actual == spec.sha256 else {
            throw LoadError(path: spec.source, message: "the file changed since it was planned (SHA-256 \(actual), the migration says \(spec.sha256))",
                            hint: "restore the planned file, or plan the new file as a new wave")
        }
        return Result(rows: rows, bytesWritten: sink.bytesWritten)
    }

    /// A header name or constant as one CSV field, quoted by the same rule as the values (or always).
    static func csvField(_ s: String, alwaysQuote: Bool = false) -> String {
        if alwaysQuote { return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var out: [UInt8] = []
        var bytes = Array(s.utf8)
        bytes.append(0) // a non-empty buffer, so it has a base address even for ""
        bytes.withUnsafeBufferPointer { CanonicalValue.appendQuoted($0.baseAddress!, $0.count - 1, escaped: false, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A gzip stream written to a file in bounded chunks.
final class GzipFile {
    private let handle: FileHandle
    private let compressor: NIOCompressor
    private var output: ByteBuffer
    private(set) var bytesWritten = 0

    init(path: String) throws(LoadError) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw LoadError(path: path, message: "cannot create the file", hint: "check that the directory exists and is writable")
        }
        handle = h
        compressor = CompressionAlgorithm.gzip().compressor
        output = ByteBufferAllocator().buffer(capacity: 1 << 17)
        do { try compressor.startStream() } catch {
            throw LoadError(path: path, message: "gzip failed to start: \(error)", hint: "report this as a bug")
        }
    }

    func write(_ bytes: [UInt8]) throws {
        var input = ByteBufferAllocator().buffer(bytes: bytes)
        while input.readableBytes > 0 {
            do { try compressor.streamDeflate(from: &input, to: &output, flush: .no) } catch let e as CompressNIOError where e == .bufferOverflow {}
            try drain()
        }
    }

    func finish() throws {
        while true {
            do {
                try compressor.finishDeflate(to: &output)
                break
            } catch let e as CompressNIOError where e == .bufferOverflow {
                try drain()
            }
        }
        try drain()
        try compressor.finishStream()
        try handle.close()
    }

    private func drain() throws {
        guard output.readableBytes > 0 else { return }
        let chunk = output.readBytes(length: output.readableBytes)!
        try handle.write(contentsOf: chunk)
        bytesWritten += chunk.count
        output.clear()
    }
}
