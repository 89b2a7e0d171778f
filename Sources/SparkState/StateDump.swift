import Foundation
import GRDB

extension StateStore {
    /// A canonical text dump of every table `spark state rebuild` recreates: one line per row,
    /// rows sorted, columns in schema order. Two states with equal dumps know the same things.
    public func canonicalDump() throws -> String {
        try read { db in
            var out = ""
            for table in StateSchema.rebuiltTables {
                out += "# \(table)\n"
                let columns = try db.columns(in: table).map(\.name)
                let order = columns.map { "\"\($0)\"" }.joined(separator: ", ")
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)") {
                    out += columns.map { "\($0)=\(text(row[$0]))" }.joined(separator: " | ") + "\n"
                }
            }
            return out
        }
    }

    private func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case let .int64(i): String(i)
        case let .double(d): String(d)
        case let .string(s): s.debugDescription
        case let .blob(b): "x'" + b.map { String(format: "%02x", $0) }.joined() + "'"
        }
    }
}
