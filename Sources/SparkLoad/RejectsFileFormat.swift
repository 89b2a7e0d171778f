import Foundation
import SparkInfer
import SparkModel

/// The rejects file of `--bad-rows reject`: `LINE,REASON,RECORD` with one row per record left
/// out, UTF-8, RFC 4180 quoting, LF line ends. `RECORD` is the record as written; a record that
/// spans lines keeps its line breaks inside the quotes.
public enum RejectsFileFormat {
    public static let header = "LINE,REASON,RECORD"

    public static func contents(_ rows: [RejectedRow]) -> Data {
        var out = header + "\n"
        for r in rows {
            out += "\(r.line),\(CanonicalWriter.csvField(r.reason, alwaysQuote: true)),\(CanonicalWriter.csvField(r.text, alwaysQuote: true))\n"
        }
        return Data(out.utf8)
    }

    /// The lines a rejects file lists, once its SHA-256 is checked against the migration's.
    public static func lines(of path: String, sha256: String) throws(LoadError) -> Set<Int> {
        let reader: CSVReader
        do { reader = try CSVReader(path: path, dialect: Dialect(encoding: .utf8, delimiter: 0x2C, headerLine: 1)) } catch {
            throw LoadError(path: path, line: error.line, message: error.message, hint: "restore the rejects file the migration names from git")
        }
        var lines = Set<Int>()
        var bad: Int?
        do throws(InferError) {
            try reader.forEachRecord { record in
                if let n = Int(record.string(0)) { lines.insert(n) } else if bad == nil { bad = record.line }
            }
        } catch {
            throw LoadError(path: path, line: error.line, message: error.message, hint: "restore the rejects file the migration names from git")
        }
        let actual = reader.sha256()
        guard actual == sha256 else {
            throw LoadError(path: path, message: "the rejects file changed since it was planned (SHA-256 \(actual), the migration says \(sha256))",
                            hint: "restore the rejects file the migration names from git")
        }
        if let bad {
            throw LoadError(path: path, line: bad, message: "LINE is not a line number", hint: "restore the rejects file the migration names from git")
        }
        return lines
    }
}
