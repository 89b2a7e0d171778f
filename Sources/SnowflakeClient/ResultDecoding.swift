import Foundation

/// Turns Snowflake's rowsets (JSON strings or Arrow columns) into typed values, driven by `rowtype`.
enum ResultDecoding {
    static func columns(_ rowtype: [RowTypeEntry]) -> [ColumnMetadata] {
        rowtype.map {
            ColumnMetadata(
                name: $0.name, type: $0.type.uppercased(), precision: $0.precision, scale: $0.scale,
                length: $0.length, nullable: $0.nullable ?? true)
        }
    }

    // MARK: JSON rowsets: every value is a string in Snowflake's wire notation.

    static func jsonRows(_ rowset: [[String?]], columns: [ColumnMetadata]) throws -> [[SnowflakeValue?]] {
        try rowset.map { row in
            guard row.count == columns.count else {
                throw SnowflakeError(.protocolViolation, "a JSON row has \(row.count) values for \(columns.count) columns")
            }
            return try zip(row, columns).map { text, column in try text.map { try jsonValue($0, column: column) } }
        }
    }

    static func jsonValue(_ text: String, column: ColumnMetadata) throws -> SnowflakeValue {
        func bad() -> SnowflakeError {
            SnowflakeError(.protocolViolation, "column \(column.name): cannot read '\(text)' as \(column.type)")
        }
        switch column.type {
        case "FIXED":
            let scale = column.scale ?? 0
            if scale == 0, let int = Int64(text) { return .int(int) }
            return .decimal(SnowflakeDecimal(text: text, scale: scale))
        case "REAL":
            guard let double = Double(text) ?? specialDouble(text) else { throw bad() }
            return .double(double)
        case "BOOLEAN":
            switch text.uppercased() {
            case "1", "TRUE": return .bool(true)
            case "0", "FALSE": return .bool(false)
            default: throw bad()
            }
        case "DATE":
            guard let days = Int32(text) else { throw bad() }
            return .date(SnowflakeDate(daysSinceEpoch: Int64(days)))
        case "TIME":
            guard let (seconds, nanos) = splitSeconds(text), (0..<86_400 * 2).contains(seconds) else { throw bad() }
            return .time(nanosecondsSinceMidnight: seconds * 1_000_000_000 + Int64(nanos))
        case "TIMESTAMP_NTZ", "TIMESTAMP_LTZ":
            guard let (seconds, nanos) = splitSeconds(text) else { throw bad() }
            let timestamp = SnowflakeTimestamp(epochSeconds: seconds, nanoseconds: nanos)
            return column.type == "TIMESTAMP_NTZ" ? .timestampNTZ(timestamp) : .timestampLTZ(timestamp)
        case "TIMESTAMP_TZ":
            // "<epoch>.<fraction> <offset + 1440>"
            let parts = text.split(separator: " ")
            guard let first = parts.first, let (seconds, nanos) = splitSeconds(String(first)) else { throw bad() }
            let offset = parts.count > 1 ? (Int(parts[1]) ?? 1440) - 1440 : 0
            return .timestampTZ(SnowflakeTimestamp(epochSeconds: seconds, nanoseconds: nanos), offsetMinutes: offset)
        case "BINARY":
            guard let bytes = hexBytes(text) else { throw bad() }
            return .binary(bytes)
        case "VARIANT", "OBJECT", "ARRAY", "MAP":
            return .semiStructured(text)
        default:
            return .string(text)
        }
    }

    private static func specialDouble(_ text: String) -> Double? {
        switch text.lowercased() {
        case "nan": return .nan
        case "inf", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return nil
        }
    }

    /// Splits "-1.5" into (-2, 500000000): whole seconds floored, nanoseconds non-negative.
    static func splitSeconds(_ text: String) -> (Int64, Int32)? {
        let negative = text.hasPrefix("-")
        let unsigned = negative ? text.dropFirst() : Substring(text)
        let pieces = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count <= 2, let whole = Int64(pieces[0].isEmpty ? "0" : pieces[0]) else { return nil }
        var fraction: Int32 = 0
        if pieces.count == 2 {
            let digits = String(pieces[1].prefix(9)).padding(toLength: 9, withPad: "0", startingAt: 0)
            guard let value = Int32(digits) else { return nil }
            fraction = value
        }
        if !negative { return (whole, fraction) }
        return fraction == 0 ? (-whole, 0) : (-whole - 1, 1_000_000_000 - fraction)
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let byte = UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
            index += 2
        }
        return bytes
    }

    // MARK: Arrow rowsets.

    static func arrowRows(_ stream: ArrowStream, columns: [ColumnMetadata]) throws -> [[SnowflakeValue?]] {
        guard stream.fields.count == columns.count else {
            throw SnowflakeError(
                .protocolViolation, "the Arrow result has \(stream.fields.count) columns, rowtype \(columns.count)")
        }
        var rows: [[SnowflakeValue?]] = []
        for batch in stream.batches {
            let start = rows.count
            rows.append(contentsOf: repeatElement([SnowflakeValue?](repeating: nil, count: columns.count), count: batch.length))
            for (columnIndex, (array, column)) in zip(batch.columns, columns).enumerated() {
                for row in 0..<batch.length where !isNull(array, row: row) {
                    rows[start + row][columnIndex] = try arrowValue(array, row: row, column: column)
                }
            }
        }
        return rows
    }

    /// A timestamp struct is NULL when the struct is, or when its epoch is: fakesnow leaves the
    /// struct valid and nulls only the children.
    static func isNull(_ array: ArrowArray, row: Int) -> Bool {
        if array.isNull(row) { return true }
        guard array.field.type == .structType, let epoch = array.child(named: "epoch", orAt: 0) else { return false }
        return epoch.isNull(row)
    }

    static func arrowValue(_ array: ArrowArray, row: Int, column: ColumnMetadata) throws -> SnowflakeValue {
        // Snowflake puts the column's scale into the field metadata; rowtype carries it too.
        let scale = Int(array.field.metadata["scale"] ?? "") ?? column.scale ?? 0
        // Scales beyond these would overflow the arithmetic below; no real answer has them.
        let maximumScale = column.type.hasPrefix("TIME") ? 9 : 38
        guard (0...maximumScale).contains(scale) else {
            throw SnowflakeError(.protocolViolation, "column \(column.name): scale \(scale) is out of range for \(column.type)")
        }
        switch column.type {
        case "FIXED":
            if case .decimal(_, let decimalScale, 128) = array.field.type {
                let (high, low) = try array.decimal128(at: row)
                return .decimal(decimal128(high: high, low: low, scale: decimalScale))
            }
            if case .floatingPoint = array.field.type { return .double(try array.double(at: row)) }
            let unscaled = try array.integer(at: row)
            if scale == 0 { return .int(unscaled) }
            return .decimal(
                SnowflakeDecimal(unscaledDigits: String(unscaled.magnitude), negative: unscaled < 0, scale: scale))
        case "REAL":
            return .double(try array.double(at: row))
        case "BOOLEAN":
            return .bool(try array.bool(at: row))
        case "DATE":
            if case .date(.millisecond) = array.field.type {
                return .date(SnowflakeDate(daysSinceEpoch: floorDivide(try array.integer(at: row), 86_400_000)))
            }
            return .date(SnowflakeDate(daysSinceEpoch: try array.integer(at: row)))
        case "TIME":
            let (nanoseconds, overflow) = try array.integer(at: row).multipliedReportingOverflow(by: pow10(9 - scale))
            guard !overflow else { throw SnowflakeError(.protocolViolation, "column \(column.name): TIME value out of range") }
            return .time(nanosecondsSinceMidnight: nanoseconds)
        case "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP_TZ":
            return try timestampValue(array, row: row, column: column, scale: scale)
        case "BINARY":
            return .binary(Array(try array.bytes(at: row)))
        case "VARIANT", "OBJECT", "ARRAY", "MAP":
            return .semiStructured(try array.string(at: row))
        default:
            return .string(try array.string(at: row))
        }
    }

    /// Snowflake's timestamp encodings: a plain int64 of `10^-scale` units, or a struct of
    /// epoch (seconds, or units when there is no fraction field), fraction (nanoseconds) and
    /// timezone (UTC offset in minutes plus 1440).
    private static func timestampValue(_ array: ArrowArray, row: Int, column: ColumnMetadata, scale: Int) throws
        -> SnowflakeValue
    {
        let timestamp: SnowflakeTimestamp
        var offsetMinutes = 0
        if array.field.type == .structType {
            guard let epoch = array.child(named: "epoch", orAt: 0) else {
                throw SnowflakeError(.protocolViolation, "column \(column.name): timestamp struct without epoch")
            }
            let hasFraction = array.children.count == 3 || array.children.contains { $0.field.name.lowercased() == "fraction" }
            if hasFraction, let fraction = array.child(named: "fraction", orAt: 1) {
                timestamp = SnowflakeTimestamp(
                    epochSeconds: try epoch.integer(at: row), nanoseconds: Int32(truncatingIfNeeded: try fraction.integer(at: row)))
            } else {
                timestamp = SnowflakeTimestamp(units: try epoch.integer(at: row), scale: scale)
            }
            if let zone = array.children.first(where: { $0.field.name.lowercased() == "timezone" })
                ?? (array.children.count == 3 ? array.children[2] : nil)
            {
                offsetMinutes = Int(try zone.integer(at: row)) - 1440
            }
        } else if case .timestamp(let unit, _) = array.field.type {
            let unitScale = [ArrowType.TimeUnit.second: 0, .millisecond: 3, .microsecond: 6, .nanosecond: 9][unit] ?? 0
            timestamp = SnowflakeTimestamp(units: try array.integer(at: row), scale: unitScale)
        } else {
            timestamp = SnowflakeTimestamp(units: try array.integer(at: row), scale: scale)
        }
        switch column.type {
        case "TIMESTAMP_NTZ": return .timestampNTZ(timestamp)
        case "TIMESTAMP_LTZ": return .timestampLTZ(timestamp)
        default: return .timestampTZ(timestamp, offsetMinutes: offsetMinutes)
        }
    }

    /// Formats a two's-complement 128-bit integer with `scale` decimals, without needing Int128.
    static func decimal128(high: Int64, low: UInt64, scale: Int) -> SnowflakeDecimal {
        let negative = high < 0
        var hi = UInt64(bitPattern: high)
        var lo = low
        if negative {
            // Negate: invert and add one, carrying into the high word.
            hi = ~hi
            lo = ~lo
            let (sum, overflow) = lo.addingReportingOverflow(1)
            lo = sum
            if overflow { hi &+= 1 }
        }
        var digits: [Character] = []
        repeat {
            let (quotientHigh, remainderHigh) = hi.quotientAndRemainder(dividingBy: 10)
            let (quotientLow, remainder) = (10 as UInt64).dividingFullWidth((remainderHigh, lo))
            hi = quotientHigh
            lo = quotientLow
            digits.append(Character(String(remainder)))
        } while hi != 0 || lo != 0
        return SnowflakeDecimal(unscaledDigits: String(digits.reversed()), negative: negative, scale: scale)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
