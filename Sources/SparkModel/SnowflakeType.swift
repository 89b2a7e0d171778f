/// A Snowflake column type, spelled as Snowflake spells it.
///
/// Inference always reports `NUMBER(38,s)`: Snowflake stores every NUMBER the same way whatever
/// its precision, 38 is what `INT` means there, and a full precision means a later wave never
/// needs a precision change. The narrower facts (max integer digits, max scale) travel separately
/// in ``ValueFacts`` for the "fits into" check.
public enum SnowflakeType: Hashable, Sendable {
    case number(precision: Int, scale: Int)
    case float
    case boolean
    case date
    case timestampNTZ
    case timestampTZ
    /// `nil` length is Snowflake's maximum (`VARCHAR`).
    case varchar(length: Int?)

    public static let maxNumberPrecision = 38

    /// The type family: a change between families is never an in-place change in Snowflake.
    public enum Family: String, Sendable, Hashable { case number, float, boolean, date, timestamp, text }

    public var family: Family {
        switch self {
        case .number: .number
        case .float: .float
        case .boolean: .boolean
        case .date: .date
        case .timestampNTZ, .timestampTZ: .timestamp
        case .varchar: .text
        }
    }
}

extension SnowflakeType: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .number(p, s): "NUMBER(\(p),\(s))"
        case .float: "FLOAT"
        case .boolean: "BOOLEAN"
        case .date: "DATE"
        case .timestampNTZ: "TIMESTAMP_NTZ"
        case .timestampTZ: "TIMESTAMP_TZ"
        case let .varchar(n): n.map { "VARCHAR(\($0))" } ?? "VARCHAR"
        }
    }

    /// Parses Snowflake's spelling, as written by ``description`` and as reported by
    /// `INFORMATION_SCHEMA.COLUMNS` (`TEXT`, `FIXED`, `REAL`, `INT` and other synonyms).
    public init?(snowflake text: String) {
        let t = text.uppercased().filter { !$0.isWhitespace }
        func args(_ s: Substring) -> [Int]? {
            guard s.hasPrefix("("), s.hasSuffix(")") else { return nil }
            let parts = s.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
            let ints = parts.compactMap { Int($0) }
            return ints.count == parts.count ? ints : nil
        }
        let name = t.prefix { $0.isLetter || $0 == "_" }
        let rest = t.dropFirst(name.count)
        switch name {
        case "NUMBER", "DECIMAL", "NUMERIC", "FIXED":
            if rest.isEmpty { self = .number(precision: 38, scale: 0); return }
            guard let a = args(rest), (1...2).contains(a.count) else { return nil }
            self = .number(precision: a[0], scale: a.count == 2 ? a[1] : 0)
        case "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT":
            guard rest.isEmpty else { return nil }
            self = .number(precision: 38, scale: 0)
        case "FLOAT", "FLOAT4", "FLOAT8", "DOUBLE", "REAL", "DOUBLEPRECISION":
            guard rest.isEmpty else { return nil }
            self = .float
        case "BOOLEAN": guard rest.isEmpty else { return nil }; self = .boolean
        case "DATE": guard rest.isEmpty else { return nil }; self = .date
        case "TIMESTAMP_NTZ", "DATETIME", "TIMESTAMP", "TIMESTAMPNTZ": self = .timestampNTZ
        case "TIMESTAMP_TZ", "TIMESTAMPTZ": self = .timestampTZ
        case "VARCHAR", "TEXT", "STRING", "CHAR", "CHARACTER", "NVARCHAR", "NCHAR":
            if rest.isEmpty { self = .varchar(length: nil); return }
            guard let a = args(rest), a.count == 1 else { return nil }
            self = .varchar(length: a[0] >= SnowflakeType.maxVarcharLength ? nil : a[0])
        default: return nil
        }
    }

    /// Snowflake's largest VARCHAR length, which is what plain `VARCHAR` means.
    public static let maxVarcharLength = 16_777_216
}

extension SnowflakeType: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let t = SnowflakeType(snowflake: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a Snowflake type: \(text)"))
        }
        self = t
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
