import Foundation

/// A column of a result, as Snowflake describes it in `rowtype`.
public struct ColumnMetadata: Sendable, Equatable {
    public var name: String
    /// Snowflake's type name in upper case: `FIXED`, `REAL`, `TEXT`, `BOOLEAN`, `DATE`, `TIME`,
    /// `TIMESTAMP_NTZ`, `TIMESTAMP_LTZ`, `TIMESTAMP_TZ`, `BINARY`, `VARIANT`, `OBJECT`, `ARRAY`.
    public var type: String
    public var precision: Int?
    public var scale: Int?
    /// The maximum length in characters, for text.
    public var length: Int?
    public var nullable: Bool

    public init(name: String, type: String, precision: Int? = nil, scale: Int? = nil, length: Int? = nil, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.precision = precision
        self.scale = scale
        self.length = length
        self.nullable = nullable
    }
}

/// The answer to one statement.
public struct QueryResult: Sendable {
    /// Snowflake's id for the query; empty for a `PUT`, which the client carries out itself.
    public var queryId: String
    public var columns: [ColumnMetadata]
    /// One array per row, one value per column; `nil` is SQL NULL.
    public var rows: [[SnowflakeValue?]]
    /// Snowflake's statement type id (for example 0x3100 for INSERT), when sent.
    public var statementTypeId: Int?

    public init(queryId: String, columns: [ColumnMetadata], rows: [[SnowflakeValue?]], statementTypeId: Int? = nil) {
        self.queryId = queryId
        self.columns = columns
        self.rows = rows
        self.statementTypeId = statementTypeId
    }

    /// The index of the column with this name, compared case-insensitively.
    public func columnIndex(_ name: String) -> Int? {
        columns.firstIndex { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// Rows inserted, updated, deleted or merged by a DML statement, summed as the official drivers do;
    /// nil for statements that are not DML.
    public var rowsAffected: Int64? {
        guard let statementTypeId, (0x3000..<0x4000).contains(statementTypeId), statementTypeId != 0x3600 else {
            return nil
        }
        guard let first = rows.first else { return 0 }
        var total: Int64 = 0
        for (index, column) in columns.enumerated() {
            let name = column.name.lowercased()
            guard name.hasPrefix("number of rows inserted") || name == "number of rows updated"
                || name == "number of rows deleted" || name == "number of multi-joined rows updated"
            else { continue }
            total += first[index].flatMap(Self.integer) ?? 0
        }
        return total
    }

    /// For `COPY INTO <table>`: the sum of the `rows_loaded` column over all files; nil otherwise.
    public var rowsLoaded: Int64? {
        guard let index = columnIndex("rows_loaded") else { return nil }
        return rows.reduce(0) { $0 + ($1[index].flatMap(Self.integer) ?? 0) }
    }

    private static func integer(_ value: SnowflakeValue) -> Int64? {
        switch value {
        case .int(let int): return int
        case .decimal(let decimal): return Int64(decimal.text)
        case .string(let text): return Int64(text)
        default: return nil
        }
    }
}
