/// How a file's column relates to an existing column: the "fits into" check.
public enum TypeFit: Sendable, Hashable {
    /// Every value fits the existing type; nothing changes.
    case fits
    /// An in-place change Snowflake allows (`ALTER COLUMN … SET DATA TYPE`).
    case widen(to: SnowflakeType)
    /// Snowflake cannot change the column in place. `rewriteTo` holds both the old and the new
    /// data, for a rewrite through a new column; nil when no such type exists.
    case incompatible(reason: String, rewriteTo: SnowflakeType?)
}

extension SnowflakeType {
    /// Decides whether data of type `data` with `facts` fits into a column of this type.
    ///
    /// The check looks at the facts (digits, scale, length), never at type equality: inference
    /// reports `NUMBER(38,s)`, which fits a hand-made `NUMBER(10,2)` when the values do.
    /// Into a VARCHAR column the raw text goes as written, so only its length matters.
    ///
    /// - Parameters:
    ///   - data: the type inference found in the new file.
    ///   - facts: the new file's facts for the column.
    ///   - known: what earlier loads put in the column, when known; it bounds a rewrite's type.
    public func fit(of data: SnowflakeType, facts: ValueFacts, known: ValueFacts? = nil) -> TypeFit {
        switch self {
        case let .varchar(length):
            guard let length else { return .fits }
            if facts.maxLength <= length { return .fits }
            return .widen(to: .varchar(length: nil))

        case let .number(precision, scale):
            switch data {
            case .number:
                let digits = facts.maxIntegerDigits
                if facts.maxScale <= scale {
                    if digits <= precision - scale { return .fits }
                    if digits + scale <= SnowflakeType.maxNumberPrecision {
                        return .widen(to: .number(precision: SnowflakeType.maxNumberPrecision, scale: scale))
                    }
                    return .incompatible(reason: "values need \(digits) integer digits at scale \(scale), more than NUMBER's 38 digits allow",
                                         rewriteTo: .float)
                }
                let newScale = facts.maxScale
                let oldDigits = known?.maxIntegerDigits ?? (precision - scale)
                let needed = max(digits, oldDigits) + newScale
                let target: SnowflakeType = needed <= SnowflakeType.maxNumberPrecision
                    ? .number(precision: SnowflakeType.maxNumberPrecision, scale: newScale) : .float
                return .incompatible(reason: "Snowflake cannot change a NUMBER's scale in place (\(scale) → \(newScale))",
                                     rewriteTo: target)
            case .float:
                return .incompatible(reason: familyReason(data), rewriteTo: .float)
            default:
                return .incompatible(reason: familyReason(data), rewriteTo: .varchar(length: nil))
            }

        case .float:
            switch data.family {
            case .number, .float: return .fits
            default: return .incompatible(reason: familyReason(data), rewriteTo: .varchar(length: nil))
            }

        case .boolean:
            if data == .boolean { return .fits }
            return .incompatible(reason: familyReason(data), rewriteTo: .varchar(length: nil))

        case .date:
            switch data {
            case .date: return .fits
            case .timestampNTZ, .timestampTZ: return .incompatible(reason: familyReason(data), rewriteTo: data)
            default: return .incompatible(reason: familyReason(data), rewriteTo: .varchar(length: nil))
            }

        case .timestampNTZ:
            switch data {
            case .date, .timestampNTZ: return .fits
            case .timestampTZ:
                return .incompatible(reason: "Snowflake cannot change TIMESTAMP_NTZ to TIMESTAMP_TZ in place", rewriteTo: .timestampTZ)
            default: return .incompatible(reason: familyReason(data), rewriteTo: .varchar(length: nil))
            }

        case .timestampTZ:
            switch data {
            case .date, .timestampNTZ, .timestampTZ: return .fits
            default: return .incompatible(reason: familyReason(data), rewriteTo: .varchar(length: nil))
            }
        }
    }

    private func familyReason(_ data: SnowflakeType) -> String {
        "Snowflake cannot change a column from \(family.rawValue.uppercased()) to \(data.family.rawValue.uppercased()) in place"
    }
}

extension ValueFacts {
    /// The facts of two loads together: the larger of each measure. Evidence, date format and
    /// flags are per file and are not merged.
    public func merged(with other: ValueFacts) -> ValueFacts {
        ValueFacts(maxIntegerDigits: max(maxIntegerDigits, other.maxIntegerDigits),
                   maxScale: max(maxScale, other.maxScale),
                   maxLength: max(maxLength, other.maxLength))
    }
}
