/// How the text of a file was encoded. Raw values are the `encoding` field of `spark infer --format json`.
public enum TextEncoding: String, Sendable, Hashable, Codable, CaseIterable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case windows1252 = "windows-1252"
}

/// A date layout seen in a column. Raw values are stable and appear in JSON and migration headers.
public enum DateFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// `2024-01-15`
    case iso = "YYYY-MM-DD"
    /// `1/15/2024`
    case us = "MM/DD/YYYY"
    /// `15/1/2024`
    case european = "DD/MM/YYYY"
}

/// A value that forced a column's type, kept so later messages can point at the line.
public struct Evidence: Sendable, Hashable, Codable {
    /// 1-based physical line of the record.
    public var line: Int
    /// The value as decoded, cut to 64 characters.
    public var value: String

    public init(line: Int, value: String) {
        self.line = line
        self.value = value
    }
}

/// The facts about a column's values that decide whether a later wave fits an existing column.
public struct ValueFacts: Sendable, Hashable, Codable {
    /// Most digits before the decimal point in any numeric value.
    public var maxIntegerDigits: Int
    /// Most digits after the decimal point in any numeric value.
    public var maxScale: Int
    /// Longest value, in characters.
    public var maxLength: Int
    /// The date layout, for DATE and TIMESTAMP columns written with dates.
    public var dateFormat: DateFormat?
    /// True when values were written with a `%` sign; spark stores the number as written (3.45, not 0.0345).
    public var percent: Bool
    /// True when values carried a currency symbol or thousands separators.
    public var formattedNumbers: Bool
    /// The first value that needed the column's final type (or its largest scale).
    public var evidence: Evidence?

    public init(maxIntegerDigits: Int = 0, maxScale: Int = 0, maxLength: Int = 0, dateFormat: DateFormat? = nil,
                percent: Bool = false, formattedNumbers: Bool = false, evidence: Evidence? = nil) {
        self.maxIntegerDigits = maxIntegerDigits
        self.maxScale = maxScale
        self.maxLength = maxLength
        self.dateFormat = dateFormat
        self.percent = percent
        self.formattedNumbers = formattedNumbers
        self.evidence = evidence
    }
}

/// One column of a scanned file.
public struct ColumnProfile: Sendable, Hashable, Codable {
    /// Normalized Snowflake identifier, unique within the file.
    public var name: String
    /// The header cell exactly as decoded.
    public var source: String
    /// The narrowest Snowflake type that holds every value.
    public var type: SnowflakeType
    /// Values that were empty or a null marker.
    public var nulls: Int
    public var facts: ValueFacts

    public init(name: String, source: String, type: SnowflakeType, nulls: Int, facts: ValueFacts) {
        self.name = name
        self.source = source
        self.type = type
        self.nulls = nulls
        self.facts = facts
    }
}

/// The CSV dialect of a file.
public struct Dialect: Sendable, Hashable, Codable {
    public var encoding: TextEncoding
    /// One of `,` `;` tab `|`.
    public var delimiter: UInt8
    /// 1-based physical line of the header; lines before it are a report preamble.
    public var headerLine: Int

    public init(encoding: TextEncoding, delimiter: UInt8, headerLine: Int) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.headerLine = headerLine
    }

    /// The delimiter as a one-character string.
    public var delimiterString: String { String(UnicodeScalar(delimiter)) }
}

/// Everything inference learned from one full scan of a file.
public struct FileProfile: Sendable, Hashable, Codable {
    public var path: String
    /// Lower-case hex SHA-256 of the file's bytes as stored on disk.
    public var sha256: String
    public var bytes: Int
    /// Data records (not physical lines); blank lines are not records.
    public var rows: Int
    public var dialect: Dialect
    public var columns: [ColumnProfile]
    /// Things a person should know, such as a date format chosen by default.
    public var warnings: [String]

    public init(path: String, sha256: String, bytes: Int, rows: Int, dialect: Dialect, columns: [ColumnProfile], warnings: [String]) {
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
        self.rows = rows
        self.dialect = dialect
        self.columns = columns
        self.warnings = warnings
    }
}
