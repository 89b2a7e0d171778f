import Foundation
import GRDB

/// One table of state.sqlite as dumped: its columns in schema order and its rows, sorted.
public struct DumpedTable: Sendable {
    public var name: String
    public var columns: [String]
    /// Each value is nil (NULL), an `Int64`, a `Double`, a `String` or `Data`.
    public var rows: [[(any Sendable)?]]
}

extension StateStore {
    /// Every table `spark state rebuild` recreates, rows sorted, columns in schema order.
    public func dumpTables() throws -> [DumpedTable] {
        try queue.inDatabase { db in
            try StateSchema.rebuiltTables.map { table in
                let columns = try db.columns(in: table).map(\.name)
                let order = columns.map { "\"\($0)\"" }.joined(separator: ", ")
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)").map { row in
                    columns.map { column -> (any Sendable)? in
                        switch (row[column] as DatabaseValue).storage {
                        case .null: nil
                        case let .int64(i): i
                        case let .double(d): d
                        case let .string(s): s
                        case let .blob(b): b
                        }
                    }
                }
                return DumpedTable(name: table, columns: columns, rows: rows)
            }
        }
    }

    /// A canonical text dump of ``dumpTables()``: one line per row. Two states with equal dumps know the same things.
    public func canonicalDump() throws -> String {
        var out = ""
        for table in try dumpTables() {
            out += "# \(table.name)\n"
            for row in table.rows {
                out += zip(table.columns, row).map { "\($0)=\(Self.text($1))" }.joined(separator: " | ") + "\n"
            }
        }
        return out
    }

    private static func text(_ value: (any Sendable)?) -> String {
        switch value {
        case nil: "NULL"
        case let s as String: s.debugDescription
        case let b as Data: "x'" + b.map { String(format: "%02x", $0) }.joined() + "'"
        case let v?: "\(v)"
        }
    }
}
