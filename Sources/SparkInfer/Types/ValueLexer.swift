#if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel
#endif

/// What one value looks like. The loader's canonical writer reads values with the same lexer,
/// so inference and loading can never disagree.
public enum ValueShape: Equatable, Sendable {
    case null
    case boolean
    /// Digits before the decimal point (a lone `0` counts as none), digits after it.
    case number(integerDigits: Int, scale: Int, hasPoint: Bool)
    /// Scientific notation, NaN or infinity.
    case float
    case isoDate
    /// `a/b/yyyy`: month/day or day/month, decided per column.
    case slashDate(first: Int, second: Int, year: Int)
    case timestamp(withZone: Bool)
    case text
}

/// A lexed value and how it was written.
public struct LexedValue: Equatable, Sendable {
    public var shape: ValueShape
    /// A `%` sign followed the number.
    public var percent = false
    /// A currency symbol or thousands separators.
    public var formatted = false

    @inline(__always) init(_ shape: ValueShape) { self.shape = shape }
}

/// Classifies the bytes of one value. Surrounding spaces are ignored.
///
/// Numbers: optional sign, optional currency symbol (`$` `€` `£` `¥`), digits with optional
/// thousands separators in groups of three, optional fraction, optional `%`. A leading zero
/// (`007`) makes an identifier, which is text. Exponents, NaN and infinities are floats.
/// Dates: `YYYY-MM-DD` and `a/b/YYYY`. Timestamps: ISO with `T` or a space, optional seconds and
/// fraction, and an optional `Z` or `±HH[:MM]` offset.
public enum ValueLexer {
    public static let defaultNullMarkers = ["", "--", "-", "N/A", "n/a", "null", "NULL"]

    @inline(__always)
    public static func lex(_ p: UnsafePointer<UInt8>, _ count: Int) -> LexedValue {
        var s = 0, e = count
        while s < e && p[s] == 0x20 { s += 1 }
        while e > s && p[e - 1] == 0x20 { e -= 1 }
        if s == e { return LexedValue(.null) }
        let c0 = p[s]
        if isDigit(c0) {
            if e - s >= 8 {
                if let d = date(p, s, e) { return d }
            }
            return number(p, s, e)
        }
        switch c0 {
        case 0x2D, 0x2B, 0x2E, 0x24, 0xE2, 0xC2: return number(p, s, e) // - + . $ € £¥
        case 0x74, 0x54, 0x66, 0x46: return boolean(p, s, e) // t T f F
        case 0x6E, 0x4E, 0x69, 0x49: return special(p, s, e) // n N i I
        default: return LexedValue(.text)
        }
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// `-?[0-9]+(\.[0-9]*)?` without a leading zero: integer digits and scale, or nil when the
    /// value needs the full lexer. Agrees with ``lex(_:_:)`` on every value it accepts.
    ///
    /// Values of up to 8 bytes are checked as one 64-bit word; `p` must have 8 readable bytes
    /// (the scanner's window keeps slack after its end).
    @inline(__always)
    static func plainNumber(_ p: UnsafePointer<UInt8>, _ n: Int) -> (Int, Int)? {
        // 1 to 8 bytes here; signed values go out of line too, being rare in these columns.
        guard UInt(bitPattern: n &- 1) < 8 else { return plainNumberLong(p, n) }
        let raw = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        let first = UInt8(truncatingIfNeeded: raw)
        if first == 0x2D { return plainNumberLong(p, n) }
        let zeros: UInt64 = 0x3030_3030_3030_3030
        // The bytes past the value read as '0'.
        var x = ((raw ^ zeros) & (UInt64.max &>> UInt64(64 &- 8 &* n))) ^ zeros
        var digits = n
        var scale = 0
        let dots = RecordParser.zeroByteMask(x ^ 0x2E2E_2E2E_2E2E_2E2E)
        if dots != 0 {
            // The lowest '.' (exact in the mask) becomes a '0'; a second one fails the digit test.
            let bit = dots.trailingZeroBitCount
            x ^= 0x1E &<< UInt64(bit &- 7)
            digits = bit &>> 3
            scale = n &- digits &- 1
        }
        // Every byte 0x30…0x39: high nibble 3, and still 3 after adding 6.
        guard x & 0xF0F0_F0F0_F0F0_F0F0 == zeros, (x &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == zeros, digits > 0 else { return nil }
        if first == 0x30 {
            guard digits == 1 else { return nil }
            return (0, scale)
        }
        return (digits, scale)
    }

    /// ``plainNumber(_:_:)`` for anything but 1 to 8 bytes.
    @inline(never)
    static func plainNumberLong(_ p: UnsafePointer<UInt8>, _ n: Int) -> (Int, Int)? {
        #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
        if n > 8 && n <= 32 && p[0] != 0x2D { return plainNumberSSE2(p, n) }
        #endif
        return n > 8 && n <= 40 ? plainNumberWide(p, n) : plainNumberBytewise(p, n)
    }

    #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
    /// ``plainNumberWide(_:_:)`` for 9 to 32 unsigned bytes, sixteen at a time with SSE2: long
    /// IDs (Meta's are 17 digits) in one or two compares instead of three words. Reads at most 15
    /// bytes past the value, which the scanner's window slack allows.
    @inline(__always)
    static func plainNumberSSE2(_ p: UnsafePointer<UInt8>, _ n: Int) -> (Int, Int)? {
        let zero = _mm_set1_epi8(0x30)
        let nine = _mm_set1_epi8(9)
        let point = _mm_set1_epi8(0x2E)
        var digitBits: UInt64 = 0
        var pointBits: UInt64 = 0
        for half in 0..<(n > 16 ? 2 : 1) {
            let v = _mm_loadu_si128(UnsafeRawPointer(p + 16 &* half).assumingMemoryBound(to: __m128i.self))
            // A digit is 0…9 after subtracting '0' (bytes wrap, so anything else is above 9).
            let offset = _mm_sub_epi8(v, zero)
            let digits = _mm_cmpeq_epi8(_mm_max_epu8(offset, nine), nine)
            let shift = UInt64(16 &* half)
            digitBits |= UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(digits))) &<< shift
            pointBits |= UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(_mm_cmpeq_epi8(v, point)))) &<< shift
        }
        let value: UInt64 = (1 &<< UInt64(n)) &- 1
        digitBits &= value
        pointBits &= value
        // Every byte a digit but for at most one point.
        guard digitBits | pointBits == value, pointBits & (pointBits &- 1) == 0 else { return nil }
        let digits = pointBits == 0 ? n : pointBits.trailingZeroBitCount
        let scale = pointBits == 0 ? 0 : n &- digits &- 1
        guard digits > 0 else { return nil }
        if p[0] == 0x30 {
            guard digits == 1 else { return nil }
            return (0, scale)
        }
        return (digits, scale)
    }
    #endif

    /// ``plainNumber(_:_:)`` for 9 to 40 bytes (long IDs, precise decimals), eight bytes at a
    /// time: every byte a digit but for one point. Signed values go byte by byte.
    @inline(__always)
    static func plainNumberWide(_ p: UnsafePointer<UInt8>, _ n: Int) -> (Int, Int)? {
        let zeros: UInt64 = 0x3030_3030_3030_3030
        if p[0] == 0x2D { return plainNumberBytewise(p, n) }
        var point = -1
        var k = 0
        while k < n {
            let take = min(8, n - k)
            let mask: UInt64 = take == 8 ? ~0 : (1 << UInt64(8 * take)) &- 1
            var x = (UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self) & mask) | (zeros & ~mask)
            let dots = RecordParser.zeroByteMask(x ^ 0x2E2E_2E2E_2E2E_2E2E)
            if dots != 0 {
                // The lowest '.' is exact; a second one fails the digit test or the check here.
                if point >= 0 { return nil }
                let position = dots.trailingZeroBitCount >> 3
                x = (x & ~(0xFF << UInt64(8 * position))) | (0x30 << UInt64(8 * position))
                point = k + position
            }
            guard x & 0xF0F0_F0F0_F0F0_F0F0 == zeros, (x &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == zeros else { return nil }
            k += 8
        }
        let digits = point >= 0 ? point : n
        let scale = point >= 0 ? n - point - 1 : 0
        guard digits > 0 else { return nil }
        if p[0] == 0x30 {
            guard digits == 1 else { return nil }
            return (0, scale)
        }
        guard digits <= 38 else { return nil }
        return (digits, scale)
    }

    /// Exactly `true` or `false` in any case, as ``lex(_:_:)`` reads them (no surrounding spaces).
    /// `p` must have 8 readable bytes.
    @inline(__always)
    static func isPlainBoolean(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard n == 4 || n == 5 else { return false }
        let x = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        // Lowercased the way `lex` compares: each byte OR 0x20.
        return n == 4 ? (x & 0xFFFF_FFFF) | 0x2020_2020 == 0x6575_7274 // "true"
            : (x & 0xFF_FFFF_FFFF) | 0x20_2020_2020 == 0x65_736C_6166 // "false"
    }

    /// `YYYY-MM-DD` with a real month and day, read from exactly 10 bytes. Agrees with ``lex(_:_:)``.
    @inline(__always)
    static func isISODate(_ p: UnsafePointer<UInt8>) -> Bool {
        let x = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        // Bytes 4 and 7 are '-'; the others of the first eight are digits.
        let dashes: UInt64 = 0x2D00_002D_0000_0000
        let digitsMask: UInt64 = 0x00FF_FF00_FFFF_FFFF
        guard x & ~digitsMask == dashes else { return false }
        let d = (x & digitsMask) | (0x3030_3030_3030_3030 & ~digitsMask)
        guard d & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
              (d &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
              isDigit(p[8]), isDigit(p[9]) else { return false }
        // Every byte read below is a digit (checked above): wrapping arithmetic cannot wrap.
        let year = Int(p[0] &- 0x30) &* 1000 &+ Int(p[1] &- 0x30) &* 100 &+ Int(p[2] &- 0x30) &* 10 &+ Int(p[3] &- 0x30)
        let month = Int(p[5] &- 0x30) &* 10 &+ Int(p[6] &- 0x30)
        let day = Int(p[8] &- 0x30) &* 10 &+ Int(p[9] &- 0x30)
        return (1...12).contains(month) && day >= 1 && day <= daysIn(month: month, year: year)
    }

    static func plainNumberBytewise(_ p: UnsafePointer<UInt8>, _ n: Int) -> (Int, Int)? {
        var i = 0
        if n > 0 && p[0] == 0x2D { i = 1 }
        let start = i
        while i < n && isDigit(p[i]) { i += 1 }
        let digits = i - start
        guard digits > 0, digits == 1 || p[start] != 0x30 else { return nil }
        var scale = 0
        if i < n && p[i] == 0x2E {
            i += 1
            let fraction = i
            while i < n && isDigit(p[i]) { i += 1 }
            scale = i - fraction
        }
        guard i == n else { return nil }
        let integerDigits = digits == 1 && p[start] == 0x30 ? 0 : digits
        guard integerDigits <= 38 else { return nil }
        return (integerDigits, scale)
    }

    private static func lowerEquals(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ word: StaticString) -> Bool {
        guard e - s == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for k in 0..<(e - s) where (p[s + k] | 0x20) != w[k] { return false }
        return true
    }

    private static func boolean(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> LexedValue {
        lowerEquals(p, s, e, "true") || lowerEquals(p, s, e, "false") ? LexedValue(.boolean) : LexedValue(.text)
    }

    private static func special(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> LexedValue {
        for w: StaticString in ["nan", "inf", "infinity"] where lowerEquals(p, s, e, w) { return LexedValue(.float) }
        return LexedValue(.text)
    }

    /// Parses a number; anything else is text.
    @inline(__always)
    static func number(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> LexedValue {
        var i = s
        var result = LexedValue(.text)
        var signed = false
        if p[i] == 0x2D || p[i] == 0x2B { signed = true; i += 1 }
        // Currency symbol, optionally followed by the sign: `$1`, `-$1`, `$-1`.
        if i < e {
            let n = currencyLength(p, i, e)
            if n > 0 {
                result.formatted = true
                i += n
                if !signed && i < e && (p[i] == 0x2D || p[i] == 0x2B) { i += 1 }
            }
        }
        if i < e && (p[i] == 0x6E || p[i] == 0x4E || p[i] == 0x69 || p[i] == 0x49) {
            // -inf, +NaN
            return signed && !result.formatted ? special(p, i, e) : LexedValue(.text)
        }
        let intStart = i
        var digits = 0
        var groupLength = 0
        var grouped = false
        while i < e {
            let b = p[i]
            if isDigit(b) {
                digits += 1
                groupLength += 1
            } else if b == 0x2C { // thousands separator
                if digits == 0 || (grouped ? groupLength != 3 : groupLength > 3) { return LexedValue(.text) }
                grouped = true
                groupLength = 0
            } else {
                break
            }
            i += 1
        }
        if grouped {
            if groupLength != 3 { return LexedValue(.text) }
            result.formatted = true
        }
        // A leading zero marks an identifier (007), except a lone zero before the point.
        if digits > 1 && p[intStart] == 0x30 { return LexedValue(.text) }
        var integerDigits = digits
        if digits == 1 && p[intStart] == 0x30 { integerDigits = 0 }
        var scale = 0
        var hasPoint = false
        if i < e && p[i] == 0x2E {
            hasPoint = true
            i += 1
            while i < e && isDigit(p[i]) { scale += 1; i += 1 }
        }
        if digits == 0 && scale == 0 { return LexedValue(.text) }
        if i < e && (p[i] == 0x65 || p[i] == 0x45) { // exponent
            i += 1
            if i < e && (p[i] == 0x2D || p[i] == 0x2B) { i += 1 }
            var expDigits = 0
            while i < e && isDigit(p[i]) { expDigits += 1; i += 1 }
            if expDigits == 0 || grouped || result.formatted { return LexedValue(.text) }
            if i < e && p[i] == 0x25 { result.percent = true; i += 1 }
            if i != e { return LexedValue(.text) }
            result.shape = .float
            return result
        }
        if i < e && p[i] == 0x25 { result.percent = true; i += 1 }
        if i != e { return LexedValue(.text) }
        // More than 38 digits cannot be a NUMBER: an integer that long is an identifier.
        if integerDigits > 38 && !hasPoint { return LexedValue(.text) }
        result.shape = .number(integerDigits: integerDigits, scale: scale, hasPoint: hasPoint)
        return result
    }

    /// Bytes of a currency symbol at `i`, or 0.
    @inline(__always)
    static func currencyLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ e: Int) -> Int {
        let b = p[i]
        if b == 0x24 { return 1 } // $
        if b == 0xE2 && i + 2 < e && p[i + 1] == 0x82 && p[i + 2] == 0xAC { return 3 } // €
        if b == 0xC2 && i + 1 < e && (p[i + 1] == 0xA3 || p[i + 1] == 0xA5) { return 2 } // £ ¥
        return 0
    }

    @inline(__always)
    static func twoDigits(_ p: UnsafePointer<UInt8>, _ i: Int) -> Int? {
        guard isDigit(p[i]), isDigit(p[i + 1]) else { return nil }
        return Int(p[i] - 0x30) * 10 + Int(p[i + 1] - 0x30)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: 31
        case 4, 6, 9, 11: 30
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        default: 0
        }
    }

    /// Dates and timestamps, or nil to try a number.
    static func date(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> LexedValue? {
        if e - s >= 10 && p[s + 4] == 0x2D && p[s + 7] == 0x2D {
            guard let y1 = twoDigits(p, s), let y2 = twoDigits(p, s + 2), let m = twoDigits(p, s + 5), let d = twoDigits(p, s + 8) else {
                return LexedValue(.text)
            }
            let year = y1 * 100 + y2
            guard (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: year) else { return LexedValue(.text) }
            if e - s == 10 { return LexedValue(.isoDate) }
            return time(p, s + 10, e)
        }
        // a/b/yyyy with one- or two-digit a and b.
        var i = s
        var first = 0, second = 0
        for k in 0..<2 {
            let start = i
            var part = 0
            while i < e && isDigit(p[i]) && i - start < 2 { part = part * 10 + Int(p[i] - 0x30); i += 1 }
            if i == start || i >= e || p[i] != 0x2F { return k == 0 ? nil : LexedValue(.text) }
            if k == 0 { first = part } else { second = part }
            i += 1
        }
        guard e - i == 4 else { return LexedValue(.text) }
        var year = 0
        for k in i..<e {
            guard isDigit(p[k]) else { return LexedValue(.text) }
            year = year * 10 + Int(p[k] - 0x30)
        }
        guard first >= 1, second >= 1, first <= 31, second <= 31, year >= 1 else { return LexedValue(.text) }
        return LexedValue(.slashDate(first: first, second: second, year: year))
    }

    /// The part after an ISO date: `[T ]HH:MM[:SS[.fffffffff]][Z|±HH[:MM]]`.
    private static func time(_ p: UnsafePointer<UInt8>, _ start: Int, _ e: Int) -> LexedValue {
        var i = start
        guard p[i] == 0x54 || p[i] == 0x20, e - i >= 6 else { return LexedValue(.text) }
        i += 1
        guard let h = twoDigits(p, i), h < 24, p[i + 2] == 0x3A, i + 5 <= e, let m = twoDigits(p, i + 3), m < 60 else { return LexedValue(.text) }
        i += 5
        if i + 3 <= e && p[i] == 0x3A {
            guard let sec = twoDigits(p, i + 1), sec < 60 else { return LexedValue(.text) }
            i += 3
            if i < e && p[i] == 0x2E {
                i += 1
                var fraction = 0
                while i < e && isDigit(p[i]) { fraction += 1; i += 1 }
                guard (1...9).contains(fraction) else { return LexedValue(.text) }
            }
        }
        if i == e { return LexedValue(.timestamp(withZone: false)) }
        if p[i] == 0x5A && i + 1 == e { return LexedValue(.timestamp(withZone: true)) } // Z
        guard p[i] == 0x2B || p[i] == 0x2D, i + 3 <= e, let oh = twoDigits(p, i + 1), oh <= 14 else { return LexedValue(.text) }
        i += 3
        if i == e { return LexedValue(.timestamp(withZone: true)) }
        if p[i] == 0x3A { i += 1 }
        guard i + 2 == e, let om = twoDigits(p, i), om < 60 else { return LexedValue(.text) }
        return LexedValue(.timestamp(withZone: true))
    }

    /// Characters in valid UTF-8, or nil when the bytes are not valid UTF-8.
    @inline(__always)
    public static func utf8Length(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        var i = 0
        var length = 0
        while i < count {
            if count >= 8 {
                // Eight bytes at a time (for the field's tail, its last eight, shifted so byte i
                // is the lowest): every ASCII byte before the first other one is counted at once.
                let high = i &+ 8 <= count
                    ? UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080
                    : (UnsafeRawPointer(p + count - 8).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080) &>> UInt64(8 &* (i &+ 8 &- count))
                let ascii = high == 0 ? min(8, count &- i) : high.trailingZeroBitCount &>> 3
                i &+= ascii
                length &+= ascii
                if high == 0 { continue }
            } else if p[i] < 0x80 {
                i += 1
                length += 1
                continue
            }
            let b = p[i]
            let need: Int
            let minScalar: UInt32
            var scalar: UInt32
            if b & 0xE0 == 0xC0 { need = 1; minScalar = 0x80; scalar = UInt32(b & 0x1F) }
            else if b & 0xF0 == 0xE0 { need = 2; minScalar = 0x800; scalar = UInt32(b & 0x0F) }
            else if b & 0xF8 == 0xF0 { need = 3; minScalar = 0x10000; scalar = UInt32(b & 0x07) }
            else { return nil }
            guard i + need < count else { return nil }
            for k in 1...need {
                let c = p[i + k]
                guard c & 0xC0 == 0x80 else { return nil }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minScalar || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return nil }
            i += need + 1
            length += 1
        }
        return length
    }
}
