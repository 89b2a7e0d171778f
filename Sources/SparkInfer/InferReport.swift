import Foundation
import SparkModel

/// The JSON contract of `spark infer --format json`. Field names are snake_case and stable;
/// tools and tests read them.
public struct InferReport: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        public var path: String
        public var sha256: String
        public var bytes: Int
        public var rows: Int
        public var encoding: String
        public var delimiter: String
        public var header_line: Int
        /// 2 for group labels over column names; absent for one row.
        public var header_rows: Int?
        /// `.` or `,`; absent when no value reads differently under the two.
        public var decimal_separator: String?
        /// What decided it: `file` (a value that reads one way only), `setting` or `column_types`.
        public var decimal_source: String?
        public var decimal_evidence: Located?
        public var decimal_evidence_column: String?
        public var columns: [Column]
        public var summary_rows: [SummaryRow]
        public var rejected_rows: [RejectedRow]
        public var warnings: [String]
    }

    /// A value and the physical line it is on.
    public struct Located: Codable, Sendable, Equatable {
        public var line: Int
        public var value: String
    }

    public struct Column: Codable, Sendable, Equatable {
        public var name: String
        public var source: String
        public var type: String
        public var nulls: Int
        public var max_integer_digits: Int
        public var max_scale: Int
        public var max_length: Int
        public var date_format: String?
        public var percent: Bool
        public var formatted_numbers: Bool
        public var evidence_line: Int?
        public var evidence_value: String?
        /// The thousands separator seen, for number columns.
        public var grouping: String?
        /// A value of this column that reads with only one decimal mark.
        public var decimal_evidence: Located?
        /// A value of this column that reads as two different numbers (`294.481`), read by the file's mark.
        public var ambiguous_value: Located?
        /// True when spark.toml's column_types gave the type.
        public var type_from_settings: Bool?
    }

    public var files: [File]

    public init(_ profiles: [FileProfile]) {
        func located(_ e: Evidence?) -> Located? { e.map { Located(line: $0.line, value: $0.value) } }
        files = profiles.map { p in
            File(path: p.path, sha256: p.sha256, bytes: p.bytes, rows: p.rows, encoding: p.dialect.encoding.rawValue,
                 delimiter: p.dialect.delimiterString, header_line: p.dialect.headerLine, header_rows: p.dialect.headerRows,
                 decimal_separator: p.decimal?.separator.rawValue, decimal_source: p.decimal?.source.rawValue,
                 decimal_evidence: located(p.decimal?.evidence), decimal_evidence_column: p.decimal?.column,
                 columns: p.columns.map { c in
                     Column(name: c.name, source: c.source, type: c.type.description, nulls: c.nulls,
                            max_integer_digits: c.facts.maxIntegerDigits, max_scale: c.facts.maxScale, max_length: c.facts.maxLength,
                            date_format: c.facts.dateFormat?.rawValue, percent: c.facts.percent, formatted_numbers: c.facts.formattedNumbers,
                            evidence_line: c.facts.evidence?.line, evidence_value: c.facts.evidence?.value,
                            grouping: c.notation?.grouping, decimal_evidence: located(c.notation?.evidence),
                            ambiguous_value: located(c.notation?.ambiguous), type_from_settings: c.typeFromSettings ? true : nil)
                 },
                 summary_rows: p.summaryRows, rejected_rows: p.rejectedRows, warnings: p.warnings)
        }
    }

    /// Pretty, key-sorted JSON with a trailing newline: byte-identical for identical input.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings and integers cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// An aligned table per file, for people.
    public func text() -> String {
        var out = ""
        for f in files {
            let delimiter = f.delimiter == "\t" ? "tab" : "\"\(f.delimiter)\""
            out += "\(f.path)\n"
            out += "  \(f.encoding), delimiter \(delimiter), header on line \(f.header_line), \(grouped(f.rows)) rows, \(grouped(f.bytes)) bytes\n"
            out += "  sha256 \(f.sha256)\n"
            if let rows = f.header_rows { out += "  header of \(rows) rows: group labels over column names, joined as \"label / name\"\n" }
            if let d = f.decimal_separator {
                let why: String = switch f.decimal_source {
                case "setting": "as set"
                case "column_types": "column_types of \(f.decimal_evidence_column ?? "?") fits only that reading"
                default: f.decimal_evidence.map { "line \($0.line) has \($0.value.debugDescription) in \(f.decimal_evidence_column ?? "?")" } ?? ""
                }
                out += "  decimal separator \"\(d)\" (\(why))\n"
            }
            if !f.summary_rows.isEmpty {
                out += "  summary rows left out: " + f.summary_rows.prefix(5).map { "line \($0.line) \($0.label.debugDescription)" }.joined(separator: ", ")
                    + (f.summary_rows.count > 5 ? " and \(f.summary_rows.count - 5) more" : "") + "\n"
            }
            if !f.rejected_rows.isEmpty {
                out += "  rejected rows: \(grouped(f.rejected_rows.count))\n"
                for r in f.rejected_rows.prefix(5) { out += "    line \(r.line): \(r.reason)\n" }
                if f.rejected_rows.count > 5 { out += "    … and \(f.rejected_rows.count - 5) more\n" }
            }
            let rows = [["COLUMN", "TYPE", "NULLS", "SOURCE"]] + f.columns.map { c in
                [c.name, c.type + (c.date_format.map { " " + $0 } ?? "") + (c.percent ? " %" : ""), grouped(c.nulls), c.source.debugDescription]
            }
            let widths = (0..<3).map { i in rows.map { $0[i].count }.max() ?? 0 }
            for r in rows {
                let nulls = String(repeating: " ", count: widths[2] - r[2].count) + r[2]
                out += "  " + r[0].padding(toLength: widths[0], withPad: " ", startingAt: 0) + "  "
                    + r[1].padding(toLength: widths[1], withPad: " ", startingAt: 0) + "  " + nulls + "  " + r[3] + "\n"
            }
            for w in f.warnings { out += "  warning: \(w)\n" }
        }
        return out
    }

    private func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }
}
