import SparkInfer
import SparkModel

/// One value that cannot load: where it is and why.
public struct Violation: Sendable, Hashable, Codable {
    /// 1-based physical line of the record.
    public var line: Int
    public var column: String
    /// The value as decoded, cut to 64 characters.
    public var value: String
    public var reason: String

    public init(line: Int, column: String, value: String, reason: String) {
        self.line = line
        self.column = column
        self.value = value
        self.reason = reason
    }
}

/// What to check in one file, in a single pass.
public struct ValueCheckSpec: Sendable {
    public var path: String
    /// How the file is read, as inference decided.
    public var dialect: Dialect
    /// Lines of records left out: summary rows and rejected rows.
    public var skippedLines: Set<Int>
    /// Columns whose every value must be writable as the column's type, by the same code the
    /// canonical writer uses, so a file that passes loads.
    public var typed: [CanonicalColumn]
    /// The naming-key column: its values are collected, and checked against `knownKeys` when given.
    public var keyColumn: (sourceIndex: Int, name: String)?
    public var knownKeys: Set<String>?
    /// Values that mean NULL. A null naming key is not collected, and is a violation when checked.
    public var nullMarkers: [String]
    /// How many violations to keep; the rest are only counted.
    public var keep: Int
    /// Also collect the line of every record with a value that does not fit (for `--bad-rows reject`).
    public var collectLines = false

    public init(path: String, dialect: Dialect, skippedLines: Set<Int> = [], typed: [CanonicalColumn] = [], keyColumn: (sourceIndex: Int, name: String)? = nil,
                knownKeys: Set<String>? = nil, nullMarkers: [String] = InferOptions.defaultNullMarkers, keep: Int = 20) {
        self.path = path
        self.dialect = dialect
        self.skippedLines = skippedLines
        self.typed = typed
        self.keyColumn = keyColumn
        self.knownKeys = knownKeys
        self.nullMarkers = nullMarkers
        self.keep = keep
    }
}

public struct ValueCheckResult: Sendable {
    /// The first `keep` violations, in file order.
    public var violations: [Violation]
    /// Every violation, kept or not.
    public var total: Int
    public var rows: Int
    /// Rows whose naming key is empty or not among `knownKeys`.
    public var unknownKeys: Int
    /// The distinct naming keys of the file, sorted, when collecting (no `knownKeys`).
    public var keys: [String]
    /// With `collectLines`: every record whose typed values do not all fit, and why (its first misfit).
    public var misfitLines: [Int: String] = [:]
}

/// Reads a file once and checks its values: the typed columns against their types, the naming
/// keys against the known ones. Writes nothing.
public enum ValueChecker {
    public static func check(_ spec: ValueCheckSpec) throws(LoadError) -> ValueCheckResult {
        let reader: CSVReader
        do { reader = try CSVReader(path: spec.path, dialect: spec.dialect, skipping: spec.skippedLines) } catch {
            throw LoadError(path: spec.path, line: error.line, message: error.message, hint: error.hint)
        }
        let markers = CanonicalColumn(sourceIndex: 0, name: "", type: .varchar(length: nil), dateFormat: nil, nullMarkers: spec.nullMarkers)
        var violations: [Violation] = []
        var total = 0, rows = 0, unknownKeys = 0
        var keys = Set<String>()
        var misfits: [Int: String] = [:]
        var scratch: [UInt8] = []
        scratch.reserveCapacity(256)
        func report(_ v: @autoclosure () -> Violation) {
            total += 1
            if violations.count < spec.keep { violations.append(v()) }
        }
        func shown(_ s: String) -> String { s.count > 64 ? String(s.prefix(61)) + "..." : s }
        do throws(InferError) {
            try reader.forEachRecord { (record) throws(InferError) in
                rows += 1
                for column in spec.typed {
                    let f = record.fields[column.sourceIndex]
                    scratch.removeAll(keepingCapacity: true)
                    do throws(ValueMismatch) {
                        _ = try CanonicalValue.append(record.bytes + f.start, f.count, escaped: f.escaped, as: column, to: &scratch)
                    } catch {
                        let value = shown(record.string(column.sourceIndex))
                        report(Violation(line: record.line, column: column.name, value: value, reason: error.reason))
                        if spec.collectLines && misfits[record.line] == nil {
                            misfits[record.line] = "column \(column.name): value \(value.debugDescription) \(error.reason)"
                        }
                    }
                }
                if let key = spec.keyColumn {
                    let f = record.fields[key.sourceIndex]
                    var s = f.start, e = f.end
                    while s < e && record.bytes[s] == 0x20 { s += 1 }
                    while e > s && record.bytes[e - 1] == 0x20 { e -= 1 }
                    if markers.isNullMarker(record.bytes + s, e - s) {
                        if spec.knownKeys != nil {
                            unknownKeys += 1
                            report(Violation(line: record.line, column: key.name, value: "", reason: "is empty: every campaign row needs a naming key"))
                        }
                    } else {
                        let value = String(record.string(key.sourceIndex).trimmingSpaces)
                        if let known = spec.knownKeys {
                            if !known.contains(value) {
                                unknownKeys += 1
                                report(Violation(line: record.line, column: key.name, value: shown(value), reason: "is not a naming key in NAMING_KEYS"))
                            }
                        } else {
                            keys.insert(value)
                        }
                    }
                }
            }
        } catch {
            throw LoadError(path: error.path, line: error.line, message: error.message, hint: error.hint)
        }
        return ValueCheckResult(violations: violations, total: total, rows: rows, unknownKeys: unknownKeys, keys: keys.sorted(), misfitLines: misfits)
    }
}
