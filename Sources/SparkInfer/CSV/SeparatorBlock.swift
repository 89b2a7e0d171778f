#if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel
#endif

/// The separator (delimiter, CR, LF and quote) and non-ASCII bits of 64 bytes of the window, kept by the record parser from
/// one field to the next: an unquoted field's end is then a shift and a `trailingZeroBitCount`
/// instead of a search. Bit k stands for byte `position + k`.
///
/// The bits describe bytes, not quoting, so they stay true whatever the parser does between
/// two fields (a quoted field is still read by the word loop). A block is loaded at whatever
/// offset the parser needs one, only when all 64 bytes are in the window, and must be dropped
/// (``invalidate()``) when the window's bytes change.
///
/// Hand-written rather than taken from a library, for the reason given on ``RecordParser``.
/// Unlike an up-front structural index, the block lives in registers across fields: an index
/// read through a non-inlined lookup per field cost more than it saved on these eight-byte fields.
struct SeparatorBlock {
    /// Window offset of bit 0; far out of reach when no block is loaded.
    var position = Int.min / 2
    /// The delimiter, CR, LF and `"`. A quote can only stop an unquoted field where it is
    /// inside the field (a quoted field is read by the word loop), which the parser checks.
    var separators: UInt64 = 0
    /// Bytes with the high bit set.
    var high: UInt64 = 0

    /// The byte at `i`, if `i` is in the block, as a bit index.
    @inline(__always)
    func offset(of i: Int) -> Int? {
        let rel = i &- position
        return UInt(bitPattern: rel) < 64 ? rel : nil
    }

    @inline(__always)
    mutating func invalidate() {
        position = Int.min / 2
    }

    /// Loads the 64 bytes at `p`, which is window offset `position`.
    @inline(__always)
    mutating func load(_ p: UnsafePointer<UInt8>, at position: Int, delimiter: UInt8) {
        self.position = position
        (separators, high) = SeparatorBlock.classify(UnsafeRawPointer(p), delimiter: delimiter)
    }

    /// Separator and high-bit masks of the 64 bytes at `p`.
    @inline(__always)
    static func classify(_ p: UnsafeRawPointer, delimiter: UInt8) -> (UInt64, UInt64) {
        #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
        return classifySSE2(p, delimiter: delimiter)
        #else
        return classifyPortable(p, delimiter: delimiter)
        #endif
    }

    #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
    /// SSE2, which every x86-64 has: `pcmpeqb` and `pmovmskb` sixteen bytes at a time. Swift's
    /// SIMD types have no compare-to-bitmask, hence the intrinsics.
    @inline(__always)
    static func classifySSE2(_ p: UnsafeRawPointer, delimiter: UInt8) -> (UInt64, UInt64) {
        let d = _mm_set1_epi8(CChar(bitPattern: delimiter))
        let cr = _mm_set1_epi8(CChar(bitPattern: RecordParser.cr))
        let lf = _mm_set1_epi8(CChar(bitPattern: RecordParser.lf))
        let quote = _mm_set1_epi8(CChar(bitPattern: RecordParser.quote))
        var separators: UInt64 = 0
        var high: UInt64 = 0
        for lane in 0..<4 {
            let v = _mm_loadu_si128((p + 16 * lane).assumingMemoryBound(to: __m128i.self))
            let s = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, quote)))
            let shift = UInt64(16 * lane)
            separators |= UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(s))) &<< shift
            high |= UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(v))) &<< shift
        }
        return (separators, high)
    }
    #endif

    /// Any architecture, and the reference the SSE2 version is tested against.
    static func classifyPortable(_ p: UnsafeRawPointer, delimiter: UInt8) -> (UInt64, UInt64) {
        var separators: UInt64 = 0
        var high: UInt64 = 0
        for k in 0..<64 {
            let b = p.load(fromByteOffset: k, as: UInt8.self)
            if b == delimiter || b == RecordParser.cr || b == RecordParser.lf || b == RecordParser.quote { separators |= 1 &<< UInt64(k) }
            if b >= 0x80 { high |= 1 &<< UInt64(k) }
        }
        return (separators, high)
    }
}
