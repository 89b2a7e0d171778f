#if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel
#endif

/// Bitmasks of one 64-byte block of the window: bit k stands for byte `64 * block + k`.
struct BlockMasks: Equatable {
    /// Delimiter, CR or LF: what ends an unquoted field.
    var separators: UInt64 = 0
    /// CR or LF.
    var newlines: UInt64 = 0
    var quotes: UInt64 = 0
    /// Bytes with the high bit set (not ASCII).
    var high: UInt64 = 0
}

/// A structural index of the scanner's window in the manner of simdjson and simdcsv: 64 bytes
/// at a time, vector compares turn the delimiter, CR, LF, quote and non-ASCII bytes into
/// bitmasks, and the record parser jumps from one set bit to the next with
/// `trailingZeroBitCount` instead of looking at bytes.
///
/// Hand-written rather than taken from a library: spark infer must read, type and hash a
/// gigabyte export at least five times faster than DuckDB's full-scan sniffer, with CPU to
/// spare for SHA-256 on two cores; no Swift CSV package comes near that (they build a String
/// per field), and simdcsv is a C++ research prototype rather than a maintained library.
///
/// Blocks are indexed lazily, a chunk at a time just ahead of the parser, so the bytes are still
/// in cache when the parser reads them; the masks of the whole window stay valid until `reset`.
final class StructuralIndex {
    /// Blocks indexed per step: 16 KiB of text.
    static let chunk = 256

    let delimiter: UInt8
    /// Per block, one array per mask (the parser's hot loop reads only `separators` and `high`).
    private(set) var separators: UnsafeMutablePointer<UInt64>
    private(set) var newlines: UnsafeMutablePointer<UInt64>
    private(set) var quotes: UnsafeMutablePointer<UInt64>
    private(set) var high: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    /// The bytes indexed and how many there are; a different window or fill means a reset.
    private(set) var base: UnsafePointer<UInt8>?
    private(set) var count = 0
    /// Blocks in the window (the last may be partial) and blocks indexed so far.
    private(set) var blockCount = 0
    private(set) var built = 0

    init(delimiter: UInt8) {
        self.delimiter = delimiter
        capacity = 1024
        separators = .allocate(capacity: capacity)
        newlines = .allocate(capacity: capacity)
        quotes = .allocate(capacity: capacity)
        high = .allocate(capacity: capacity)
    }

    deinit {
        for m in [separators, newlines, quotes, high] { m.deallocate() }
    }

    /// Forgets every block: the window now holds `count` bytes at `base`.
    func reset(_ base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
        blockCount = (count + 63) >> 6
        built = 0
        if blockCount > capacity {
            for m in [separators, newlines, quotes, high] { m.deallocate() }
            capacity = max(blockCount, capacity * 2)
            separators = .allocate(capacity: capacity)
            newlines = .allocate(capacity: capacity)
            quotes = .allocate(capacity: capacity)
            high = .allocate(capacity: capacity)
        }
    }

    /// Forgets the window: the next `reset` rebuilds.
    func invalidate() {
        base = nil
        count = 0
    }

    /// The masks of block `b`, which must be below `blockCount` (for tests and slow paths).
    func block(_ b: Int) -> BlockMasks {
        _ = ensure(b)
        return BlockMasks(separators: separators[b], newlines: newlines[b], quotes: quotes[b], high: high[b])
    }

    /// Indexes blocks up to `b`; false when `b` is past the window.
    @inline(__always)
    func ensure(_ b: Int) -> Bool {
        if b < built { return true }
        if b >= blockCount { return false }
        buildThrough(b)
        return true
    }

    @inline(never)
    private func buildThrough(_ b: Int) {
        let end = min(blockCount, max(b + 1, built + StructuralIndex.chunk))
        let p = base!
        let full = count >> 6
        var k = built
        while k < end && k < full {
            store(StructuralIndex.classify(UnsafeRawPointer(p + (k << 6)), delimiter: delimiter), at: k)
            k += 1
        }
        if k < end {
            // The last, partial block: classify a zero-padded copy, then drop the padding's bits.
            let tail = count - (k << 6)
            var padded = (SIMD64<UInt8>(), 0)
            withUnsafeMutableBytes(of: &padded) { buffer in
                buffer.baseAddress!.copyMemory(from: p + (k << 6), byteCount: tail)
                var m = StructuralIndex.classify(UnsafeRawPointer(buffer.baseAddress!), delimiter: delimiter)
                let keep: UInt64 = (1 << UInt64(tail)) &- 1
                m.separators &= keep
                m.newlines &= keep
                m.quotes &= keep
                m.high &= keep
                store(m, at: k)
            }
            k += 1
        }
        built = k
    }

    @inline(__always)
    private func store(_ m: BlockMasks, at k: Int) {
        separators[k] = m.separators
        newlines[k] = m.newlines
        quotes[k] = m.quotes
        high[k] = m.high
    }

    /// Masks of the 64 bytes at `p`.
    @inline(__always)
    static func classify(_ p: UnsafeRawPointer, delimiter: UInt8) -> BlockMasks {
        #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
        return classifySSE2(p, delimiter: delimiter)
        #else
        return classifyPortable(p, delimiter: delimiter)
        #endif
    }

    #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
    /// SSE2 (every x86-64): `pcmpeqb` and `pmovmskb`, 16 bytes at a time. Swift's SIMD types have
    /// no compare-to-bitmask, which is why the intrinsics are used here.
    @inline(__always)
    static func classifySSE2(_ p: UnsafeRawPointer, delimiter: UInt8) -> BlockMasks {
        let d = _mm_set1_epi8(CChar(bitPattern: delimiter))
        let cr = _mm_set1_epi8(CChar(bitPattern: RecordParser.cr))
        let lf = _mm_set1_epi8(CChar(bitPattern: RecordParser.lf))
        let q = _mm_set1_epi8(CChar(bitPattern: RecordParser.quote))
        var m = BlockMasks()
        for lane in 0..<4 {
            let v = _mm_loadu_si128((p + 16 * lane).assumingMemoryBound(to: __m128i.self))
            let n = _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf))
            let s = _mm_or_si128(n, _mm_cmpeq_epi8(v, d))
            let shift = UInt64(16 * lane)
            m.separators |= UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(s))) << shift
            m.newlines |= UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(n))) << shift
            m.quotes |= UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(_mm_cmpeq_epi8(v, q)))) << shift
            m.high |= UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(v))) << shift
        }
        return m
    }
    #endif

    /// Any architecture: SIMD compares, then each lane's 0x01 bits gathered into one byte by a
    /// multiply (bit k of the product's top byte is byte k's low bit).
    @inline(__always)
    static func classifyPortable(_ p: UnsafeRawPointer, delimiter: UInt8) -> BlockMasks {
        var m = BlockMasks()
        let one = SIMD16<UInt8>(repeating: 1)
        for lane in 0..<4 {
            let v = p.loadUnaligned(fromByteOffset: 16 * lane, as: SIMD16<UInt8>.self)
            let nl = v .== SIMD16(repeating: RecordParser.cr) .| v .== SIMD16(repeating: RecordParser.lf)
            let sep = nl .| v .== SIMD16(repeating: delimiter)
            let qt = v .== SIMD16(repeating: RecordParser.quote)
            let shift = UInt64(16 * lane)
            m.separators |= gather(SIMD16<UInt8>(repeating: 0).replacing(with: one, where: sep)) << shift
            m.newlines |= gather(SIMD16<UInt8>(repeating: 0).replacing(with: one, where: nl)) << shift
            m.quotes |= gather(SIMD16<UInt8>(repeating: 0).replacing(with: one, where: qt)) << shift
            m.high |= gather(v &>> 7) << shift
        }
        return m
    }

    /// Sixteen bytes of 0 or 1 to a 16-bit mask.
    @inline(__always)
    private static func gather(_ bits: SIMD16<UInt8>) -> UInt64 {
        let words = unsafeBitCast(bits, to: SIMD2<UInt64>.self)
        let magic: UInt64 = 0x0102_0408_1020_4080
        return (words[0] &* magic) >> 56 | ((words[1] &* magic) >> 56) << 8
    }

    /// Offset of the first byte at or after `i` whose bit is set in `masks`, or `count`.
    @inline(never)
    func next(from i: Int, _ masks: UnsafeMutablePointer<UInt64>) -> Int {
        var b = i >> 6
        guard ensure(b) else { return count }
        var m = masks[b] & (~0 &<< UInt64(i & 63))
        while m == 0 {
            b += 1
            guard ensure(b) else { return count }
            m = masks[b]
        }
        return (b << 6) + m.trailingZeroBitCount
    }

    /// Offset of the first quote, CR or LF at or after `i`, or `count`.
    @inline(never)
    func nextQuoteOrNewline(from i: Int) -> Int {
        var b = i >> 6
        guard ensure(b) else { return count }
        var m = (quotes[b] | newlines[b]) & (~0 &<< UInt64(i & 63))
        while m == 0 {
            b += 1
            guard ensure(b) else { return count }
            m = quotes[b] | newlines[b]
        }
        return (b << 6) + m.trailingZeroBitCount
    }

    /// Whether bytes `s..<e` are all ASCII. Their blocks must have been indexed.
    @inline(never)
    func isASCII(_ s: Int, _ e: Int) -> Bool {
        guard e > s else { return true }
        var b = s >> 6
        let last = (e - 1) >> 6
        let m = high[b] >> UInt64(s & 63)
        if b == last { return m & ((1 << UInt64(e - s)) &- 1) == 0 }
        if m != 0 { return false }
        b += 1
        while b < last {
            if high[b] != 0 { return false }
            b += 1
        }
        let tail = e - (last << 6)
        return high[last] & (tail == 64 ? ~0 : (1 << UInt64(tail)) &- 1) == 0
    }
}

extension RecordParser {
    /// What ``quotedField(at:in:count:eof:index:lines:into:)`` returns instead of an offset.
    static let needMore = -1, unterminated = -2, badQuote = -3

    /// The quoted field whose opening quote is at `i`: jumps from quote to quote (and line break
    /// to line break, counted into `lines`) through the index, stores the field at `slot`, and
    /// returns the offset just past the closing quote, or a negative code. Kept out of line so
    /// the unquoted path, the common one, keeps its registers.
    @inline(never)
    func quotedField(at quote: Int, in p: UnsafePointer<UInt8>, count n: Int, eof: Bool, index: StructuralIndex,
                     lines: inout Int, into slot: UnsafeMutablePointer<FieldSlice>) -> Int {
        let start = quote + 1
        var i = start
        var doubled = 0
        while true {
            i = index.nextQuoteOrNewline(from: i)
            if i >= n { return eof ? RecordParser.unterminated : RecordParser.needMore }
            let b = p[i]
            if b != RecordParser.quote {
                // LF, or CR not followed by LF (a CR at the window's end counts, as in `parse`).
                if b == RecordParser.lf || i + 1 >= n || p[i + 1] != RecordParser.lf { lines += 1 }
                i += 1
                continue
            }
            if i + 1 < n {
                if p[i + 1] == RecordParser.quote {
                    doubled += 1
                    i += 2
                    continue
                }
            } else if !eof {
                return RecordParser.needMore
            }
            break
        }
        slot.pointee = FieldSlice(start: start, end: i, quoted: true, escaped: doubled > 0, ascii: index.isASCII(start, i),
                                  doubledQuotes: doubled)
        i += 1
        if i < n {
            let c = p[i]
            if c != delimiter && c != RecordParser.lf && c != RecordParser.cr { return RecordParser.badQuote }
        }
        return i
    }

    /// ``parse(at:in:count:eof:fields:)`` driven by a structural index of the same bytes: the
    /// same outcomes and fields, except that `ascii` is exact. `index` must have been reset to
    /// `p` and `n`.
    ///
    /// For a field that starts at `i`, the separator bits of its block and the next are shifted
    /// into one word holding the 64 bytes from `i` on: for any field shorter than that, which is
    /// nearly all of them, finding its end and whether it is ASCII takes no branch at all.
    /// Out of line: it then keeps its own registers rather than the caller's leftovers.
    @inline(never)
    func parse(at start: Int, in p: UnsafePointer<UInt8>, count n: Int, eof: Bool, fields: FieldBuffer,
               index: StructuralIndex) -> ParseOutcome {
        var out = fields.pointer
        var capacity = fields.capacity
        var nf = 0
        var i = start
        var lines = 0
        let delimiter = self.delimiter
        let separators = index.separators
        let high = index.high
        while true {
            if nf == capacity {
                fields.count = nf
                fields.grow()
                out = fields.pointer
                capacity = fields.capacity
            }
            var end: Int
            if i < n && p[i] == RecordParser.quote {
                let quoteLine = lines
                end = quotedField(at: i, in: p, count: n, eof: eof, index: index, lines: &lines, into: out + nf)
                if end < 0 {
                    fields.count = nf
                    switch end {
                    case RecordParser.needMore: return .needMore
                    case RecordParser.unterminated: return .unterminatedQuote(lineOffset: quoteLine)
                    default: return .badQuote(lineOffset: lines)
                    }
                }
                nf &+= 1
            } else {
                let b = i &>> 6
                let ascii: Bool
                // Blocks b and b + 1 indexed (the index runs a chunk ahead, so this rarely builds).
                if index.ensure(b &+ 1) {
                    let s = UInt64(i & 63)
                    // The 64 bits from `i` on; `&<< 1 &<< (63 - s)` is `<< (64 - s)`, and 0 when s is 0.
                    let m = separators[b] &>> s | (separators[b &+ 1] &<< 1) &<< (63 &- s)
                    if m != 0 {
                        let t = UInt64(m.trailingZeroBitCount)
                        end = i &+ Int(t)
                        let h = high[b] &>> s | (high[b &+ 1] &<< 1) &<< (63 &- s)
                        ascii = h & ((1 &<< t) &- 1) == 0
                    } else {
                        end = index.next(from: i, separators)
                        ascii = index.isASCII(i, end)
                    }
                } else {
                    end = index.next(from: i, separators)
                    ascii = index.isASCII(i, end)
                }
                out[nf] = FieldSlice(unquoted: i, end: end, ascii: ascii)
                nf &+= 1
            }
            // What ends the field.
            if end >= n {
                fields.count = nf
                return eof ? .record(next: end, lines: lines &+ 1) : .needMore
            }
            let c = p[end]
            if c == delimiter {
                i = end &+ 1
                continue
            }
            fields.count = nf
            if c == RecordParser.lf { return .record(next: end &+ 1, lines: lines &+ 1) }
            if end &+ 1 < n { return .record(next: p[end &+ 1] == RecordParser.lf ? end &+ 2 : end &+ 1, lines: lines &+ 1) }
            return eof ? .record(next: end &+ 1, lines: lines &+ 1) : .needMore
        }
    }
}
