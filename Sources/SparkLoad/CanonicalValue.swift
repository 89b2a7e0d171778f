import SparkInfer
import SparkModel

/// Why a value cannot be written as its column's type.
public struct ValueMismatch: Error, Equatable, Sendable {
    public var reason: String
}

/// Turns one field into its canonical text for a typed column, with the same lexer inference
/// used. The canonical forms are the ones Snowflake's CSV parser reads without any format
/// option: plain decimals with `.`, ISO dates and timestamps, `TRUE`/`FALSE`.
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
        case let (.number(precision, scale), .number(shape)):
            guard let r = shape.reading(column.decimalSeparator) else { throw notANumber(column) }
            guard !shape.exponent else { throw ValueMismatch(reason: "is in scientific notation, which \(column.type) does not hold exactly") }
            guard r.scale <= scale else { throw ValueMismatch(reason: "has \(r.scale) decimals but the column holds \(scale)") }
            guard r.integerDigits <= precision - scale else {
                throw ValueMismatch(reason: "has \(r.integerDigits) integer digits but \(column.type) holds \(precision - scale)")
            }
            _ = ValueLexer.appendCanonicalNumber(p + s, e - s, decimal: column.decimalSeparator, to: &out)
        case let (.float, .number(shape)):
            guard shape.reading(column.decimalSeparator) != nil else { throw notANumber(column) }
            _ = ValueLexer.appendCanonicalNumber(p + s, e - s, decimal: column.decimalSeparator, to: &out)
        case (.float, .float):
            // NaN, inf, -inf, Infinity: as written.
            out.append(contentsOf: UnsafeBufferPointer(start: p + s, count: e - s))
        case (.boolean, .boolean):
            out += (p[s] | 0x20) == 0x74 ? Array("TRUE".utf8) : Array("FALSE".utf8)
        case (.date, .isoDate), (.timestampNTZ, .isoDate), (.timestampNTZ, .timestamp(false)), (.timestampTZ, .timestamp(true)):
            out.append(contentsOf: UnsafeBufferPointer(start: p + s, count: e - s))
        case let (.date, .localDate(d)) where d.time == nil:
            try appendLocal(d, column, to: &out)
        case let (.timestampNTZ, .localDate(d)):
            try appendLocal(d, column, to: &out)
            let t = d.time ?? TimeOfDay(hour: 0, minute: 0)
            out.append(0x20)
            pad(t.hour, 2, &out)
            out.append(0x3A)
            pad(t.minute, 2, &out)
            out.append(0x3A)
            pad(t.second, 2, &out)
            if !t.fraction.isEmpty {
                out.append(0x2E)
                out += Array(t.fraction.utf8)
            }
        default:
            throw ValueMismatch(reason: "is not a \(column.type) value")
        }
        return true
    }

    private static func notANumber(_ column: CanonicalColumn) -> ValueMismatch {
        ValueMismatch(reason: "is not a number with \"\(column.decimalSeparator.rawValue)\" as the decimal separator")
    }

    /// A local date as ISO `YYYY-MM-DD`, its parts read in the column's layout.
    private static func appendLocal(_ d: LocalDate, _ column: CanonicalColumn, to out: inout [UInt8]) throws(ValueMismatch) {
        let format = column.dateFormat ?? .us
        let style: LocalDate.Style = switch format {
        case .iso, .us, .european: .slash
        case .dotted: .dot
        case .dayMonthDashes, .monthDayDashes: .dash
        case .yearFirstSlashes: .yearFirst
        }
        guard d.style == style else { throw ValueMismatch(reason: "is not a \(format.rawValue) date") }
        let (month, day) = format.dayFirst == true ? (d.second, d.first) : (d.first, d.second)
        guard (1...12).contains(month), day >= 1, day <= ValueLexer.daysIn(month: month, year: d.year) else {
            throw ValueMismatch(reason: "is not a valid \(format.rawValue) date")
        }
        pad(d.year, 4, &out)
        out.append(0x2D)
        pad(month, 2, &out)
        out.append(0x2D)
        pad(day, 2, &out)
    }

    private static func pad(_ v: Int, _ width: Int, _ out: inout [UInt8]) {
        let digits = Array(String(v).utf8)
        for _ in digits.count..<max(width, digits.count) { out.append(0x30) }
        out += digits
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
