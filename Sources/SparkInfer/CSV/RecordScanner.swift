import SparkModel

/// A record handed to a ``RecordSink``. Its pointers are valid only during the call.
public struct RecordView {
    public let bytes: UnsafePointer<UInt8>
    public let fields: UnsafePointer<FieldSlice>
    public let count: Int
    /// 1-based physical line where the record starts.
    public let line: Int
    /// Quoting RFC 4180 forbids, when the record has any (see ``RecordDamage``).
    public var damage: RecordDamage? = nil
    /// Window offsets of the record's first byte and of the byte after its line end.
    public var start = 0
    public var end = 0

    public init(bytes: UnsafePointer<UInt8>, fields: UnsafePointer<FieldSlice>, count: Int, line: Int) {
        self.bytes = bytes
        self.fields = fields
        self.count = count
        self.line = line
    }

    /// The record's text as written, without its line end; invalid UTF-8 is repaired.
    public var rawText: String {
        var e = end
        while e > start && (bytes[e - 1] == RecordParser.lf || bytes[e - 1] == RecordParser.cr) { e -= 1 }
        return String(decoding: UnsafeBufferPointer(start: bytes + start, count: e - start), as: UTF8.self)
    }

    /// The error for a damaged record, naming its line and field (by `header` name when given).
    public func damageError(path: String, header: [String]? = nil) -> InferError? {
        guard let damage else { return nil }
        let f = damage.field
        let name = header.flatMap { f < $0.count ? " (\($0[f].debugDescription))" : nil } ?? ""
        let value = string(f)
        let shown = value.count > 60 ? String(value.prefix(57)) + "..." : value
        switch damage {
        case .badQuote:
            return InferError(.badQuote, path: path, line: line + damage.lineOffset,
                              message: "unexpected character after a closing quote in field \(f + 1)\(name)",
                              hint: "a quoted field must end at a delimiter or line end; double any quote inside it (\"\")")
        case .strayQuote:
            return InferError(.strayQuote, path: path, line: line + damage.lineOffset,
                              message: "field \(f + 1)\(name) has a quote inside it, not at its start (\(shown.debugDescription)), and another quote follows on the line: read as quoting it would join fields, read literally it splits them, so the row's columns cannot be trusted",
                              hint: "quote the whole field and double the quote inside it (\"…\"\"…\"), remove the stray quote, or pass --bad-rows reject to leave such rows out of the load (listed in a rejects file)")
        }
    }

    /// Throws ``damageError(path:header:)`` when the record is damaged.
    public func throwIfDamaged(path: String, header: [String]? = nil) throws(InferError) {
        if let error = damageError(path: path, header: header) { throw error }
    }

    /// A blank line: one empty, unquoted field.
    @inline(__always) public var isBlank: Bool { count == 1 && fields[0].count == 0 && !fields[0].quoted }

    /// The raw bytes of field `i` (quotes stripped, doubled quotes still doubled).
    @inline(__always) public func rawField(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let f = fields[i]
        return UnsafeBufferPointer(start: bytes + f.start, count: f.count)
    }

    /// Field `i` as a string, with doubled quotes undoubled. Invalid UTF-8 is repaired.
    public func string(_ i: Int) -> String {
        let f = fields[i]
        let raw = rawField(i)
        guard f.escaped else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var j = 0
        while j < raw.count {
            out.append(raw[j])
            j += raw[j] == RecordParser.quote ? 2 : 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Receives records from a ``RecordScanner``. A protocol rather than a closure so the hot loop
/// specializes and inlines.
public protocol RecordSink {
    /// Returns false to stop scanning.
    mutating func consume(_ record: RecordView) throws(InferError) -> Bool
}

/// Streams the records of a file through a small window.
final class RecordScanner {
    let input: DecodedInput
    private let parser: RecordParser
    private let fields = FieldBuffer()
    /// Physical line of the next record.
    private(set) var line = 1
    /// Window offset of the next record; a later scan continues from here.
    private var position = 0

    /// Damaged records (``RecordDamage``) reach the sink when true; otherwise they are an error.
    private let lenient: Bool

    /// `line` is the physical line of the input's first byte.
    init(input: DecodedInput, delimiter: UInt8, line: Int = 1, lenient: Bool = false) {
        self.input = input
        self.line = line
        self.lenient = lenient
        parser = RecordParser(delimiter: delimiter)
    }

    deinit { parser.deallocate() }

    @inline(never)
    private func refill(keepFrom pos: Int) throws(InferError) {
        do { try input.refill(keepFrom: pos) } catch {
            if error.kind == .recordTooLarge {
                throw InferError(.recordTooLarge, path: input.path, line: line,
                                 message: "the record starting here is larger than \(DecodedInput.maxRecordMegabytes) MB, the most spark reads as one record",
                                 hint: "if a quote on this line is never closed, close it (and double any quote inside the field); a value this large cannot load into Snowflake anyway (a VARCHAR holds at most 16 MB)")
            }
            throw error
        }
    }

    // The errors are built out of line: inlined, they cost the parser's loop registers.
    @inline(never)
    private func unterminatedQuote(line: Int) -> InferError {
        InferError(.unterminatedQuote, path: input.path, line: line,
                   message: "a quoted field opened on this line is never closed",
                   hint: "close the quote, or double any quote inside the field (\"\")")
    }


    /// How a scan ended.
    enum End: Equatable {
        /// End of file, or the sink asked to stop.
        case finished
        /// A record ended exactly at `limits[index]`.
        case reachedLimit(index: Int)
    }

    /// Scans records from where the last scan stopped. With `limits` (ascending absolute decoded
    /// offsets), stops at the first of them where a record ends exactly; a record that runs past
    /// one is read on as usual, to the next.
    @discardableResult
    func scan<S: RecordSink>(into sink: inout S, limits: [Int] = []) throws(InferError) -> End {
        var pos = position
        defer { position = pos }
        var block = SeparatorBlock()
        var limitIndex = 0
        var nextLimit = limits.first ?? .max
        while true {
            if pos >= input.filled {
                if input.atEOF { return .finished }
                try refill(keepFrom: pos)
                block.invalidate()
                pos = 0
                continue
            }
            let base = UnsafePointer(input.window.baseAddress!.assumingMemoryBound(to: UInt8.self))
            let outcome = parser.parse(at: pos, in: base, count: input.filled, eof: input.atEOF, fields: fields, block: &block)
            switch outcome {
            case let .record(next, lines):
                var view = RecordView(bytes: base, fields: fields.pointer, count: fields.count, line: line)
                view.start = pos
                view.end = next
                if let damage = fields.damage {
                    view.damage = damage
                    fields.damage = nil
                    if !lenient { try view.throwIfDamaged(path: input.path) }
                }
                // Bounded by the file's size: it cannot overflow.
                line &+= lines
                pos = next
                if !(try sink.consume(view)) { return .finished }
                let offset = input.windowOffset &+ pos
                if offset >= nextLimit {
                    while limitIndex < limits.count && limits[limitIndex] < offset { limitIndex += 1 }
                    if limitIndex < limits.count && limits[limitIndex] == offset { return .reachedLimit(index: limitIndex) }
                    nextLimit = limitIndex < limits.count ? limits[limitIndex] : .max
                }
            case .needMore:
                try refill(keepFrom: pos)
                block.invalidate()
                pos = 0
            case let .unterminatedQuote(offset):
                throw unterminatedQuote(line: line + offset)
            }
        }
    }
}
