/// One field of a record: byte offsets into the window. For a quoted field the offsets exclude
/// the quotes; `escaped` means it contains doubled quotes that still need undoubling.
///
/// Offsets are 32-bit (a window never exceeds 32 MiB) to keep the per-field store small.
public struct FieldSlice: Sendable {
    private var first: UInt32
    private var length: UInt32
    public var quoted: Bool
    public var escaped: Bool
    /// Every byte is ASCII, so its length in characters is its length in bytes.
    public var ascii: Bool
    /// How many `""` pairs the field holds, saturating at 255 (then count them again).
    public var doubledQuotes: UInt8

    @inline(__always)
    public init(start: Int, end: Int, quoted: Bool, escaped: Bool, ascii: Bool, doubledQuotes: Int = 0) {
        first = UInt32(truncatingIfNeeded: start)
        length = UInt32(truncatingIfNeeded: end &- start)
        self.quoted = quoted
        self.escaped = escaped
        self.ascii = ascii
        self.doubledQuotes = UInt8(truncatingIfNeeded: min(doubledQuotes, 255))
    }

    @inline(__always) public var start: Int { Int(first) }
    @inline(__always) public var count: Int { Int(length) }
    @inline(__always) public var end: Int { Int(first) + Int(length) }
}

/// Growable storage for the fields of the record being parsed; reused for every record.
final class FieldBuffer {
    private(set) var pointer: UnsafeMutablePointer<FieldSlice>
    private(set) var capacity: Int
    var count = 0
    /// What is wrong with the record just parsed, if anything; set only on the parser's slow
    /// paths, and cleared by whoever reads it (so the parser does not clear it per record).
    var damage: RecordDamage?

    init(capacity: Int = 64) {
        self.capacity = capacity
        pointer = .allocate(capacity: capacity)
    }

    deinit { pointer.deallocate() }

    /// Doubles the capacity, keeping the first `count` fields; returns the new storage.
    @inline(never)
    func grown(keeping count: Int) -> (UnsafeMutablePointer<FieldSlice>, Int) {
        self.count = count
        let bigger = UnsafeMutablePointer<FieldSlice>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: pointer, count: count)
        pointer.deallocate()
        pointer = bigger
        capacity *= 2
        return (pointer, capacity)
    }
}

/// Quoting that RFC 4180 forbids, found in a record the parser still read to its end, so the
/// records after it are found as they would be without it. The record's fields are not what the
/// file means: callers refuse it, or reject it as a whole.
public enum RecordDamage: Sendable, Equatable {
    /// A character other than a delimiter or line end right after a closing quote (`"abc"def`).
    /// The field runs on to the next delimiter or line end.
    case badQuote(field: Int, lineOffset: Int)
    /// A `"` inside an unquoted field, not at its start, where a later `"` on the same line lies
    /// beyond the field's end: read as quoting, the two would join fields (`$78.74"Rolling Duffle,
    /// Extra-Large"`). A quote whose field holds the next quote of the line, or with no further
    /// quote on the line (`24" monitor`), cannot change how the line splits and is read literally.
    case strayQuote(field: Int, lineOffset: Int)

    /// 0-based index of the field.
    public var field: Int {
        switch self { case let .badQuote(f, _), let .strayQuote(f, _): f }
    }

    /// Physical lines after the record's first where the problem is.
    public var lineOffset: Int {
        switch self { case let .badQuote(_, l), let .strayQuote(_, l): l }
    }
}

/// The result of trying to parse one record.
enum ParseOutcome {
    /// A whole record: the offset just past its terminator, and the physical lines it spans.
    case record(next: Int, lines: Int)
    /// The window ends inside the record; read more (or, at end of file, this cannot happen).
    case needMore
    /// End of file inside a quoted field; `lineOffset` is the line of the opening quote, relative to the record's first line.
    case unterminatedQuote(lineOffset: Int)
}

/// An RFC 4180 record parser over UTF-8 bytes: quoted fields, doubled quotes, CR, LF and CRLF,
/// and line breaks inside quotes.
///
/// Hand-written rather than taken from a library: inference must scan every byte of
/// gigabyte exports several times faster than DuckDB's sniffer, and no Swift CSV package on
/// this machine comes near that (they build a String per field).
///
/// An unquoted field ends at the next set bit of a ``SeparatorBlock``: the delimiter, CR and LF
/// bits of 64 bytes, kept from field to field in the caller's registers. Quoted fields, and the
/// last 64 bytes of a window, are read eight bytes at a time. A simdcsv-style structural index
/// built ahead of the parser and read through a lookup per field was measured first and cost
/// about 6 % more CPU than the word loop; the block in registers costs about 8 % less. simdjson's
/// two stages in full (quote-aware offsets of every field end, flattened per 16 KiB, then read
/// off an array) were measured later and were no faster than the block.
struct RecordParser {
    static let quote: UInt8 = 0x22
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    let delimiter: UInt8
    /// 1 for the delimiter, CR, LF and the quote; the unquoted-field loop stops only on these.
    private let special: UnsafeMutablePointer<UInt8>

    init(delimiter: UInt8) {
        self.delimiter = delimiter
        special = .allocate(capacity: 256)
        special.initialize(repeating: 0, count: 256)
        special[Int(delimiter)] = 1
        special[Int(RecordParser.lf)] = 1
        special[Int(RecordParser.cr)] = 1
        special[Int(RecordParser.quote)] = 1
    }

    func deallocate() { special.deallocate() }

    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    static let lfWord = ones &* UInt64(lf)
    static let crWord = ones &* UInt64(cr)
    static let quoteWord = ones &* UInt64(quote)

    /// High bit set in each zero byte of `x`. Bytes above the lowest zero byte may be false
    /// positives (borrows), so only the lowest set bit is meaningful.
    @inline(__always)
    static func zeroByteMask(_ x: UInt64) -> UInt64 {
        (x &- ones) & ~x & 0x8080_8080_8080_8080
    }

    /// Parses the record starting at `start` into `fields` (which it clears first). `block` is
    /// the caller's, kept from one record to the next while the window's bytes stay the same.
    ///
    /// Offsets and counts wrap rather than trap: they are bounded by the window (at most
    /// 32 MiB), so they cannot overflow, and an overflow check on every field costs time.
    ///
    /// Out of line on purpose: inlined into the scanner's loop, the scanner's own state took the
    /// registers and the block, the field start and the window's base went to the stack and back
    /// at every field. Alone it spills nothing, for one call per record (about 2 % less wall time
    /// on the bench file).
    @inline(never)
    func parse(at start: Int, in p: UnsafePointer<UInt8>, count n: Int, eof: Bool, fields: FieldBuffer,
               block: inout SeparatorBlock) -> ParseOutcome {
        // The fields are stored through locals and counted into `fields` once, on return:
        // through the class, every field was a load and a store of its count.
        var out = fields.pointer
        var stored = 0
        var room = fields.capacity
        defer { fields.count = stored }
        var i = start
        var lines = 0
        let delimiter = self.delimiter
        let special = self.special
        let delimiterWord = RecordParser.ones &* UInt64(delimiter)
        while true {
            // One field.
            if i < n && p[i] == RecordParser.quote {
                let quoteLine = lines
                i &+= 1
                let contentStart = i
                var escaped = false
                var doubled = 0
                var high: UInt64 = 0
                while true {
                    // Skip eight bytes at a time to the next quote, CR or LF.
                    while i &+ 8 <= n {
                        let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                        let hit = RecordParser.zeroByteMask(x ^ RecordParser.quoteWord) | RecordParser.zeroByteMask(x ^ RecordParser.lfWord)
                            | RecordParser.zeroByteMask(x ^ RecordParser.crWord)
                        high |= x
                        if hit != 0 {
                            i &+= hit.trailingZeroBitCount &>> 3
                            break
                        }
                        i &+= 8
                    }
                    while i < n {
                        let b = p[i]
                        if b == RecordParser.quote { break }
                        high |= UInt64(b)
                        if b == RecordParser.lf {
                            lines &+= 1
                        } else if b == RecordParser.cr && (i &+ 1 >= n || p[i &+ 1] != RecordParser.lf) {
                            lines &+= 1
                        }
                        i &+= 1
                    }
                    if i >= n { return eof ? .unterminatedQuote(lineOffset: quoteLine) : .needMore }
                    if i &+ 1 < n {
                        if p[i &+ 1] == RecordParser.quote {
                            escaped = true
                            doubled &+= 1
                            i &+= 2
                            continue
                        }
                    } else if !eof {
                        return .needMore
                    }
                    break
                }
                if stored == room { (out, room) = fields.grown(keeping: stored) }
                out[stored] = FieldSlice(start: contentStart, end: i, quoted: true, escaped: escaped, ascii: high & RecordParser.highBits == 0, doubledQuotes: doubled)
                stored &+= 1
                i &+= 1
                if i < n {
                    let b = p[i]
                    if b != delimiter && b != RecordParser.lf && b != RecordParser.cr {
                        guard let end = damagedFieldEnd(from: i, in: p, count: n, eof: eof) else { return .needMore }
                        fields.damage = .badQuote(field: stored &- 1, lineOffset: lines)
                        i = end
                    }
                }
            } else {
                let fieldStart = i
                var found = false
                var high: UInt64 = 0
                // Non-ASCII bits of the block path (`high` holds bytes, of the word path).
                var nonASCII: UInt64 = 0
                // From the separator bits of 64 bytes at a time, while whole blocks are left.
                while i &+ 64 <= n {
                    let rel: Int
                    if let r = block.offset(of: i) {
                        rel = r
                    } else {
                        block.load(p + i, at: i, delimiter: delimiter)
                        rel = 0
                    }
                    let ahead = block.separators &>> UInt64(rel)
                    if ahead != 0 {
                        // The bits below the lowest separator: the field's bytes.
                        let field = (ahead &- 1) & ~ahead
                        nonASCII |= (block.high &>> UInt64(rel)) & field
                        i &+= ahead.trailingZeroBitCount
                        found = true
                        break
                    }
                    nonASCII |= block.high &>> UInt64(rel)
                    i = block.position &+ 64
                }
                // Near the window's end, eight bytes at a time: the lowest byte equal to the
                // delimiter, CR, LF or a quote ends the field.
                while !found && i &+ 8 <= n {
                    let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                    let hit = RecordParser.zeroByteMask(x ^ delimiterWord) | RecordParser.zeroByteMask(x ^ RecordParser.lfWord)
                        | RecordParser.zeroByteMask(x ^ RecordParser.crWord) | RecordParser.zeroByteMask(x ^ RecordParser.quoteWord)
                    // Bytes past the field's end may join `high`: that can only call an ASCII
                    // field non-ASCII (measured the slow way), never the reverse.
                    high |= x
                    if hit != 0 {
                        i &+= hit.trailingZeroBitCount &>> 3
                        found = true
                        break
                    }
                    i &+= 8
                }
                if !found {
                    while i < n && special[Int(p[i])] == 0 {
                        high |= UInt64(p[i])
                        i &+= 1
                    }
                }
                if stored == room { (out, room) = fields.grown(keeping: stored) }
                out[stored] = FieldSlice(start: fieldStart, end: i, quoted: false, escaped: false, ascii: high & RecordParser.highBits | nonASCII == 0)
                stored &+= 1
            }
            // What ends the field.
            if i >= n {
                return eof ? .record(next: i, lines: lines &+ 1) : .needMore
            }
            let b = p[i]
            if b == delimiter {
                i &+= 1
                continue
            }
            if b == RecordParser.lf { return .record(next: i &+ 1, lines: lines &+ 1) }
            if b == RecordParser.quote {
                // A quote inside an unquoted field: the separator bits stop there too.
                guard let (end, literal) = strayQuote(at: i, in: p, count: n, eof: eof) else { return .needMore }
                var ascii = true
                for k in out[stored &- 1].start..<end where p[k] >= 0x80 { ascii = false; break }
                out[stored &- 1] = FieldSlice(start: out[stored &- 1].start, end: end, quoted: false, escaped: false, ascii: ascii)
                if !literal && fields.damage == nil { fields.damage = .strayQuote(field: stored &- 1, lineOffset: lines) }
                i = end
                if i >= n { return .record(next: i, lines: lines &+ 1) } // at end of file: strayQuote asks for more otherwise
                if p[i] == delimiter {
                    i &+= 1
                    continue
                }
                if p[i] == RecordParser.lf { return .record(next: i &+ 1, lines: lines &+ 1) }
            }
            // CR: CRLF or a lone CR.
            if i &+ 1 < n { return .record(next: p[i &+ 1] == RecordParser.lf ? i &+ 2 : i &+ 1, lines: lines &+ 1) }
            return eof ? .record(next: i &+ 1, lines: lines &+ 1) : .needMore
        }
    }

    /// Where a field that went wrong after its closing quote ends: the next delimiter, CR or LF.
    /// Nil when the window ends first (read more).
    @inline(never)
    func damagedFieldEnd(from start: Int, in p: UnsafePointer<UInt8>, count n: Int, eof: Bool) -> Int? {
        var i = start
        while i < n && p[i] != delimiter && p[i] != RecordParser.lf && p[i] != RecordParser.cr { i += 1 }
        return i < n || eof ? i : nil
    }

    /// For a quote at `q` inside an unquoted field: where the field really ends (the next
    /// delimiter, CR or LF), and whether the quote is literal: the field holds another quote
    /// after it, or no quote follows on the rest of the physical line. Nil when the window ends
    /// first (read more). See ``RecordDamage/strayQuote(field:lineOffset:)``.
    @inline(never)
    func strayQuote(at q: Int, in p: UnsafePointer<UInt8>, count n: Int, eof: Bool) -> (end: Int, literal: Bool)? {
        var i = q &+ 1
        var quotesInField = 1
        while i < n && p[i] != delimiter && p[i] != RecordParser.lf && p[i] != RecordParser.cr {
            if p[i] == RecordParser.quote { quotesInField += 1 }
            i += 1
        }
        if i >= n && !eof { return nil }
        let end = i
        if quotesInField > 1 { return (end, true) }
        while i < n && p[i] != RecordParser.lf && p[i] != RecordParser.cr {
            if p[i] == RecordParser.quote { return (end, false) }
            i += 1
        }
        if i >= n && !eof { return nil }
        return (end, true)
    }
}
