import Foundation

/// A typed value from a result row. SQL NULL is `nil` in the row, not a case here.
public enum SnowflakeValue: Sendable, Hashable, CustomStringConvertible {
    /// A `NUMBER` with scale 0 that fits in 64 bits.
    case int(Int64)
    /// A `NUMBER` with a scale, or too wide for 64 bits, kept exactly as text.
    case decimal(SnowflakeDecimal)
    /// `FLOAT`/`DOUBLE`/`REAL`.
    case double(Double)
    /// `VARCHAR`/`TEXT`.
    case string(String)
    case bool(Bool)
    case binary([UInt8])
    case date(SnowflakeDate)
    /// `TIME`, as nanoseconds since midnight.
    case time(nanosecondsSinceMidnight: Int64)
    /// `TIMESTAMP_NTZ`: a wall-clock time without a time zone.
    case timestampNTZ(SnowflakeTimestamp)
    /// `TIMESTAMP_LTZ`: an instant, shown in the session's time zone.
    case timestampLTZ(SnowflakeTimestamp)
    /// `TIMESTAMP_TZ`: an instant with its UTC offset in minutes.
    case timestampTZ(SnowflakeTimestamp, offsetMinutes: Int)
    /// `VARIANT`, `OBJECT` or `ARRAY`, as JSON text.
    case semiStructured(String)

    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .decimal(let value): return value.description
        case .double(let value): return String(value)
        case .string(let value): return value
        case .bool(let value): return value ? "TRUE" : "FALSE"
        case .binary(let value): return value.map { String(format: "%02X", $0) }.joined()
        case .date(let value): return value.description
        case .time(let nanoseconds):
            let seconds = nanoseconds / 1_000_000_000
            return String(format: "%02d:%02d:%02d.%09d", seconds / 3600, seconds / 60 % 60, seconds % 60,
                          nanoseconds % 1_000_000_000)
        case .timestampNTZ(let value), .timestampLTZ(let value): return value.description
        case .timestampTZ(let value, let offset):
            let sign = offset < 0 ? "-" : "+"
            let shifted = SnowflakeTimestamp(
                epochSeconds: value.epochSeconds &+ Int64(offset) &* 60, nanoseconds: value.nanoseconds)
            return shifted.description + String(format: " %@%02d:%02d", sign, abs(offset) / 60, abs(offset) % 60)
        case .semiStructured(let value): return value
        }
    }
}

/// An exact decimal number as Snowflake sent it, such as `-12.50`.
public struct SnowflakeDecimal: Sendable, Hashable, CustomStringConvertible {
    /// The number in plain decimal notation, with exactly `scale` digits after the point.
    public let text: String
    public let scale: Int

    public init(text: String, scale: Int) {
        self.text = text
        self.scale = scale
    }

    /// Builds the text from an unscaled integer: 1250 with scale 2 is `12.50`.
    init(unscaledDigits digits: String, negative: Bool, scale: Int) {
        var digits = digits
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        let isZero = digits.allSatisfy { $0 == "0" || $0 == "." }
        self.init(text: (negative && !isZero ? "-" : "") + digits, scale: scale)
    }

    /// The value as a Foundation `Decimal` (38 significant digits).
    public var decimalValue: Decimal? { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) }
    public var description: String { text }
}

/// A calendar date, as days since 1970-01-01.
public struct SnowflakeDate: Sendable, Hashable, CustomStringConvertible {
    public let daysSinceEpoch: Int64

    public init(daysSinceEpoch: Int64) { self.daysSinceEpoch = daysSinceEpoch }

    /// The proleptic Gregorian year, month and day (Howard Hinnant's civil-from-days).
    public var components: (year: Int64, month: Int, day: Int) {
        // Clamped far beyond any real date, so the arithmetic cannot overflow.
        let z = min(max(daysSinceEpoch, -1 << 40), 1 << 40) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public var description: String {
        let (year, month, day) = components
        return String(format: "%04lld-%02d-%02d", year, month, day)
    }
}

/// A point in time as seconds since the Unix epoch plus nanoseconds (0..<1e9).
public struct SnowflakeTimestamp: Sendable, Hashable, CustomStringConvertible {
    public let epochSeconds: Int64
    public let nanoseconds: Int32

    public init(epochSeconds: Int64, nanoseconds: Int32) {
        self.epochSeconds = epochSeconds
        self.nanoseconds = nanoseconds
    }

    /// Splits a count of `10^-scale` second units, flooring so the nanoseconds stay positive.
    init(units: Int64, scale: Int) {
        let divisor = pow10(scale)
        var seconds = units / divisor
        var remainder = units % divisor
        if remainder < 0 {
            seconds -= 1
            remainder += divisor
        }
        self.init(epochSeconds: seconds, nanoseconds: Int32(remainder * pow10(9 - scale)))
    }

    public var date: Date { Date(timeIntervalSince1970: Double(epochSeconds) + Double(nanoseconds) / 1e9) }

    /// ISO 8601 in UTC without a zone designator, with nanoseconds: `2024-01-15 13:45:00.123456789`.
    public var description: String {
        var days = epochSeconds / 86_400
        var secondsOfDay = epochSeconds % 86_400
        if secondsOfDay < 0 {
            days -= 1
            secondsOfDay += 86_400
        }
        return SnowflakeDate(daysSinceEpoch: days).description
            + String(format: " %02lld:%02lld:%02lld.%09d", secondsOfDay / 3600, secondsOfDay / 60 % 60,
                     secondsOfDay % 60, nanoseconds)
    }
}

func pow10(_ exponent: Int) -> Int64 {
    var result: Int64 = 1
    for _ in 0..<max(0, exponent) { result *= 10 }
    return result
}
