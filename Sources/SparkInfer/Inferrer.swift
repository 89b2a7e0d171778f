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

    /// The decimal mark, when the user decided it; nil decides it from the file's evidence.
    public var decimalSeparator: DecimalSeparator?

    /// The day/month order for dates that fit both, when the file does not show it; nil falls
    /// back to US month-first for `a/b/YYYY` and day-first for `a-b-YYYY`, with a warning.
    public var dateOrder: DateOrder?

    /// Load total rows as data instead of leaving them out.
    public var keepSummaryRows: Bool

    public var badRows: BadRows

    /// The header's physical line, when the user said so; nil finds it.
    public var headerLine: Int?

    /// Types the user gave columns (`column_types` in spark.toml), by header (surrounding spaces
    /// ignored) or by column name. Each is checked against the data like an inferred type.
    public var columnTypes: [String: SnowflakeType]

    /// Further records to reject, by line, with the reason (values a known column cannot take,
    /// found by the planner); only with `badRows == .reject`.
    public var rejectLines: [Int: String]

    public static let defaultNullMarkers = ValueLexer.defaultNullMarkers

    /// The most records a file may reject before spark takes it for something else.
    public static let maxRejectedRows = 10_000
    /// The most records that may look like total rows.
    public static let maxSummaryRows = 1_000

    public init(nullMarkers: [String] = InferOptions.defaultNullMarkers, parallelThreshold: Int = 64 << 20, chunkSize: Int = 16 << 20,
                decimalSeparator: DecimalSeparator? = nil, dateOrder: DateOrder? = nil, keepSummaryRows: Bool = false,
                badRows: BadRows = .refuse, headerLine: Int? = nil, columnTypes: [String: SnowflakeType] = [:], rejectLines: [Int: String] = [:]) {
        self.nullMarkers = nullMarkers
        self.parallelThreshold = parallelThreshold
        self.chunkSize = chunkSize
        self.decimalSeparator = decimalSeparator
        self.dateOrder = dateOrder
        self.keepSummaryRows = keepSummaryRows
        self.badRows = badRows
        self.headerLine = headerLine
        self.columnTypes = columnTypes
        self.rejectLines = rejectLines
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
        // The thread starts now, so sniffing the dialect does not hold the hash back.
        let second = parallel ? SecondThread(path: path) : nil
        defer { second?.cancel() }
        if parallel { input.stopHashing() }
        try input.extendSample(lineFeeds: 8)
        if parallel { input.mapWindows() }
        let sample = UnsafeRawBufferPointer(rebasing: input.window[0..<input.filled])
        guard let dialect = try DialectSniffer.sniff(sample, eof: input.atEOF, path: path, headerLine: options.headerLine,
                                                     nullMarkers: options.nullMarkers) else {
            throw InferError(.empty, path: path, message: "the file has no header line (it is empty or blank)",
                             hint: "export the report again; a CSV needs at least a header line")
        }
        let scanner = RecordScanner(input: input, delimiter: dialect.delimiter, lenient: true)
        let sink = InferenceSink(path: path, encoding: input.encoding, skip: dialect.headerRecordIndex, headerRows: dialect.headerRows, options: options,
                                 names: dialect.names)
        let sha: String
        let starts = parallel ? chunkStarts(input, chunkSize: options.chunkSize, dialect: dialect) : []
        if !starts.isEmpty {
            sha = try scanInChunks(scanner, sink, dialect: dialect, chunkStarts: starts, options: options, second: second!)
        } else {
            var s = sink
            try scanner.scan(into: &s)
            sha = try second?.finish() ?? input.finishHash()
        }
        guard let header = sink.header else {
            throw InferError(.empty, path: path, message: "the file has no header line", hint: "export the report again; a CSV needs at least a header line")
        }
        try sink.settleSummaryRows()
        let names = Identifier.uniqueNames(for: header)
        let decided = try FileDecisions(sink: sink, names: names, header: header, options: options, path: path)
        var columns: [ColumnProfile] = []
        var warnings = decided.warnings
        for (i, name) in names.enumerated() {
            var column = sink.columns[i].profile(name: name, source: header[i], decimal: decided.decimal?.separator,
                                                 dateOrder: decided.dateOrders[i])
            if let typed = try decided.override(for: column, index: i, accumulator: sink.columns[i]) {
                column = typed
            }
            columns.append(column)
        }
        warnings += FileDecisions.columnWarnings(sink: sink, columns: columns, decimal: decided.decimal)
        let headerRows = dialect.headerRows > 1 ? dialect.headerRows : nil
        if let rows = headerRows {
            warnings.insert("lines \(dialect.headerLine)–\(dialect.headerLine + rows - 1) are one header of \(rows) rows (group labels over column names); each column is named \"label / name\"", at: 0)
        }
        return FileProfile(path: path, sha256: sha, bytes: input.fileSize, rows: sink.rows,
                           dialect: Dialect(encoding: input.encoding, delimiter: dialect.delimiter, headerLine: dialect.headerLine,
                                            headerRows: headerRows, decimalSeparator: decided.decimal?.separator),
                           columns: columns, warnings: warnings, decimal: decided.decimal,
                           summaryRows: sink.summaryRows, rejectedRows: sink.rejected)
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
                                     chunkStarts starts: [Int], options: InferOptions, second: SecondThread) throws(InferError) -> String {
        let path = first.input.path
        let width = dialect.width
        let encoding = first.input.encoding
        let queue = ChunkQueue(count: starts.count)
        // Chunk k + 1 of the queue is the chunk starting at starts[k]; chunk 0 is the caller's.
        let scanChunk: @Sendable (Int) -> Void = { k in
            queue.set(k) { () throws(InferError) in
                let from = starts[k - 1]
                let input = try DecodedInput(path: path, utf8From: from)
                let scanner = RecordScanner(input: input, delimiter: dialect.delimiter, lenient: true)
                var tail = InferenceSink(path: path, encoding: encoding, skip: 0, headerRows: 1, options: options, names: dialect.names, width: width)
                let end = try scanner.scan(into: &tail, limits: starts[k...].map { $0 - from })
                return ChunkResult(sink: tail, end: end, lines: scanner.line - 1)
            }
        }
        // Once hashed, the second thread takes chunks from the back.
        second.then { while let k = queue.takeBack() { scanChunk(k) } }
        var head = sink
        let end: RecordScanner.End
        do { end = try first.scan(into: &head, limits: starts.map { $0 - first.input.bomLength }) } catch {
            queue.stop()
            second.cancel()
            throw error
        }
        // Once the first chunk has read to the end, nothing later is needed.
        if end == .finished { queue.stop() }
        while let k = queue.takeFront() { scanChunk(k) }
        let sha = try second.finish()
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
                try sink.absorb(chunk.sink, lineOffset: lineOffset)
                lineOffset += chunk.lines
                last = chunk.end
                c = k
            case .success:
                // Not exact: scan on from this chunk's start here, into the merged state.
                let from = starts[k - 1]
                let scanner = RecordScanner(input: try DecodedInput(path: path, utf8From: from), delimiter: dialect.delimiter, line: lineOffset + 1, lenient: true)
                last = try scanner.scan(into: &head, limits: starts[k...].map { $0 - from })
                lineOffset = scanner.line - 1
                c = k
            }
        }
        return sha
    }
}

/// The second thread of a parallel scan. It hashes the file from the moment the scan begins,
/// then runs the work the scan hands it (chunks from the back). A thread of its own, not
/// Dispatch's global queue: its pool counts the busy calling thread.
final class SecondThread: @unchecked Sendable {
    private let group = DispatchGroup()
    private let lock = NSLock()
    private let handed = DispatchSemaphore(value: 0)
    private var work: (@Sendable () -> Void)?
    private var handedOver = false
    private var stopped = false
    private var hash: Result<String, InferError>?

    init(path: String) {
        startThread(group) { [self] in
            let result = Result { () throws(InferError) in try DecodedInput.sha256(path: path, cancelled: { [self] in isStopped }) }
            lock.lock()
            hash = result
            lock.unlock()
            handed.wait()
            lock.lock()
            let job = stopped ? nil : work
            lock.unlock()
            job?()
        }
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    /// Releases the thread from waiting for work, once, after `change` under the lock.
    private func release(_ change: () -> Void = {}) {
        lock.lock()
        change()
        let first = !handedOver
        handedOver = true
        lock.unlock()
        if first { handed.signal() }
    }

    /// Hands the thread its work for after the hash; once at most.
    func then(_ job: @escaping @Sendable () -> Void) {
        release { work = job }
    }

    /// Waits for the hash and the work handed over, and returns the hash.
    func finish() throws(InferError) -> String {
        release()
        group.wait()
        return try hash!.get()
    }

    /// Stops the hash early and drops the work not started (after an error); waits for the thread.
    func cancel() {
        release { stopped = true }
        group.wait()
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

/// A record that starts with a total's label, held back until the column types are known.
struct SummaryCandidate {
    var line: Int
    var label: String
    /// The record's bytes and fields (offsets into `bytes`), to type it later if it is data.
    var bytes: [UInt8]
    var fields: [FieldSlice]
}

/// Types every field of every record.
final class InferenceSink: RecordSink {
    let path: String
    let validateUTF8: Bool
    let encoding: TextEncoding
    let options: InferOptions
    var skip: Int
    /// Header rows still to read.
    var headerRowsLeft: Int
    var headerRows: [[String]] = []
    var header: [String]?
    /// The header as the sniffer sampled it, to name columns in messages.
    let names: [String]
    private(set) var columns = UnsafeMutableBufferPointer<ColumnAccumulator>(start: nil, count: 0)
    var rows = 0
    var rejected: [RejectedRow] = []
    private var rejectedBytes = 0
    var summaryCandidates: [SummaryCandidate] = []
    var summaryRows: [SummaryRow] = []
    /// Null markers packed as (length << 56 | bytes) for one-compare matching; markers longer
    /// than 7 bytes fall back to `longNullMarkers`.
    private let nullKeys: UnsafeMutableBufferPointer<UInt64>
    private let longNullMarkers: [[UInt8]]
    /// Whether a byte can start a null marker: most fields are rejected on their first byte.
    private let nullFirstByte: UnsafeMutablePointer<Bool>
    /// Whether two bytes (each with bit 5 set, as a little-endian word) can start a total's label
    /// (``SummaryLabel``): most records are passed on their first two bytes, `Sp` of `Spring Sale` among them.
    private let summaryPairs: UnsafePointer<Bool>
    /// ``SummaryLabel/prefixes``, kept here: a static is reached through a `swift_once` call.
    private let summaryPrefixes: UnsafeMutableBufferPointer<UInt32>
    private let maxNullMarkerLength: Int
    /// A configured null marker that reads as a number (say `0`) turns the number fast path off.
    private let numericNullMarker: Bool
    /// The planner named records to reject.
    private let checkLines: Bool

    init(path: String, encoding: TextEncoding, skip: Int, headerRows: Int, options: InferOptions, names: [String], width: Int? = nil) {
        self.path = path
        self.encoding = encoding
        self.options = options
        self.names = names
        // Transcoded input is valid UTF-8 by construction.
        validateUTF8 = encoding == .utf8 || encoding == .utf8BOM
        self.skip = skip
        headerRowsLeft = headerRows
        let markers = options.nullMarkers.map { Array($0.utf8) }.filter { !$0.isEmpty }
        let short = markers.filter { $0.count <= 7 }
        nullKeys = .allocate(capacity: short.count)
        for (i, m) in short.enumerated() { nullKeys[i] = InferenceSink.pack(m) }
        longNullMarkers = markers.filter { $0.count > 7 }
        nullFirstByte = .allocate(capacity: 256)
        nullFirstByte.initialize(repeating: false, count: 256)
        for m in markers { nullFirstByte[Int(m[0])] = true }
        summaryPairs = options.keepSummaryRows ? SummaryLabel.noPairs : SummaryLabel.pairs
        summaryPrefixes = .allocate(capacity: SummaryLabel.prefixes.count)
        _ = summaryPrefixes.initialize(from: SummaryLabel.prefixes)
        checkLines = !options.rejectLines.isEmpty
        maxNullMarkerLength = markers.map(\.count).max() ?? 0
        numericNullMarker = markers.contains { m in
            m.withUnsafeBufferPointer { ValueLexer.plainNumberBytewise($0.baseAddress!, $0.count) != nil }
        }
        if let width {
            // A later chunk of a parallel scan: the header is the first chunk's.
            header = []
            headerRowsLeft = 0
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
        header != nil && headerRowsLeft == 0 && skip == 0 && (0..<columns.count).allSatisfy { columns[$0].canAbsorb(tail.columns[$0]) }
    }

    /// Folds in a later chunk of a parallel scan (see ``canAbsorb(_:)``).
    func absorb(_ tail: InferenceSink, lineOffset: Int) throws(InferError) {
        rows += tail.rows
        for c in 0..<columns.count { columns[c].absorb(tail.columns[c], lineOffset: lineOffset) }
        for r in tail.rejected { try reject(RejectedRow(line: r.line + lineOffset, reason: r.reason, text: r.text)) }
        for var candidate in tail.summaryCandidates {
            candidate.line += lineOffset
            try hold(candidate)
        }
    }

    deinit {
        _ = columns.deinitialize()
        columns.deallocate()
        nullKeys.deallocate()
        nullFirstByte.deallocate()
        summaryPrefixes.deallocate()
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
        guard headerRowsLeft == 0 else {
            try readHeader(record)
            return true
        }
        let width = columns.count
        if record.count != width || record.damage != nil || checkLines {
            if record.count != width && record.isBlank { return true }
            if try badRow(record) { return true }
        }
        // A total's label in the first cell: held back until the column types are known.
        let first = record.fields[0]
        var s = first.start
        while s < first.end && record.bytes[s] == 0x20 { s &+= 1 }
        if first.end &- s >= 4 && summaryPairs[Int(UnsafeRawPointer(record.bytes + s).loadUnaligned(as: UInt16.self) | 0x2020)]
            && mayStartSummary(record.bytes + s) {
            if try holdIfSummary(record) { return true }
        }
        rows &+= 1
        try typeFields(record)
        return true
    }

    /// Types every field of a data record. The one caller of ``type(_:_:_:)``, so that it is
    /// inlined here (with a second caller it was not, and the per-field call cost 6 % of CPU).
    private func typeFields(_ record: RecordView) throws(InferError) {
        let cols = columns.baseAddress!
        for c in 0..<columns.count {
            try type(record, c, &cols[c])
        }
    }

    /// Whether the first cell, at `p` with four readable bytes, may start a total's label: its
    /// first four bytes, ASCII letters lowered by setting bit 5 (which can only let a cell
    /// through, never turn one away), are one of the labels' first four.
    @inline(__always)
    private func mayStartSummary(_ p: UnsafePointer<UInt8>) -> Bool {
        let x = UnsafeRawPointer(p).loadUnaligned(as: UInt32.self) | 0x2020_2020
        for k in summaryPrefixes where k == x { return true }
        return false
    }

    /// A record of the wrong width, badly quoted, or rejected by the planner: refused, or
    /// rejected (true) under `--bad-rows reject`. False when it is an ordinary record after all.
    @inline(never)
    private func badRow(_ record: RecordView) throws(InferError) -> Bool {
        let width = columns.count
        var reason: String?
        var error: InferError?
        if let e = record.damageError(path: path, header: names) {
            error = e
            reason = e.message
        } else if record.count != width {
            let e = InferError.width(path: path, line: record.line, fields: record.count, header: width)
            error = e
            reason = e.message
        } else if let planned = options.rejectLines[record.line] {
            reason = planned
        }
        guard let reason else { return false }
        guard options.badRows == .reject else { throw error! }
        try reject(RejectedRow(line: record.line, reason: reason, text: record.rawText))
        return true
    }

    private func reject(_ row: RejectedRow) throws(InferError) {
        rejected.append(row)
        rejectedBytes += row.text.utf8.count
        if rejected.count > InferOptions.maxRejectedRows || rejectedBytes > 16 << 20 {
            throw InferError(.tooManyBadRows, path: path, line: row.line,
                             message: "more than \(rejected.count - 1) bad rows (or 16 MB of them): the file is probably not what it seems",
                             hint: "check the delimiter and the header line (`spark preview --raw`); fix the export rather than reject this much of it")
        }
    }

    /// Holds the record back when its first cell is a total's label; true when it did.
    @inline(never)
    private func holdIfSummary(_ record: RecordView) throws(InferError) -> Bool {
        let f = record.fields[0]
        guard SummaryLabel.matches(record.bytes + f.start, f.count) else { return false }
        let label = record.string(0)
        var bytes: [UInt8] = []
        var fields: [FieldSlice] = []
        for k in 0..<record.count {
            let f = record.fields[k]
            let start = bytes.count
            bytes += UnsafeBufferPointer(start: record.bytes + f.start, count: f.count)
            fields.append(FieldSlice(start: start, end: bytes.count, quoted: f.quoted, escaped: f.escaped, ascii: f.ascii, doubledQuotes: Int(f.doubledQuotes)))
        }
        // Slack after the last field, as the scanner's window has, for the lexer's word loads.
        bytes += [UInt8](repeating: 0, count: DecodedInput.slack)
        try hold(SummaryCandidate(line: record.line, label: label, bytes: bytes, fields: fields))
        return true
    }

    private func hold(_ candidate: SummaryCandidate) throws(InferError) {
        summaryCandidates.append(candidate)
        if summaryCandidates.count > InferOptions.maxSummaryRows {
            throw InferError(.tooManyBadRows, path: path, line: candidate.line,
                             message: "more than \(InferOptions.maxSummaryRows) rows start with a total's label such as \(candidate.label.debugDescription)",
                             hint: "if these rows are data, pass --keep-summary-rows")
        }
    }

    /// Decides the held-back records now that the other rows have typed the columns: a summary
    /// row has no date and fewer than half its descriptive (text) cells filled; anything else
    /// is data after all and is typed now.
    func settleSummaryRows() throws(InferError) {
        guard !summaryCandidates.isEmpty else { return }
        let kinds = (0..<columns.count).map { columns[$0].kind }
        let descriptive = (1..<max(1, kinds.count)).filter { k in
            switch kinds[k] {
            case .text, .boolean: true
            default: false
            }
        }
        let dates = (1..<max(1, kinds.count)).filter { k in
            switch kinds[k] {
            case .isoDate, .localDate, .localTimestamp, .timestampNTZ, .timestampTZ: true
            default: false
            }
        }
        for candidate in summaryCandidates.sorted(by: { $0.line < $1.line }) {
            try candidate.bytes.withUnsafeBufferPointer { (b) throws(InferError) in
                try candidate.fields.withUnsafeBufferPointer { (f) throws(InferError) in
                    let view = RecordView(bytes: b.baseAddress!, fields: f.baseAddress!, count: f.count, line: candidate.line)
                    func filled(_ k: Int) -> Bool {
                        let field = f[k]
                        var s = field.start, e = field.end
                        while s < e && b[s] == 0x20 { s += 1 }
                        while e > s && b[e - 1] == 0x20 { e -= 1 }
                        return !isNullMarker(b.baseAddress! + s, e - s)
                    }
                    let textFilled = descriptive.filter(filled).count
                    let isSummary = !dates.contains(where: filled) && (descriptive.isEmpty || textFilled * 2 < descriptive.count)
                    if isSummary {
                        summaryRows.append(SummaryRow(line: candidate.line, label: candidate.label))
                    } else {
                        rows &+= 1
                        try typeFields(view)
                    }
                }
            }
        }
        summaryCandidates = []
    }

    @inline(__always)
    private func type(_ record: RecordView, _ c: Int, _ col: inout ColumnAccumulator) throws(InferError) {
        let f = record.fields[c]
        let p = record.bytes + f.start
        let n = f.count
        // Fast path for the commonest value in ad exports, a plain integer or decimal in a
        // numeric column (never a null marker); anything else goes through the full lexer.
        if col.kind == .number, !numericNullMarker, let (digits, scale) = ValueLexer.plainNumber(p, n) {
            if scale == 0 {
                // The same under both decimal marks.
                if digits > col.maxIntegerDigits { col.maxIntegerDigits = digits }
                if n > col.maxLength { col.maxLength = n }
                return
            }
            if col.pointOnly {
                // A column whose decimal mark is settled as `.`.
                if digits > col.dot.integerDigits { col.dot.integerDigits = digits }
                if scale > col.dot.scale {
                    col.dot.scale = scale
                    col.dot.evidence = evidence(record, c)
                }
                if n > col.maxLength { col.maxLength = n }
                return
            }
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
        let needs = col.merge(v)
        if !needs.isEmpty { col.record(evidence(record, c), needs) }
        if v.shape == .text || col.kind == .text {
            try measureText(record, c, p, n, &col)
            return
        }
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
        try record.throwIfDamaged(path: path)
        var cells: [String] = []
        for i in 0..<record.count {
            let raw = record.rawField(i)
            if validateUTF8 && ValueLexer.utf8Length(raw.baseAddress!, raw.count) == nil {
                throw invalidUTF8(line: record.line)
            }
            cells.append(record.string(i))
        }
        if let width = headerRows.first?.count, cells.count != width {
            throw InferError(.damagedHeader, path: path, line: record.line,
                             message: "the second header row has \(cells.count) fields but the first has \(width)",
                             hint: "make both header rows as wide as the table, or pass --header-line with the line of the column names")
        }
        headerRows.append(cells)
        headerRowsLeft -= 1
        if headerRowsLeft == 0 {
            header = HeaderRows.names(headerRows)
            allocateColumns(cells.count)
        }
    }
}

/// The labels of total rows platforms add to exports (`Total: Account`, `Gesamt`, `Totaal`).
enum SummaryLabel {
    /// Lower-case; ASCII letters of a cell are lowered before comparing, and `Łącznie` is also
    /// listed as written.
    static let words: [[UInt8]] = ["total", "totals", "totales", "totaux", "gesamt", "gesamtsumme", "summe", "totaal", "totale", "totali",
                                   "suma", "razem", "łącznie", "Łącznie", "ŁĄCZNIE", "totalt"].map { Array($0.utf8) }

    /// The table of first byte pairs an InferenceSink checks every record's first cell against,
    /// indexed by the pair as a little-endian word with bit 5 of each byte set. Made once and
    /// kept for the life of the process, never written after: safe to share between threads.
    /// `noPairs` passes nothing (`--keep-summary-rows`).
    nonisolated(unsafe) static let pairs: UnsafePointer<Bool> = pairTable(words)
    nonisolated(unsafe) static let noPairs: UnsafePointer<Bool> = pairTable([])

    private static func pairTable(_ words: [[UInt8]]) -> UnsafePointer<Bool> {
        let table = UnsafeMutablePointer<Bool>.allocate(capacity: 1 << 16)
        table.initialize(repeating: false, count: 1 << 16)
        for w in words { table[Int(UInt16(w[0] | 0x20) | UInt16(w[1] | 0x20) << 8)] = true }
        return UnsafePointer(table)
    }

    /// The first four bytes of every word with bit 5 of each byte set, as little-endian words;
    /// see ``InferenceSink`` `mayStartSummary`.
    static let prefixes: [UInt32] = Array(Set(words.map { w in
        w.prefix(4).enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element | 0x20) << (8 * $1.offset) }
    })).sorted()

    /// The cell, trimmed, is one of the words (any case), or one followed by `:`, ` :`, ` (` or
    /// ` -`: `Total: Search campaigns`, `Gesamt - Suche`. `Total Recall` is not. No allocation:
    /// this runs for every record whose first cell starts with one of ``firstBytes``.
    static func matches(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var s = 0, e = n
        while s < e && p[s] == 0x20 { s += 1 }
        while e > s && p[e - 1] == 0x20 { e -= 1 }
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        for w in words where w.count <= e - s {
            var same = true
            for k in 0..<w.count where lower(p[s + k]) != w[k] { same = false; break }
            guard same else { continue }
            let r = s + w.count
            if r == e { return true }
            let a = p[r], b = r + 1 < e ? p[r + 1] : 0
            if a == 0x3A { return true } // `:`
            if a == 0x20 && (b == 0x3A || b == 0x28 || b == 0x2D) { return true } // ` :` ` (` ` -`
            if a == 0x20 && b == 0xE2 && r + 3 < e && p[r + 2] == 0x80 && p[r + 3] == 0x93 { return true } // ` –`
        }
        return false
    }

    static func matches(_ cell: String) -> Bool {
        var bytes = Array(cell.utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { matches($0.baseAddress!, $0.count - 1) }
    }
}
