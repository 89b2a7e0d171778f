import SparkModel

#if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel
#endif

/// How a number's thousands were grouped. Raw values are the mark itself.
public enum GroupingMark: UInt8, Sendable, CaseIterable {
    case comma = 1, point, space, noBreakSpace, narrowNoBreakSpace, apostrophe, rightQuote

    /// The mark as written.
    public var text: String {
        switch self {
        case .comma: ","
        case .point: "."
        case .space: " "
        case .noBreakSpace: "\u{A0}"
        case .narrowNoBreakSpace: "\u{202F}"
        case .apostrophe: "'"
        case .rightQuote: "\u{2019}"
        }
    }
}

/// A number read with one decimal mark.
public struct NumberReading: Equatable, Sendable {
    /// Digits before the decimal mark (a lone `0` counts as none).
    public var integerDigits: Int
    /// Digits after it.
    public var scale: Int
    /// A decimal mark was written, even with no digit after it (`12.`).
    public var hasPoint: Bool
    /// The thousands separator used, if any.
    public var grouping: GroupingMark?

    public init(integerDigits: Int, scale: Int, hasPoint: Bool = false, grouping: GroupingMark? = nil) {
        self.integerDigits = integerDigits
        self.scale = scale
        self.hasPoint = hasPoint
        self.grouping = grouping
    }
}

/// A number as written, under both decimal marks: `1.234,56` reads only with `,`; `12.5` only
/// with `.`; `294.481` reads both ways, as two different numbers; `1 234` reads both ways alike.
public struct NumberShape: Equatable, Sendable {
    /// Read with `.` as the decimal mark (`,`, a space or an apostrophe grouping thousands).
    public var dot: NumberReading?
    /// Read with `,` as the decimal mark (`.`, a space or an apostrophe grouping thousands).
    public var comma: NumberReading?
    /// Scientific notation: a FLOAT.
    public var exponent = false

    public init(dot: NumberReading?, comma: NumberReading?, exponent: Bool = false) {
        self.dot = dot
        self.comma = comma
        self.exponent = exponent
    }

    public func reading(_ separator: DecimalSeparator) -> NumberReading? {
        separator == .point ? dot : comma
    }

    /// Both readings exist and differ: the value alone cannot say which number it is.
    public var isAmbiguous: Bool {
        if let dot, let comma { return dot.integerDigits != comma.integerDigits || dot.scale != comma.scale || dot.hasPoint != comma.hasPoint }
        return false
    }
}

/// A date written with its parts in a local order: `5/3/2024`, `05.03.2024`, `05-03-2024`,
/// `2024/03/05`, optionally followed by a time of day.
public struct LocalDate: Equatable, Sendable {
    public enum Style: UInt8, Sendable {
        /// `a/b/YYYY`: month or day first, decided per column.
        case slash = 1
        /// `a-b-YYYY`: month or day first, decided per column.
        case dash
        /// `D.M.YYYY`: always day first.
        case dot
        /// `YYYY/MM/DD`.
        case yearFirst
    }

    /// The parts as written: for `.yearFirst`, `first` is the month and `second` the day.
    public var first: Int
    public var second: Int
    public var year: Int
    public var style: Style
    /// ` H:MM[:SS[.fffffffff]]` after the date, as hours, minutes, seconds and the fraction's digits.
    public var time: TimeOfDay?

    public init(first: Int, second: Int, year: Int, style: Style, time: TimeOfDay? = nil) {
        self.first = first
        self.second = second
        self.year = year
        self.style = style
        self.time = time
    }
}

/// A 24-hour time of day; `fraction` holds the digits after the seconds' point, if any.
public struct TimeOfDay: Equatable, Sendable {
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var fraction: String

    public init(hour: Int, minute: Int, second: Int = 0, fraction: String = "") {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.fraction = fraction
    }
}

/// What one value looks like. The loader's canonical writer reads values with the same lexer,
/// so inference and loading can never disagree.
public enum ValueShape: Equatable, Sendable {
    case null
    case boolean
    case number(NumberShape)
    /// NaN or infinity.
    case float
    case isoDate
    /// A date (or timestamp) in a local layout; see ``LocalDate``.
    case localDate(LocalDate)
    /// ISO 8601 with a time.
    case timestamp(withZone: Bool)
    case text
}

/// A lexed value and how it was written.
public struct LexedValue: Equatable, Sendable {
    public var shape: ValueShape
    /// A `%` sign followed the number.
    public var percent = false
    /// A currency or thousands separators.
    public var formatted = false
    /// The currency written with the number (see ``Currency``), 0 for none.
    public var currency: UInt8 = 0

    @inline(__always) init(_ shape: ValueShape) { self.shape = shape }
}

/// Classifies the bytes of one value. Surrounding spaces are ignored.
///
/// Numbers: optional sign (`-`, `+` or U+2212), optional currency before or after (a symbol or
/// an ISO code, see ``Currency``), digits grouped in threes by `,` `.` a space, U+00A0, U+202F,
/// `'` or U+2019, an optional fraction after `.` or `,`, an optional exponent, an optional `%`
/// (a space may precede it). Each number is read under both decimal marks (``NumberShape``);
/// the file decides which one holds. A leading zero (`007`) makes an identifier, which is text.
/// NaN and infinities are floats.
/// Dates: `YYYY-MM-DD` (with an ISO time: a timestamp), and the local layouts of ``LocalDate``.
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
        case 0x74, 0x54, 0x66, 0x46: return boolean(p, s, e) // t T f F
        case 0x6E, 0x4E, 0x69, 0x49: return special(p, s, e) // n N i I
        default: return number(p, s, e)
        }
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// `-?[0-9]+(\.[0-9]+)?` without a leading zero: integer digits and scale, or nil when the
    /// value needs the full lexer. Agrees with the `.` reading of ``lex(_:_:)`` on every value it
    /// accepts; with a point, whether `,` also reads it is for the caller to judge.
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
            // `12.` is left to the full lexer: under a decimal comma it is not a number.
            if scale == 0 { return nil }
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
        guard digits > 0, pointBits == 0 || scale > 0 else { return nil }
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
        guard digits > 0, point < 0 || scale > 0 else { return nil }
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
            if scale == 0 { return nil }
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
        lowerEquals(p, s, e, "true") || lowerEquals(p, s, e, "false") ? LexedValue(.boolean) : number(p, s, e)
    }

    private static func special(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> LexedValue {
        for w: StaticString in ["nan", "inf", "infinity"] where lowerEquals(p, s, e, w) { return LexedValue(.float) }
        return number(p, s, e)
    }

    /// Spaces that may stand between a number and its currency or percent sign: a space,
    /// U+00A0 or U+202F. Returns the byte count at `i`, or 0.
    @inline(__always)
    static func spaceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ e: Int) -> Int {
        if i >= e { return 0 }
        if p[i] == 0x20 { return 1 }
        if p[i] == 0xC2 && i + 1 < e && p[i + 1] == 0xA0 { return 2 }
        if p[i] == 0xE2 && i + 2 < e && p[i + 1] == 0x80 && p[i + 2] == 0xAF { return 3 }
        return 0
    }

    /// The same, ending just before `e`.
    @inline(__always)
    static func spaceLengthBefore(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int {
        if e <= s { return 0 }
        if p[e - 1] == 0x20 { return 1 }
        if e - 2 >= s && p[e - 2] == 0xC2 && p[e - 1] == 0xA0 { return 2 }
        if e - 3 >= s && p[e - 3] == 0xE2 && p[e - 2] == 0x80 && p[e - 1] == 0xAF { return 3 }
        return 0
    }

    /// A sign at `i`: `-`, `+` or U+2212. Returns (bytes, negative), or nil.
    @inline(__always)
    static func sign(_ p: UnsafePointer<UInt8>, _ i: Int, _ e: Int) -> (Int, Bool)? {
        if i >= e { return nil }
        if p[i] == 0x2D { return (1, true) }
        if p[i] == 0x2B { return (1, false) }
        if p[i] == 0xE2 && i + 2 < e && p[i + 1] == 0x88 && p[i + 2] == 0x92 { return (3, true) }
        return nil
    }

    /// The grouping mark at `i` and its byte count, or nil. `.` and `,` are returned as such;
    /// whether they group or mark decimals depends on the reading.
    @inline(__always)
    static func separator(_ p: UnsafePointer<UInt8>, _ i: Int, _ e: Int) -> (GroupingMark, Int)? {
        switch p[i] {
        case 0x2C: return (.comma, 1)
        case 0x2E: return (.point, 1)
        case 0x20: return (.space, 1)
        case 0x27: return (.apostrophe, 1)
        case 0xC2 where i + 1 < e && p[i + 1] == 0xA0: return (.noBreakSpace, 2)
        case 0xE2 where i + 2 < e && p[i + 1] == 0x80 && p[i + 2] == 0xAF: return (.narrowNoBreakSpace, 3)
        case 0xE2 where i + 2 < e && p[i + 1] == 0x80 && p[i + 2] == 0x99: return (.rightQuote, 3)
        default: return nil
        }
    }

    /// What the digits of a number look like: runs of digits between single separators.
    /// Enough is kept to judge both readings without storing every run.
    struct Core {
        var runs = 0
        var firstRun = 0
        var firstDigit: UInt8 = 0
        var lastRun = 0
        /// The run before the last one.
        var previousRun = 0
        /// Every run but the first and the last two has three digits.
        var inner3 = true
        var firstSeparator: GroupingMark?
        var lastSeparator: GroupingMark?
        /// Separators but the last are all `firstSeparator`.
        var sameBeforeLast = true
        var digits = 0

        /// Ends a run of `length` digits.
        mutating func close(_ length: Int) {
            if runs == 0 {
                firstRun = length
            } else {
                // The run before the previous one is now neither the first nor one of the last two.
                if runs >= 3 && previousRun != 3 { inner3 = false }
                previousRun = lastRun
            }
            lastRun = length
            runs += 1
        }
    }

    /// Reads the digits and separators of `p[s..<e]`; nil unless it is runs of digits with single
    /// separators between them (a leading separator allowed: `.5`).
    static func core(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Core? {
        var c = Core()
        var i = s
        var run = 0
        var separators = 0
        while i < e {
            if isDigit(p[i]) {
                if run == 0 && c.runs == 0 { c.firstDigit = p[i] }
                run += 1
                c.digits += 1
                i += 1
                continue
            }
            guard let (mark, length) = separator(p, i, e) else { return nil }
            // No two separators in a row; a leading one only before the fraction (`.5`).
            if run == 0 && (c.runs > 0 || separators > 0) { return nil }
            c.close(run)
            separators += 1
            if let last = c.lastSeparator, last != c.firstSeparator { c.sameBeforeLast = false }
            if c.firstSeparator == nil { c.firstSeparator = mark }
            c.lastSeparator = mark
            run = 0
            i += length
        }
        guard run > 0 || c.runs > 0 else { return nil }
        // The last run, possibly empty: `12.`.
        c.close(run)
        return c
    }

    /// The core read with `decimal` as the decimal mark (`.point` or `.comma`), or nil.
    static func reading(_ c: Core, decimal: GroupingMark) -> NumberReading? {
        let fraction = c.runs >= 2 && c.lastSeparator == decimal
        let integerRuns = fraction ? c.runs - 1 : c.runs
        let scale = fraction ? c.lastRun : 0
        let integerDigits = c.digits - scale
        // A trailing mark needs digits before it.
        if fraction && c.lastRun == 0 && integerDigits == 0 { return nil }
        var grouping: GroupingMark?
        if integerRuns == 1 {
            // Ungrouped: no leading zero but a lone one (`0.5`); `.5` has no integer digits.
            if c.firstRun > 1 && c.firstDigit == 0x30 { return nil }
            if c.firstRun == 0 && !fraction { return nil }
        } else {
            // Grouped: one mark, never the decimal one, between runs of three after a first of 1-3.
            guard let mark = c.firstSeparator, mark != decimal, c.firstRun >= 1, c.firstRun <= 3, c.firstDigit != 0x30 else { return nil }
            if fraction {
                guard c.sameBeforeLast, c.previousRun == 3, c.inner3 else { return nil }
            } else {
                guard c.sameBeforeLast, c.lastSeparator == mark, c.lastRun == 3, c.runs == 2 || (c.inner3 && c.previousRun == 3) else { return nil }
            }
            grouping = mark
        }
        let digits = integerRuns == 1 && c.firstRun == 1 && c.firstDigit == 0x30 ? 0 : integerDigits
        // More than 38 digits cannot be a NUMBER: an integer that long is an identifier.
        if digits > 38 && !fraction { return nil }
        return NumberReading(integerDigits: digits, scale: scale, hasPoint: fraction, grouping: grouping)
    }

    /// Parses a number in any notation ``NumberShape`` describes; anything else is text.
    static func number(_ p: UnsafePointer<UInt8>, _ s: Int, _ e0: Int) -> LexedValue {
        guard let scan = scanNumber(p, s, e0) else { return LexedValue(.text) }
        var result = LexedValue(.text)
        result.percent = scan.percent
        result.currency = scan.currency
        if scan.special {
            // -inf, +NaN; not with a currency.
            if scan.currency != 0 { return result }
            result.shape = .float
            return result
        }
        guard let c = core(p, scan.coreStart, scan.coreEnd) else { return result }
        var dot = reading(c, decimal: .point)
        var comma = reading(c, decimal: .comma)
        if scan.exponent {
            // Scientific notation is never grouped.
            if dot?.grouping != nil { dot = nil }
            if comma?.grouping != nil { comma = nil }
            if scan.currency != 0 { return result }
        }
        guard dot != nil || comma != nil else { return result }
        result.formatted = scan.currency != 0 || dot?.grouping != nil || comma?.grouping != nil
        result.shape = .number(NumberShape(dot: dot, comma: comma, exponent: scan.exponent))
        return result
    }

    /// Where a number's parts are: its sign, currency, digits, exponent and percent sign.
    struct NumberScan {
        var negative = false
        var currency: UInt8 = 0
        var percent = false
        var coreStart = 0
        var coreEnd = 0
        var exponentStart = 0
        var exponentEnd = 0
        var exponent: Bool { exponentEnd > exponentStart }
        /// NaN or infinity after a sign.
        var special = false
    }

    /// Strips the sign, currency and percent sign from `p[s..<e]`; nil when what is left cannot
    /// be digits.
    static func scanNumber(_ p: UnsafePointer<UInt8>, _ s: Int, _ e0: Int) -> NumberScan? {
        var out = NumberScan()
        var i = s
        var e = e0
        // Trailing: a percent sign, then a currency, each maybe after a space.
        if e > i && p[e - 1] == 0x25 {
            out.percent = true
            e -= 1
            e -= spaceLengthBefore(p, i, e)
        }
        if e > i, let (id, length) = Currency.suffix(p, i, e) {
            out.currency = id
            e -= length
            e -= spaceLengthBefore(p, i, e)
        }
        if !out.percent && e > i && p[e - 1] == 0x25 {
            out.percent = true
            e -= 1
            e -= spaceLengthBefore(p, i, e)
        }
        // Leading: a sign, a currency (and a space), a sign.
        var signed = false
        if let (n, negative) = sign(p, i, e) {
            signed = true
            out.negative = negative
            i += n
        }
        if i < e, let (id, length) = Currency.prefix(p, i, e) {
            if out.currency != 0 { return nil }
            out.currency = id
            i += length
            i += spaceLength(p, i, e)
            if !signed, let (n, negative) = sign(p, i, e) {
                signed = true
                out.negative = negative
                i += n
            }
        }
        guard i < e else { return nil }
        let c = p[i]
        if c == 0x6E || c == 0x4E || c == 0x69 || c == 0x49 {
            guard signed else { return nil }
            for w: StaticString in ["nan", "inf", "infinity"] where lowerEquals(p, i, e, w) {
                out.special = true
                return out
            }
            return nil
        }
        out.coreStart = i
        // An exponent: e/E, a sign, digits, at the end.
        var k = e
        while k > i && isDigit(p[k - 1]) { k -= 1 }
        if k < e {
            var m = k
            if m > i && (p[m - 1] == 0x2D || p[m - 1] == 0x2B) { m -= 1 }
            if m > i + 1 && (p[m - 1] == 0x65 || p[m - 1] == 0x45) && isDigit(p[m - 2]) {
                out.exponentStart = m - 1
                out.exponentEnd = e
                e = m - 1
            }
        }
        out.coreEnd = e
        return out.coreEnd > out.coreStart ? out : nil
    }

    /// Appends the number at `p[0..<n]` in canonical form under `decimal`: an optional `-`, the
    /// digits without grouping, `.` and the fraction, and an exponent; no currency, no `%` (a
    /// percent is stored as written: 3.45% → 3.45). Returns false when the value is not a number
    /// under that mark.
    public static func appendCanonicalNumber(_ p: UnsafePointer<UInt8>, _ n: Int, decimal: DecimalSeparator, to out: inout [UInt8]) -> Bool {
        var s = 0, e = n
        while s < e && p[s] == 0x20 { s += 1 }
        while e > s && p[e - 1] == 0x20 { e -= 1 }
        guard let scan = scanNumber(p, s, e) else { return false }
        if scan.special {
            guard scan.currency == 0 else { return false }
            if scan.negative { out.append(0x2D) }
            out += UnsafeBufferPointer(start: p + scan.coreStart, count: e - scan.coreStart)
            return true
        }
        guard let c = core(p, scan.coreStart, scan.coreEnd) else { return false }
        let mark: GroupingMark = decimal == .point ? .point : .comma
        guard let r = reading(c, decimal: mark), !(scan.exponent && (r.grouping != nil || scan.currency != 0)) else { return false }
        if scan.negative { out.append(0x2D) }
        if r.integerDigits == 0 && c.firstRun == 0 { out.append(0x30) }
        var separatorsLeft = c.runs - 1
        var i = scan.coreStart
        while i < scan.coreEnd {
            let b = p[i]
            if isDigit(b) {
                out.append(b)
                i += 1
                continue
            }
            let length = separator(p, i, scan.coreEnd)!.1
            separatorsLeft -= 1
            if separatorsLeft == 0 && r.hasPoint { out.append(0x2E) }
            i += length
        }
        if r.hasPoint && c.lastRun == 0 { out.append(0x30) } // `12.` → 12.0
        if scan.exponent {
            out.append(0x65)
            for k in (scan.exponentStart + 1)..<scan.exponentEnd { out.append(p[k]) }
        }
        return true
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
        // YYYY/MM/DD
        if e - s >= 10 && p[s + 4] == 0x2F && p[s + 7] == 0x2F {
            guard let y1 = twoDigits(p, s), let y2 = twoDigits(p, s + 2), let m = twoDigits(p, s + 5), let d = twoDigits(p, s + 8) else { return nil }
            let year = y1 * 100 + y2
            guard (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: year) else { return LexedValue(.text) }
            guard let clock = localTime(p, s + 10, e) else { return LexedValue(.text) }
            return LexedValue(.localDate(LocalDate(first: m, second: d, year: year, style: .yearFirst, time: clock.time)))
        }
        // a?b?yyyy with one- or two-digit a and b, and the same separator twice.
        var i = s
        var first = 0, second = 0
        var sep: UInt8 = 0
        for k in 0..<2 {
            let start = i
            var part = 0
            while i < e && isDigit(p[i]) && i - start < 2 { part = part * 10 + Int(p[i] - 0x30); i += 1 }
            guard i > start, i < e else { return nil }
            let b = p[i]
            guard b == 0x2F || b == 0x2D || b == 0x2E else { return nil }
            if k == 0 { sep = b; first = part } else { guard b == sep else { return nil }; second = part }
            i += 1
        }
        guard e - i >= 4 else { return nil }
        var year = 0
        for k in i..<(i + 4) {
            guard isDigit(p[k]) else { return nil }
            year = year * 10 + Int(p[k] - 0x30)
        }
        guard let clock = localTime(p, i + 4, e) else { return sep == 0x2F ? LexedValue(.text) : nil }
        guard first >= 1, second >= 1, first <= 31, second <= 31, year >= 1 else { return LexedValue(.text) }
        let style: LocalDate.Style = sep == 0x2F ? .slash : sep == 0x2D ? .dash : .dot
        return LexedValue(.localDate(LocalDate(first: first, second: second, year: year, style: style, time: clock.time)))
    }

    /// Nothing, or ` H:MM[:SS[.fffffffff]]` up to `e`; nil when something else follows the date.
    private static func localTime(_ p: UnsafePointer<UInt8>, _ start: Int, _ e: Int) -> (time: TimeOfDay?, Void)? {
        if start == e { return (nil, ()) }
        var i = start
        guard p[i] == 0x20 else { return nil }
        i += 1
        var hour = 0
        let h0 = i
        while i < e && isDigit(p[i]) && i - h0 < 2 { hour = hour * 10 + Int(p[i] - 0x30); i += 1 }
        guard i > h0, hour < 24, i + 3 <= e, p[i] == 0x3A, let minute = twoDigits(p, i + 1), minute < 60 else { return nil }
        i += 3
        var second = 0
        var fraction = ""
        if i + 3 <= e && p[i] == 0x3A {
            guard let sec = twoDigits(p, i + 1), sec < 60 else { return nil }
            second = sec
            i += 3
            if i < e && p[i] == 0x2E {
                i += 1
                let f = i
                while i < e && isDigit(p[i]) { i += 1 }
                guard (1...9).contains(i - f) else { return nil }
                fraction = String(decoding: UnsafeBufferPointer(start: p + f, count: i - f), as: UTF8.self)
            }
        }
        guard i == e else { return nil }
        return (TimeOfDay(hour: hour, minute: minute, second: second, fraction: fraction), ())
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
