import Crypto
import Foundation
import SparkInfer
import SparkModel

/// What a file holds, apart from how it was written: an 8-byte hash per row over its canonical
/// values, and a fingerprint of the whole.
///
/// A row's hash covers each column's name and canonical value (the text the canonical copy
/// holds: plain numbers, ISO dates, the raw text of text columns), in name order, NULLs left
/// out. It does not depend on encoding, BOM, line endings, quoting, the order of the columns,
/// or header spellings that normalize to one name; a column that is empty throughout does not
/// change it. The fingerprint is a SHA-256 over the sorted row hashes, so it does not depend on
/// the order of the rows either: a report exported again, in another encoding or with its
/// columns reordered, has the fingerprint of the first export.
public struct ContentDigest: Sendable, Hashable {
    /// Lower-case hex SHA-256 over the row count and the sorted row hashes.
    public var fingerprint: String
    /// One per loaded row, in file order.
    public var rowHashes: [UInt64]
    /// The physical line of each row.
    public var lines: [Int]

    /// Reads the rows `spec` loads and hashes them. `spec.columns` name the columns as the load
    /// maps them (header aliases applied) and type them as the file's inference did.
    public static func of(_ spec: CanonicalSpec) throws(LoadError) -> ContentDigest {
        let reader: CSVReader
        do { reader = try CSVReader(path: spec.source, dialect: spec.dialect, skipping: spec.skippedLines) } catch {
            throw LoadError(path: spec.source, line: error.line, message: error.message, hint: error.hint)
        }
        let columns = spec.columns.sorted { $0.name < $1.name }
        var hashes: [UInt64] = []
        var lines: [Int] = []
        var value: [UInt8] = []
        var failure: LoadError?
        let stop = InferError(.unreadable, path: spec.source, message: "stopped", hint: "")
        do throws(InferError) {
            try reader.forEachRecord { (record) throws(InferError) in
                var sha = SHA256()
                for column in columns {
                    let f = record.fields[column.sourceIndex]
                    value.removeAll(keepingCapacity: true)
                    do throws(ValueMismatch) {
                        if column.type.family == .text {
                            if column.isNullMarker(record.bytes + f.start, f.count) { continue }
                            value += Array(record.string(column.sourceIndex).utf8)
                        } else if !(try CanonicalValue.append(record.bytes + f.start, f.count, escaped: f.escaped, as: column, to: &value)) {
                            continue
                        }
                    } catch {
                        failure = LoadError(path: spec.source, line: record.line,
                                            message: "column \(column.name): value \(record.string(column.sourceIndex).debugDescription) \(error.reason)",
                                            hint: "the file does not match its inferred types; infer it again")
                        throw stop
                    }
                    sha.update(data: Array(column.name.utf8) + [0x1F])
                    sha.update(data: value + [0x1E])
                }
                hashes.append(sha.finalize().withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
                lines.append(record.line)
            }
        } catch {
            throw failure ?? LoadError(path: error.path, line: error.line, message: error.message, hint: error.hint)
        }
        var whole = SHA256()
        whole.update(data: Array("\(hashes.count)\n".utf8))
        for h in hashes.sorted() { withUnsafeBytes(of: h.littleEndian) { whole.update(bufferPointer: $0) } }
        let fingerprint = whole.finalize().map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        return ContentDigest(fingerprint: fingerprint, rowHashes: hashes, lines: lines)
    }

    /// The row hashes as stored in state.sqlite: 8 little-endian bytes each.
    public static func pack(_ hashes: [UInt64]) -> Data {
        var data = Data(capacity: hashes.count * 8)
        for h in hashes { withUnsafeBytes(of: h.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    public static func unpack(_ data: Data) -> [UInt64] {
        data.withUnsafeBytes { raw in
            (0..<(raw.count / 8)).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
        }
    }
}

extension CanonicalSpec {
    /// The spec a content digest reads: a load's columns by their mapped names, with the types
    /// the file's own inference gave them.
    public init(digesting load: LoadFile, source: String, skippedLines: Set<Int>, nullMarkers: [String]) {
        let decimal = load.dialect.decimalSeparator ?? .point
        self.init(source: source, sha256: load.sha256, dialect: load.dialect,
                  columns: load.columns.map {
                      CanonicalColumn(sourceIndex: $0.sourceIndex, name: $0.column, type: $0.inferredType, dateFormat: $0.facts.dateFormat,
                                      nullMarkers: nullMarkers, decimalSeparator: decimal)
                  },
                  constants: [], skippedLines: skippedLines)
    }
}
