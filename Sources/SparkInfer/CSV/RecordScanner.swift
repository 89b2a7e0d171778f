import SparkModel

/// A record handed to a ``RecordSink``. Its pointers are valid only during the call.
public struct RecordView {
    public let bytes: UnsafePointer<UInt8>
    public let fields: UnsafePointer<FieldSlice>
    public let count: Int
    /// 1-based physical line where the record starts.
    public let line: Int

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

    /// `line` is the physical line of the input's first byte.
    init(input: DecodedInput, delimiter: UInt8, line: Int = 1) {
        self.input = input
        self.line = line
        parser = RecordParser(delimiter: delimiter)
    }

    deinit { parser.deallocate() }

    @inline(never)
    private func refill(keepFrom pos: Int) throws(InferError) {
        do { try input.refill(keepFrom: pos) } catch {
            if error.kind == .recordTooLarge {
                throw InferError(.unterminatedQuote, path: input.path, line: line,
                                 message: "the record starting here never ends: a quote is probably never closed",
                                 hint: "fix the quoting on this line (a field with a quote must start and end with one, and double any quote inside)")
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

    @inline(never)
    private func badQuote(line: Int) -> InferError {
        InferError(.badQuote, path: input.path, line: line,
                   message: "unexpected character after a closing quote",
                   hint: "a quoted field must end at a delimiter or line end; double any quote inside it (\"\")")
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
                let view = RecordView(bytes: base, fields: fields.pointer, count: fields.count, line: line)
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
            case let .badQuote(offset):
                throw badQuote(line: line + offset)
            }
        }
    }
}
