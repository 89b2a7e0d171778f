import SparkInfer
import SparkModel

/// Why a value cannot be written as its column's type.
public struct ValueMismatch: Error, Equatable, Sendable {
    public var reason: String
}

/// Turns one field into its canonical text for a typed column, with the same lexer inference
/// used. The canonical forms are the ones Snowflake's CSV parser reads without any format
/// option: plain decimals, ISO dates and timestamps, `TRUE`/`FALSE`.
enum CanonicalValue {
    /// Appends the canonical form of `bytes` to `out`, or returns false for a null value.
    static func append(_ p: UnsafePointer<UInt8>, _ n: Int, escaped: Bool, as column: CanonicalColumn, to out: inout [UInt8]) throws(ValueMismatch) -> Bool {
        if column.type.family == .text {
            if column.isNullMarker(p, n) { return false }
            appendQuoted(p, n, escaped: escaped, to: &out)
            return true
        }
        let v = ValueLexer.lex(p, n)
        if v.shape == .null || column.isNullMarker(p, n) { return false }
        var s = 0, e = n
        while s < e && p[s] == 0x20 { s += 1 }
        while e > s && p[e - 1] == 0x20 { e -= 1 }
        switch (column.type, v.shape) {
        case let (.number(precision, scale), .number(integerDigits, valueScale, _)):
            guard valueScale <= scale else { throw ValueMismatch(reason: "has \(valueScale) decimals but the column holds \(scale)") }
            guard integerDigits <= precision - scale else {
                throw ValueMismatch(reason: "has \(integerDigits) integer digits but \(column.type) holds \(precision - scale)")
            }
            appendPlainNumber(p, s, e, to: &out)
        case (.float, .number), (.float, .float):
            appendPlainNumber(p, s, e, to: &out)
        case (.boolean, .boolean):
            out += (p[s] | 0x20) == 0x74 ? Array("TRUE".utf8) : Array("FALSE".utf8)
        case (.date, .isoDate), (.timestampNTZ, .isoDate), (.timestampNTZ, .timestamp(false)), (.timestampTZ, .timestamp(true)):
            out.append(contentsOf: UnsafeBufferPointer(start: p + s, count: e - s))
        case let (.date, .slashDate(a, b, year)):
            let (month, day) = column.dateFormat == .european ? (b, a) : (a, b)
            guard (1...12).contains(month), day <= ValueLexer.daysIn(month: month, year: year) else {
                throw ValueMismatch(reason: "is not a valid \(column.dateFormat?.rawValue ?? DateFormat.us.rawValue) date")
            }
            appendISODate(year: year, month: month, day: day, to: &out)
        default:
            throw ValueMismatch(reason: "is not a \(column.type) value")
        }
        return true
    }

    /// Digits, sign, point and exponent only: drops currency symbols, thousands separators and `%`
    /// (a percent is stored as written: 3.45% → 3.45).
    private static func appendPlainNumber(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, to out: inout [UInt8]) {
        var i = s
        while i < e {
            let b = p[i]
            switch b {
            case 0x30...0x39, 0x2D, 0x2B, 0x2E, 0x65, 0x45: out.append(b) // digits - + . e E
            case 0x61...0x7A, 0x41...0x5A: out.append(b) // NaN, inf, Infinity
            default: break // $ , % and the bytes of € £ ¥
            }
            i += 1
        }
    }

    private static func appendISODate(year: Int, month: Int, day: Int, to out: inout [UInt8]) {
        func pad(_ v: Int, _ width: Int) {
            let digits = Array(String(v).utf8)
            for _ in digits.count..<max(width, digits.count) { out.append(0x30) }
            out += digits
        }
        pad(year, 4)
        out.append(0x2D)
        pad(month, 2)
        out.append(0x2D)
        pad(day, 2)
    }

    /// RFC 4180: quoted when it holds a comma, quote, CR or LF, or when it could be read as the null marker.
    static func appendQuoted(_ p: UnsafePointer<UInt8>, _ n: Int, escaped: Bool, to out: inout [UInt8]) {
        var needs = n == 0 || (n == 2 && p[0] == 0x5C && p[1] == 0x4E)
        if !needs {
            for i in 0..<n where p[i] == 0x2C || p[i] == 0x22 || p[i] == 0x0A || p[i] == 0x0D { needs = true; break }
        }
        guard needs else {
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
            return
        }
        out.append(0x22)
        // An escaped source field already has its quotes doubled, which is what the output needs.
        if escaped {
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        } else {
            for i in 0..<n {
                out.append(p[i])
                if p[i] == 0x22 { out.append(0x22) }
            }
        }
        out.append(0x22)
    }
}
