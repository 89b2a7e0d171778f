import SparkInfer
import SparkModel

/// One record as the canonical copy will hold it (or, raw, as read), with its line.
public struct PreviewRow: Sendable, Hashable, Codable {
    /// 1-based physical line where the record starts.
    public var line: Int
    /// One value per column; nil is NULL.
    public var values: [String?]

    public init(line: Int, values: [String?]) {
        self.line = line
        self.values = values
    }
}

/// What a file will load as, record by record, through the canonical writer's own conversion:
/// the same plain numbers, ISO dates and NULLs that reach Snowflake. For checking a file before
/// planning it; `spark serve` shows the same.
public enum Preview {
    /// The first `limit` data records (all when nil), typed as `spec` says, or raw: each cell as
    /// read (quotes removed, doubled quotes undoubled), before typing.
    public static func rows(_ spec: CanonicalSpec, raw: Bool = false, limit: Int? = nil) throws(LoadError) -> [PreviewRow] {
        let reader: CSVReader
        do { reader = try CSVReader(path: spec.source, dialect: spec.dialect, skipping: spec.skippedLines) } catch {
            throw LoadError(path: spec.source, line: error.line, message: error.message, hint: error.hint)
        }
        var out: [PreviewRow] = []
        var failure: LoadError?
        let stop = InferError(.unreadable, path: spec.source, message: "stopped", hint: "")
        var scratch: [UInt8] = []
        do throws(InferError) {
            try reader.forEachRecord { (record) throws(InferError) in
                if let limit, out.count >= limit { throw stop }
                var values: [String?] = []
                for column in spec.columns {
                    if raw {
                        values.append(record.string(column.sourceIndex))
                        continue
                    }
                    let f = record.fields[column.sourceIndex]
                    do throws(ValueMismatch) {
                        scratch.removeAll(keepingCapacity: true)
                        if column.type.family == .text {
                            values.append(column.isNullMarker(record.bytes + f.start, f.count) ? nil : record.string(column.sourceIndex))
                        } else if try CanonicalValue.append(record.bytes + f.start, f.count, escaped: f.escaped, as: column, to: &scratch) {
                            values.append(String(decoding: scratch, as: UTF8.self))
                        } else {
                            values.append(nil)
                        }
                    } catch {
                        failure = LoadError(path: spec.source, line: record.line,
                                            message: "column \(column.name): value \(record.string(column.sourceIndex).debugDescription) \(error.reason)",
                                            hint: "the value does not fit the column's type")
                        throw stop
                    }
                }
                out.append(PreviewRow(line: record.line, values: values))
            }
        } catch {
            if let failure { throw failure }
            if error != stop { throw LoadError(path: error.path, line: error.line, message: error.message, hint: error.hint) }
        }
        return out
    }
}
