import SparkModel

/// Builds file profiles for planner tests, as inference would report them.
enum Profiles {
    static func number(_ name: String, digits: Int = 3, scale: Int = 0, source: String? = nil, line: Int = 2, value: String = "1") -> ColumnProfile {
        ColumnProfile(name: name, source: source ?? name.lowercased(), type: .number(precision: 38, scale: scale), nulls: 0,
                      facts: ValueFacts(maxIntegerDigits: digits, maxScale: scale, maxLength: digits + (scale > 0 ? scale + 1 : 0),
                                        evidence: Evidence(line: line, value: value)))
    }

    static func text(_ name: String, length: Int = 10, source: String? = nil) -> ColumnProfile {
        ColumnProfile(name: name, source: source ?? name.lowercased(), type: .varchar(length: nil), nulls: 0,
                      facts: ValueFacts(maxLength: length, evidence: Evidence(line: 2, value: "abc")))
    }

    static func date(_ name: String) -> ColumnProfile {
        ColumnProfile(name: name, source: name.lowercased(), type: .date, nulls: 0,
                      facts: ValueFacts(maxLength: 10, dateFormat: .iso))
    }

    static func file(_ path: String, sha: String, rows: Int = 10, _ columns: [ColumnProfile]) -> FileProfile {
        FileProfile(path: path, sha256: sha, bytes: 100 * rows, rows: rows,
                    dialect: Dialect(encoding: .utf8, delimiter: UInt8(ascii: ","), headerLine: 1),
                    columns: columns, warnings: [])
    }

    static let sha1 = String(repeating: "a", count: 64)
    static let sha2 = String(repeating: "b", count: 64)
    static let sha3 = String(repeating: "c", count: 64)
}
