import Crypto
import Foundation
import SparkModel

/// `migrations/spark.sum`: a chained SHA-256 over the migration files, as atlas.sum does.
///
/// ```
/// h1:<base64 SHA-256 of the lines below>
/// V0001__byd_meta_2024_wave1.sql h1:<base64 chain hash>
/// ```
/// A file's chain hash is SHA-256(previous line's chain hash ‖ file name ‖ file bytes), the first
/// file's previous hash being empty. Checking each line against the previous *recorded* hash
/// pins an edit to the one file that changed.
public struct MigrationSum: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var fileName: String
        /// Base64 chain hash.
        public var hash: String
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// The sum of `files`, in the given order (the caller sorts by version).
    public init(files: [(name: String, contents: Data)]) {
        var s = MigrationSum()
        for f in files { s.append(name: f.name, contents: f.contents) }
        self = s
    }

    public static let fileName = "spark.sum"

    /// Adds the next file to the chain.
    public mutating func append(name: String, contents: Data) {
        let previous = entries.last.flatMap { Data(base64Encoded: $0.hash) } ?? Data()
        entries.append(Entry(fileName: name, hash: MigrationSum.chain(previous, name, contents)))
    }

    static func chain(_ previous: Data, _ name: String, _ contents: Data) -> String {
        var h = SHA256()
        h.update(data: previous)
        h.update(data: Data(name.utf8))
        h.update(data: contents)
        return Data(h.finalize()).base64EncodedString()
    }

    var body: String { entries.map { "\($0.fileName) h1:\($0.hash)\n" }.joined() }

    /// The file's text.
    public func render() -> String {
        "h1:" + Data(SHA256.hash(data: Data(body.utf8))).base64EncodedString() + "\n" + body
    }

    /// Parses spark.sum. Throws `SumError.malformed` with the line, or `.sumEdited` when the
    /// first line does not match the rest.
    public static func parse(_ text: String) throws -> MigrationSum {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let first = lines.first, first.hasPrefix("h1:") else { throw SumError.malformed(line: 1) }
        var entries: [Entry] = []
        for (i, line) in lines.dropFirst().enumerated() {
            let parts = line.split(separator: " ")
            guard parts.count == 2, parts[1].hasPrefix("h1:") else { throw SumError.malformed(line: i + 2) }
            entries.append(Entry(fileName: String(parts[0]), hash: String(parts[1].dropFirst(3))))
        }
        let sum = MigrationSum(entries: entries)
        guard sum.render() == lines.joined(separator: "\n") + "\n" else { throw SumError.sumEdited }
        return sum
    }

    /// What differs between this sum and the files on disk.
    public func problems(files: [(name: String, contents: Data)]) -> [SumProblem] {
        let onDisk = Dictionary(files.map { ($0.name, $0.contents) }, uniquingKeysWith: { a, _ in a })
        return problems(fileNames: files.map(\.name)) { name, previous in
            onDisk[name].map { MigrationSum.chainHash(previous: previous, name: name, contents: $0) }
        }
    }

    /// What differs between this sum and the files on disk, with the hashing left to the caller
    /// (which may know a file's hash without reading it).
    /// - Parameters:
    ///   - fileNames: the migration files present.
    ///   - chainHash: a present file's chain hash given the previous line's recorded hash; nil when it is missing.
    public func problems(fileNames: [String], chainHash: (_ name: String, _ previous: String) throws -> String?) rethrows -> [SumProblem] {
        var out: [SumProblem] = []
        var previous = ""
        var listed = Set<String>()
        for e in entries {
            listed.insert(e.fileName)
            if let hash = try chainHash(e.fileName, previous) {
                if hash != e.hash { out.append(.edited(e.fileName)) }
            } else {
                out.append(.removed(e.fileName))
            }
            previous = e.hash
        }
        for f in fileNames where !listed.contains(f) { out.append(.added(f)) }
        return out
    }

    /// A file's chain hash: SHA-256(previous chain hash's bytes ‖ name ‖ contents), base64.
    public static func chainHash(previous: String, name: String, contents: Data) -> String {
        chain(Data(base64Encoded: previous) ?? Data(), name, contents)
    }

    /// Hex SHA-256 of a file's bytes, e.g. for a history table's checksum column.
    public static func checksum(_ contents: Data) -> String {
        SHA256.hash(data: contents).map { String(format: "%02x", $0) }.joined()
    }
}

public enum SumProblem: Sendable, Hashable, CustomStringConvertible {
    case edited(String)
    case added(String)
    case removed(String)

    public var description: String {
        switch self {
        case let .edited(f): "migrations/\(f): edited after spark.sum recorded it"
        case let .added(f): "migrations/\(f): not in spark.sum (added by hand?)"
        case let .removed(f): "migrations/\(f): in spark.sum but missing"
        }
    }
}

public enum SumError: Error, Hashable, DiagnosticConvertible {
    case malformed(line: Int)
    case sumEdited

    public var diagnostic: Diagnostic {
        switch self {
        case let .malformed(line):
            Diagnostic(code: "sum.malformed", file: "migrations/spark.sum", line: line, message: "not a spark.sum line (`<file> h1:<hash>`)",
                       hint: "restore migrations/spark.sum from git")
        case .sumEdited:
            Diagnostic(code: "sum.edited", file: "migrations/spark.sum", line: 1, message: "the sum line does not match the file list; spark.sum was edited by hand",
                       hint: "restore migrations/spark.sum from git")
        }
    }
}
