/// How the text of a file was encoded. Raw values are the `encoding` field of `spark infer --format json`.
public enum TextEncoding: String, Sendable, Hashable, Codable, CaseIterable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case windows1252 = "windows-1252"
}

/// A date layout seen in a column. Raw values are stable and appear in JSON and migration headers.
/// Day and month may be written with one digit in every layout but ISO; a column of timestamps
/// records the layout of their date part.
public enum DateFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// `2024-01-15`
    case iso = "YYYY-MM-DD"
    /// `1/15/2024`
    case us = "MM/DD/YYYY"
    /// `15/1/2024`
    case european = "DD/MM/YYYY"
    /// `15.01.2024`, `5.3.2024`: dots always put the day first.
    case dotted = "DD.MM.YYYY"
    /// `15-01-2024`
    case dayMonthDashes = "DD-MM-YYYY"
    /// `01-15-2024`
    case monthDayDashes = "MM-DD-YYYY"
    /// `2024/01/15`
    case yearFirstSlashes = "YYYY/MM/DD"

    /// Whether the day comes before the month (nil for the year-first layouts).
    public var dayFirst: Bool? {
        switch self {
        case .iso, .yearFirstSlashes: nil
        case .us, .monthDayDashes: false
        case .european, .dotted, .dayMonthDashes: true
        }
    }
}

/// Which of `.` and `,` a file uses as its decimal mark; the other (or a space or apostrophe)
/// groups thousands.
public enum DecimalSeparator: String, Sendable, Hashable, Codable, CaseIterable {
    case point = "."
    case comma = ","
}

/// What to do with records that cannot be read as the file means them: of another width than
/// the header, badly quoted, or (at plan time) holding a value a known column cannot take.
public enum BadRows: String, Sendable, Hashable, Codable, CaseIterable {
    /// Stop with an error naming the line (the default).
    case refuse
    /// Leave them out of typing and of the load, and list them (a rejects file at plan time).
    case reject
}

/// Which of day and month comes first in dates like `5/3/2024` when a file does not show it.
public enum DateOrder: String, Sendable, Hashable, Codable, CaseIterable {
    case dayFirst = "DMY"
    case monthFirst = "MDY"
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

/// How a column writes its numbers, for people checking a decision: the grouping mark seen
/// and the value that settles which mark is the decimal one.
public struct NumberNotation: Sendable, Hashable, Codable {
    /// The thousands separator seen under the file's decimal mark (`.`, `,`, ` `, U+00A0,
    /// U+202F, `'` or U+2019), if any value was grouped.
    public var grouping: String?
    /// A value of this column that can be read with only one decimal mark, if any.
    public var evidence: Evidence?
    /// A value of this column whose two readings differ (`294.481`), if any.
    public var ambiguous: Evidence?

    public init(grouping: String? = nil, evidence: Evidence? = nil, ambiguous: Evidence? = nil) {
        self.grouping = grouping
        self.evidence = evidence
        self.ambiguous = ambiguous
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
    /// For number columns: how the numbers are written. Reported, not recorded in migrations.
    public var notation: NumberNotation?
    /// Set when `column_types` in spark.toml gave the type, which the data was checked against.
    public var typeFromSettings = false

    public init(name: String, source: String, type: SnowflakeType, nulls: Int, facts: ValueFacts, notation: NumberNotation? = nil) {
        self.name = name
        self.source = source
        self.type = type
        self.nulls = nulls
        self.facts = facts
        self.notation = notation
    }
}

/// A record left out of typing and of the load because it totals other rows
/// (`Total: Account`, `Gesamt`).
public struct SummaryRow: Sendable, Hashable, Codable {
    /// 1-based physical line where the record starts.
    public var line: Int
    /// Its first cell, which names it.
    public var label: String

    public init(line: Int, label: String) {
        self.line = line
        self.label = label
    }
}

/// A record left out of the load under `--bad-rows reject`, kept in the rejects file.
public struct RejectedRow: Sendable, Hashable, Codable {
    /// 1-based physical line where the record starts.
    public var line: Int
    /// Why it was left out.
    public var reason: String
    /// The record as written, without its line end.
    public var text: String

    public init(line: Int, reason: String, text: String) {
        self.line = line
        self.reason = reason
        self.text = text
    }
}

/// Why a file's decimal mark is what it is.
public struct DecimalDecision: Sendable, Hashable, Codable {
    public enum Source: String, Sendable, Hashable, Codable {
        /// A value of the file reads with only this mark.
        case file
        /// `decimal_separator` in spark.toml, or `--decimal-separator`.
        case setting
        /// A `column_types` entry that only this reading of a column's values fits.
        case columnTypes = "column_types"
    }

    public var separator: DecimalSeparator
    public var source: Source
    /// The column and value that decided it (for `file` and `column_types`).
    public var column: String?
    public var evidence: Evidence?

    public init(separator: DecimalSeparator, source: Source, column: String? = nil, evidence: Evidence? = nil) {
        self.separator = separator
        self.source = source
        self.column = column
        self.evidence = evidence
    }
}

/// The CSV dialect of a file.
public struct Dialect: Sendable, Hashable, Codable {
    public var encoding: TextEncoding
    /// One of `,` `;` tab `|`.
    public var delimiter: UInt8
    /// 1-based physical line of the header (of its first row); lines before it are a report preamble.
    public var headerLine: Int
    /// 2 for a header of group labels over column names; nil for the usual one row.
    public var headerRows: Int?
    /// The decimal mark of the file's numbers; nil when no value reads differently under the two.
    public var decimalSeparator: DecimalSeparator?

    public init(encoding: TextEncoding, delimiter: UInt8, headerLine: Int, headerRows: Int? = nil, decimalSeparator: DecimalSeparator? = nil) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.headerLine = headerLine
        self.headerRows = headerRows
        self.decimalSeparator = decimalSeparator
    }

    /// Rows the header takes: 1 or 2.
    public var headerRowCount: Int { headerRows ?? 1 }

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
    /// Why the decimal mark is what it is; nil when no value depends on it.
    public var decimal: DecimalDecision?
    /// Records left out as totals of other rows, in file order.
    public var summaryRows: [SummaryRow]
    /// Records left out under `--bad-rows reject`, in file order. `rows` does not count them.
    public var rejectedRows: [RejectedRow]

    public init(path: String, sha256: String, bytes: Int, rows: Int, dialect: Dialect, columns: [ColumnProfile], warnings: [String],
                decimal: DecimalDecision? = nil, summaryRows: [SummaryRow] = [], rejectedRows: [RejectedRow] = []) {
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
        self.rows = rows
        self.dialect = dialect
        self.columns = columns
        self.warnings = warnings
        self.decimal = decimal
        self.summaryRows = summaryRows
        self.rejectedRows = rejectedRows
    }

    /// Lines of the records that are not loaded: summary rows and rejected rows.
    public var skippedLines: Set<Int> { Set(summaryRows.map(\.line)).union(rejectedRows.map(\.line)) }
}
