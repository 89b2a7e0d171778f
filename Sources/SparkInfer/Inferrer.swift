import Dispatch
import Foundation
import SparkModel

/// Options for inference.
public struct InferOptions: Sendable {
    /// Values that mean NULL, compared after trimming spaces. Empty is always null.
    public var nullMarkers: [String]

    /// UTF-8 files at least this large are scanned in chunks on two threads.
    public var parallelThreshold: Int

    /// The size of those chunks (a file is cut into at least two).
    public var chunkSize: Int

    public static let defaultNullMarkers = ValueLexer.defaultNullMarkers

    public init(nullMarkers: [String] = InferOptions.defaultNullMarkers, parallelThreshold: Int = 64 << 20, chunkSize: Int = 16 << 20) {
        self.nullMarkers = nullMarkers
        self.parallelThreshold = parallelThreshold
        self.chunkSize = chunkSize
    }
}

/// Full-scan inference: every byte of the file is read, typed and hashed.
public enum Inferrer {
    /// Profiles the file at `path`.
    ///
    /// - Throws: ``InferError`` naming the file and line for unreadable, empty, binary or malformed input.
    public static func profile(path: String, options: InferOptions = .init()) throws(InferError) -> FileProfile {
        do {
            return try scan(path: path, options: options, encoding: nil)
        } catch let error where error.kind == .encoding && error.line == nil {
            // Not UTF-8 after all: a legacy export. Read it again as Windows-1252.
            return try scan(path: path, options: options, encoding: .windows1252)
        }
    }

    private static func scan(path: String, options: InferOptions, encoding: TextEncoding?) throws(InferError) -> FileProfile {
        let input = try DecodedInput(path: path, forcedEncoding: encoding)
        let parallel = encoding == nil && (input.encoding == .utf8 || input.encoding == .utf8BOM) && input.fileSize >= options.parallelThreshold
        // The parallel scan hashes on a thread of its own, over the whole file, and maps its windows.
        if parallel {
            input.stopHashing()
            input.mapWindows()
        }
        let sample = UnsafeRawBufferPointer(rebasing: input.window[0..<input.filled])
        guard let dialect = DialectSniffer.sniff(sample, eof: input.atEOF) else {
            throw InferError(.empty, path: path, message: "the file has no header line (it is empty or blank)",
                             hint: "export the report again; a CSV needs at least a header line")
        }
        let scanner = RecordScanner(input: input, delimiter: dialect.delimiter)
        let sink = InferenceSink(path: path, encoding: input.encoding, skip: dialect.headerRecordIndex, nullMarkers: options.nullMarkers)
        let sha: String
        let starts = parallel ? chunkStarts(input, chunkSize: options.chunkSize, dialect: dialect) : []
        if !starts.isEmpty {
            sha = try scanInChunks(scanner, sink, dialect: dialect, chunkStarts: starts, options: options)
        } else {
            var s = sink
            try scanner.scan(into: &s)
            sha = parallel ? try DecodedInput.sha256(path: path) : input.finishHash()
        }
        guard let header = sink.header else {
            throw InferError(.empty, path: path, message: "the file has no header line", hint: "export the report again; a CSV needs at least a header line")
        }
        let names = Identifier.uniqueNames(for: header)
        var columns: [ColumnProfile] = []
        var warnings: [String] = []
        for (i, name) in names.enumerated() {
            let (column, warning) = sink.columns[i].profile(name: name, source: header[i])
            columns.append(column)
            if let warning { warnings.append(warning) }
        }
        return FileProfile(path: path, sha256: sha, bytes: input.fileSize, rows: sink.rows,
                           dialect: Dialect(encoding: input.encoding, delimiter: dialect.delimiter, headerLine: dialect.headerLine),
                           columns: columns, warnings: warnings)
    }

    /// Raw offsets where chunks after the first start, speculatively: just after the first line
    /// feed past each multiple of `chunkSize` (at least two chunks) that is followed by two records
    /// of the header's width, or failing that just after the first line feed.
    ///
    /// The check is only a hint; the merge in ``scanInChunks(_:_:dialect:chunkStarts:options:)``
    /// is exact whatever the starts are. It keeps starts out of multi-line quoted fields: a chunk
    /// starting inside one stops at once and the chunk before it reads on through its bytes, so
    /// that one chunk does the work of two or three. If it is the last chunk taken, the other
    /// thread waits for it: on the bench file that left one thread idle for up to 100 ms.
    static func chunkStarts(_ input: DecodedInput, chunkSize: Int, dialect: DialectSniffer.Result) -> [Int] {
        let size = input.fileSize
        let step = max(1, min(chunkSize, size / 2))
        let parser = RecordParser(delimiter: dialect.delimiter)
        defer { parser.deallocate() }
        let fields = FieldBuffer()
        let startsRecords = { (bytes: UnsafeRawBufferPointer, start: Int) -> Bool in
            let p = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var block = SeparatorBlock()
            var i = start
            for _ in 0..<2 {
                guard case let .record(next, _) = parser.parse(at: i, in: p, count: bytes.count, eof: false, fields: fields, block: &block),
                      fields.count == dialect.width else { return false }
                i = next
            }
            return true
        }
        var starts: [Int] = []
        var nominal = step
        while nominal < size {
            let from = max(nominal, (starts.last ?? 0))
            guard let lf = input.lineFeed(after: from, span: 64 << 10, where: startsRecords)
                ?? input.lineFeed(after: from, span: 64 << 10) ?? input.lineFeed(after: from) else { break }
            if lf + 1 < size && lf + 1 > input.bomLength { starts.append(lf + 1) }
            nominal = max(nominal + step, lf + 1)
        }
        return starts
    }

    /// Scans the file in chunks on two threads while hashing it.
    ///
    /// Chunks after the first start, speculatively, after a line feed (see ``chunkStarts(_:chunkSize:)``).
    /// Each chunk stops when a record ends exactly at a later chunk's start, normally the next
    /// one; if a record runs past that (the line feed was inside a quoted field), the chunk reads
    /// on to the next start where a record does end, and the work of the chunks it passed over
    /// is dropped. Only chunks reached that way are merged, and only when merging is exact (a
    /// column's type changing right there is not, nor a header not read yet): otherwise the
    /// calling thread scans on from that chunk's start itself. So the result always equals a
    /// sequential scan's. The calling thread takes chunks from the front; the other thread hashes the whole
    /// file first, then takes chunks from the back, so the two cores stay busy to the end
    /// whatever hashing costs on this machine. Two threads on two cores, not three: with three,
    /// the scheduler leaves one alone on a core and the other two share one.
    private static func scanInChunks(_ first: RecordScanner, _ sink: InferenceSink, dialect: DialectSniffer.Result,
                                     chunkStarts starts: [Int], options: InferOptions) throws(InferError) -> String {
        let path = first.input.path
        let width = dialect.width
        let encoding = first.input.encoding
        let queue = ChunkQueue(count: starts.count)
        // Chunk k + 1 of the queue is the chunk starting at starts[k]; chunk 0 is the caller's.
        let scanChunk: @Sendable (Int) -> Void = { k in
            queue.set(k) { () throws(InferError) in
                let from = starts[k - 1]
                let input = try DecodedInput(path: path, utf8From: from)
                let scanner = RecordScanner(input: input, delimiter: dialect.delimiter)
                var tail = InferenceSink(path: path, encoding: encoding, skip: 0, nullMarkers: options.nullMarkers, width: width)
                let end = try scanner.scan(into: &tail, limits: starts[k...].map { $0 - from })
                return ChunkResult(sink: tail, end: end, lines: scanner.line - 1)
            }
        }
        let group = DispatchGroup()
        let hash = ThreadResult<String>()
        // Dedicated threads, not Dispatch's global queue: its pool counts the busy calling thread.
        startThread(group) {
            hash.set { () throws(InferError) in try DecodedInput.sha256(path: path) }
            while let k = queue.takeBack() { scanChunk(k) }
        }
        var head = sink
        let end: RecordScanner.End
        do { end = try first.scan(into: &head, limits: starts.map { $0 - first.input.bomLength }) } catch {
            queue.stop()
            group.wait()
            throw error
        }
        // Once the first chunk has read to the end, nothing later is needed.
        if end == .finished { queue.stop() }
        while let k = queue.takeFront() { scanChunk(k) }
        group.wait()
        var lineOffset = first.line - 1
        var last = end
        // Chunk c's limits are starts[c...] (the caller's scanner: starts[0...]); stopping at
        // limits[i] makes chunk c + i + 1 the next.
        var c = 0
        while case let .reachedLimit(i) = last {
            let k = c + i + 1
            switch queue.results[k]! {
            case let .failure(error):
                var e = error
                e.line = e.line.map { $0 + lineOffset }
                throw e
            case let .success(chunk) where sink.canAbsorb(chunk.sink):
                sink.absorb(chunk.sink, lineOffset: lineOffset)
                lineOffset += chunk.lines
                last = chunk.end
                c = k
            case .success:
                // Not exact: scan on from this chunk's start here, into the merged state.
                let from = starts[k - 1]
                let scanner = RecordScanner(input: try DecodedInput(path: path, utf8From: from), delimiter: dialect.delimiter, line: lineOffset + 1)
                last = try scanner.scan(into: &head, limits: starts[k...].map { $0 - from })
                lineOffset = scanner.line - 1
                c = k
            }
        }
        return try hash.result!.get()
    }
}

/// What one chunk of a parallel scan found.
private struct ChunkResult {
    let sink: InferenceSink
    let end: RecordScanner.End
    /// Physical lines the chunk read.
    let lines: Int
}

/// The chunks of a parallel scan still to do, handed out from both ends, and their results.
private final class ChunkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var front = 1
    private var back: Int
    /// Indexed by chunk; chunk 0 (the caller's) stays nil.
    private(set) var results: [Result<ChunkResult, InferError>?]

    init(count: Int) {
        back = count
        results = Array(repeating: nil, count: count + 1)
    }

    func takeFront() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard front <= back else { return nil }
        front += 1
        return front - 1
    }

    func takeBack() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard front <= back else { return nil }
        back -= 1
        return back + 1
    }

    /// Hands out nothing more.
    func stop() {
        lock.lock()
        front = back + 1
        lock.unlock()
    }

    func set(_ k: Int, _ body: () throws(InferError) -> ChunkResult) {
        let result: Result<ChunkResult, InferError>
        do { result = .success(try body()) } catch { result = .failure(error) }
        lock.lock()
        results[k] = result
        lock.unlock()
    }
}

/// Runs `body` on a new thread of its own; `group` is left when it returns.
private func startThread(_ group: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
    group.enter()
    let thread = Thread {
        body()
        group.leave()
    }
    thread.stackSize = 1 << 20
    thread.start()
}

/// A value computed on another thread, read after the DispatchGroup has been waited on.
private final class ThreadResult<T>: @unchecked Sendable {
    var result: Result<T, InferError>?

    func set(_ body: () throws(InferError) -> T) {
        do { result = .success(try body()) } catch { result = .failure(error) }
    }
}

/// Types every field of every record.
final class InferenceSink: RecordSink {
    let path: String
    let validateUTF8: Bool
    let encoding: TextEncoding
    var skip: Int
    var header: [String]?
    private(set) var columns = UnsafeMutableBufferPointer<ColumnAccumulator>(start: nil, count: 0)
    var rows = 0
    /// Null markers packed as (length << 56 | bytes) for one-compare matching; markers longer
    /// than 7 bytes fall back to `longNullMarkers`.
    private let nullKeys: UnsafeMutableBufferPointer<UInt64>
    private let longNullMarkers: [[UInt8]]
    /// Whether a byte can start a null marker: most fields are rejected on their first byte.
    private let nullFirstByte: UnsafeMutablePointer<Bool>
    private let maxNullMarkerLength: Int
    /// A configured null marker that reads as a number (say `0`) turns the number fast path off.
    private let numericNullMarker: Bool

    init(path: String, encoding: TextEncoding, skip: Int, nullMarkers: [String], width: Int? = nil) {
        self.path = path
        self.encoding = encoding
        // Transcoded input is valid UTF-8 by construction.
        validateUTF8 = encoding == .utf8 || encoding == .utf8BOM
        self.skip = skip
        let markers = nullMarkers.map { Array($0.utf8) }.filter { !$0.isEmpty }
        let short = markers.filter { $0.count <= 7 }
        nullKeys = .allocate(capacity: short.count)
        for (i, m) in short.enumerated() { nullKeys[i] = InferenceSink.pack(m) }
        longNullMarkers = markers.filter { $0.count > 7 }
        nullFirstByte = .allocate(capacity: 256)
        nullFirstByte.initialize(repeating: false, count: 256)
        for m in markers { nullFirstByte[Int(m[0])] = true }
        maxNullMarkerLength = markers.map(\.count).max() ?? 0
        numericNullMarker = markers.contains { m in
            m.withUnsafeBufferPointer { ValueLexer.plainNumberBytewise($0.baseAddress!, $0.count) != nil }
        }
        if let width {
            // A later chunk of a parallel scan: the header is the first chunk's.
            header = []
            allocateColumns(width)
        }
    }

    private func allocateColumns(_ width: Int) {
        columns = .allocate(capacity: width)
        _ = columns.initialize(from: repeatElement(ColumnAccumulator(), count: width))
    }

    /// Whether ``absorb(_:lineOffset:)`` of `tail` equals scanning its records here.
    /// Not before the header has been read: the chunk took its first record for data.
    func canAbsorb(_ tail: InferenceSink) -> Bool {
        header != nil && skip == 0 && (0..<columns.count).allSatisfy { columns[$0].canAbsorb(tail.columns[$0]) }
    }

    /// Folds in a later chunk of a parallel scan (see ``canAbsorb(_:)``).
    func absorb(_ tail: InferenceSink, lineOffset: Int) {
        rows += tail.rows
        for c in 0..<columns.count { columns[c].absorb(tail.columns[c], lineOffset: lineOffset) }
    }

    deinit {
        _ = columns.deinitialize()
        columns.deallocate()
        nullKeys.deallocate()
        nullFirstByte.deallocate()
    }

    @inline(__always)
    private static func pack(_ bytes: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var key = UInt64(n) << 56
        for k in 0..<n { key |= UInt64(bytes[k]) << (8 * k) }
        return key
    }

    private static func pack(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { pack($0.baseAddress!, $0.count) }
    }

    func consume(_ record: RecordView) throws(InferError) -> Bool {
        if skip > 0 {
            skip -= 1
            return true
        }
        guard header != nil else {
            try readHeader(record)
            return true
        }
        let width = columns.count
        if record.count != width {
            if record.isBlank { return true }
            throw InferError.width(path: path, line: record.line, fields: record.count, header: width)
        }
        rows &+= 1
        let cols = columns.baseAddress!
        for c in 0..<width {
            try type(record, c, &cols[c])
        }
        return true
    }

    @inline(__always)
    private func type(_ record: RecordView, _ c: Int, _ col: inout ColumnAccumulator) throws(InferError) {
        let f = record.fields[c]
        let p = record.bytes + f.start
        let n = f.count
        // Fast path for the commonest value in ad exports, a plain integer or decimal in a
        // numeric column (never a null marker); anything else goes through the full lexer.
        if col.kind == .number, !numericNullMarker, let (digits, scale) = ValueLexer.plainNumber(p, n) {
            if digits > col.maxIntegerDigits { col.maxIntegerDigits = digits }
            if scale > col.maxScale {
                col.maxScale = scale
                col.evidence = evidence(record, c)
            }
            if n > col.maxLength { col.maxLength = n }
            return
        }
        if n <= maxNullMarkerLength && isNullMarker(p, n) {
            col.nulls &+= 1
            return
        }
        if col.kind == .text {
            // Most text is ASCII: its length is its byte count, less one for each doubled quote.
            if f.ascii && f.doubledQuotes < 255 {
                let length = n &- Int(f.doubledQuotes)
                if length > col.maxLength { col.maxLength = length }
                return
            }
            try measureText(record, c, p, n, &col)
            return
        }
        // Fast path for a boolean column's next true or false.
        if col.kind == .boolean, ValueLexer.isPlainBoolean(p, n) {
            if n > col.maxLength { col.maxLength = n }
            return
        }
        // Fast path for a date column's next ISO date.
        if col.kind == .isoDate, n == 10, ValueLexer.isISODate(p) {
            if n > col.maxLength { col.maxLength = n }
            return
        }
        try typeSlowly(record, c, p, n, &col)
    }

    /// Everything the fast paths of ``type(_:_:_:)`` leave: the full lexer. Kept out of line so
    /// the per-field loop holds only the fast paths and keeps its values in registers.
    @inline(never)
    private func typeSlowly(_ record: RecordView, _ c: Int, _ p: UnsafePointer<UInt8>, _ n: Int, _ col: inout ColumnAccumulator) throws(InferError) {
        let v = ValueLexer.lex(p, n)
        if v.shape == .text {
            if col.merge(v) { col.evidence = evidence(record, c) }
            try measureText(record, c, p, n, &col)
            return
        }
        if col.merge(v) { col.evidence = evidence(record, c) }
        let length = v.formatted ? (ValueLexer.utf8Length(p, n) ?? n) : n
        if length > col.maxLength { col.maxLength = length }
    }

    @inline(__always)
    private func measureText(_ record: RecordView, _ c: Int, _ p: UnsafePointer<UInt8>, _ n: Int, _ col: inout ColumnAccumulator) throws(InferError) {
        var length: Int
        if record.fields[c].ascii {
            length = n
        } else if validateUTF8 {
            guard let l = ValueLexer.utf8Length(p, n) else { throw invalidUTF8(line: record.line) }
            length = l
        } else {
            length = ValueLexer.utf8Length(p, n) ?? n
        }
        let f = record.fields[c]
        if f.escaped {
            if f.doubledQuotes < 255 {
                length -= Int(f.doubledQuotes)
            } else {
                var quotes = 0
                for k in 0..<n where p[k] == RecordParser.quote { quotes += 1 }
                length -= quotes / 2
            }
        }
        if length > col.maxLength { col.maxLength = length }
    }

    @inline(__always)
    private func isNullMarker(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n == 0 { return true }
        guard nullFirstByte[Int(p[0])] else { return false }
        if n <= 7 {
            let key = InferenceSink.pack(p, n)
            for k in nullKeys where k == key { return true }
            return false
        }
        return longNullMarkers.contains { $0.count == n && $0.elementsEqual(UnsafeBufferPointer(start: p, count: n)) }
    }

    @inline(never)
    private func evidence(_ record: RecordView, _ c: Int) -> Evidence {
        let value = record.string(c)
        return Evidence(line: record.line, value: value.count > 64 ? String(value.prefix(64)) : value)
    }

    private func invalidUTF8(line: Int) -> InferError {
        // Without a BOM the file may be a legacy Windows-1252 export: the caller retries (line nil).
        // With a UTF-8 BOM the file claims UTF-8 and is broken.
        encoding == .utf8
            ? InferError(.encoding, path: path, message: "not valid UTF-8", hint: "")
            : InferError(.encoding, path: path, line: line, message: "the file starts with a UTF-8 byte order mark but this line is not valid UTF-8",
                         hint: "re-export the file as UTF-8, or remove the byte order mark if it is Windows-1252")
    }

    private func readHeader(_ record: RecordView) throws(InferError) {
        var cells: [String] = []
        for i in 0..<record.count {
            let raw = record.rawField(i)
            if validateUTF8 && ValueLexer.utf8Length(raw.baseAddress!, raw.count) == nil {
                throw invalidUTF8(line: record.line)
            }
            cells.append(record.string(i))
        }
        header = cells
        allocateColumns(cells.count)
    }
}
