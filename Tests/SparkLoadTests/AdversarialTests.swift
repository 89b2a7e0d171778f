import Foundation
import SparkInfer
import SparkLoad
import SparkModel
import Testing

/// Export shapes built to break a reader (`scripts/make-adversarial-fixtures.py` writes them):
/// locale exports of Meta, Google Ads and LinkedIn, summary rows, padded preambles, damaged and
/// two-row headers, stray quotes, and the situations of the csv-spectrum corpus.
///
/// Each case's `oracle.json` is the generator's ground truth, made from the values it wrote,
/// not from spark: either a refusal (the line it must name and words the message must hold),
/// or every loaded cell as the canonical copy must hold it. The test infers the file, writes
/// its canonical copy, and compares cell by cell, numbers as exact decimals: any difference
/// spark does not report is a failure. `expected.json` / `expected_stderr.txt` beside it keep
/// the full `spark infer --format json` report (`SPARK_RECORD=1` re-records them).
@Suite struct AdversarialTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Adversarial")
    static let cases = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    static let recording = ProcessInfo.processInfo.environment["SPARK_RECORD"] == "1"

    struct Oracle: Decodable {
        struct Options: Decodable {
            var decimal_separator: String?
            var date_order: String?
            var bad_rows: String?
            var keep_summary_rows: Bool?
            var header_line: Int?
            var column_types: [String: String]?
        }
        struct Refusal: Decodable {
            var line: Int
            var contains: [String]
        }
        struct Column: Decodable {
            var header: String
            var kind: String
            var values: [String?]
        }
        var description: String
        var options: Options?
        var outcome: String
        var encoding: String
        var delimiter: String
        var refuse: Refusal?
        var header_line: Int?
        var header_rows: Int?
        var decimal_separator: String?
        var summary_rows: [Int]?
        var rejected_rows: [Int]?
        var columns: [Column]?
    }

    @Test func thereAreCasesOfEveryKind() {
        for prefix in ["locale_", "summary_", "header_", "quote_", "spectrum_", "decimal_"] {
            #expect(Self.cases.filter { $0.hasPrefix(prefix) }.count >= 3, "\(prefix)")
        }
        #expect(Self.cases.filter { $0.hasPrefix("spectrum_") }.count == 12)
    }

    @Test(arguments: AdversarialTests.cases)
    func readsExactlyOrRefuses(_ name: String) throws {
        let dir = Self.root.appendingPathComponent(name)
        let oracle = try JSONDecoder().decode(Oracle.self, from: Data(contentsOf: dir.appendingPathComponent("oracle.json")))
        let input = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix("input.") })
        let path = dir.appendingPathComponent(input).path
        let options = try Self.options(oracle.options)

        let profile: FileProfile
        do {
            profile = try Inferrer.profile(path: path, options: options)
        } catch {
            try record(dir, "expected_stderr.txt", error.description.replacingOccurrences(of: dir.path + "/", with: "") + "\n")
            guard let refusal = oracle.refuse else {
                Issue.record("\(name): refused, but the file loads (\(oracle.description)):\n\(error)")
                return
            }
            #expect(error.line == refusal.line, "\(name): \(error)")
            for word in refusal.contains { #expect(error.description.contains(word), "\(name): no \(word.debugDescription) in \(error)") }
            return
        }
        var report = profile
        report.path = input
        try record(dir, "expected.json", InferReport([report]).json())
        guard let columns = oracle.columns else {
            Issue.record("\(name): loaded, but the oracle refuses it at line \(oracle.refuse?.line ?? 0) (\(oracle.description))")
            return
        }
        #expect(profile.dialect.encoding.rawValue == oracle.encoding, "\(name)")
        #expect(profile.dialect.delimiterString == oracle.delimiter, "\(name)")
        #expect(profile.dialect.headerLine == oracle.header_line, "\(name)")
        #expect(profile.dialect.headerRowCount == oracle.header_rows, "\(name)")
        #expect(profile.dialect.decimalSeparator?.rawValue == oracle.decimal_separator, "\(name)")
        #expect(profile.summaryRows.map(\.line) == oracle.summary_rows, "\(name): summary rows")
        #expect(profile.rejectedRows.map(\.line) == oracle.rejected_rows, "\(name): rejected rows")
        #expect(profile.columns.map(\.source) == columns.map(\.header), "\(name): header")
        #expect(profile.rows == (columns.first?.values.count ?? 0), "\(name): rows")
        for (c, o) in zip(profile.columns, columns) {
            let family: [String: [SnowflakeType.Family]] = [
                "number": [.number, .float], "date": [.date], "timestamp": [.timestamp], "text": [.text], "boolean": [.boolean],
            ]
            #expect(family[o.kind]?.contains(c.type.family) == true, "\(name): \(o.header) is \(c.type), the oracle says \(o.kind)")
        }

        // The canonical copy holds exactly the oracle's values.
        let out = try temporaryDirectory().appendingPathComponent("out.csv.gz").path
        let result = try CanonicalWriter.write(CanonicalSpec(profile: profile, source: path), to: out)
        let rows = CSVText.parse(try gunzip(out))
        #expect(result.rows == profile.rows && rows.count == profile.rows + 1, "\(name)")
        for (k, o) in columns.enumerated() where k < profile.columns.count {
            let got: [String?] = rows.dropFirst().map { $0[k] == "\\N" ? nil : $0[k] }
            #expect(got.count == o.values.count, "\(name): \(o.header)")
            for (i, (g, w)) in zip(got, o.values).enumerated() where !Self.same(g, w, kind: o.kind) {
                Issue.record("\(name): \(o.header), data row \(i + 1): loads \(g.debugDescription), the file means \(w.debugDescription)")
                break
            }
            if o.kind == "number" {
                // The sums a warehouse would compute, exactly.
                let sum = { (xs: [String?]) in xs.compactMap { $0.flatMap { Decimal(string: $0) } }.reduce(0, +) }
                #expect(sum(got) == sum(o.values), "\(name): SUM(\(o.header))")
            }
        }
    }

    static func same(_ a: String?, _ b: String?, kind: String) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        if kind == "number", let x = Decimal(string: a), let y = Decimal(string: b) { return x == y }
        return a == b
    }

    static func options(_ o: Oracle.Options?) throws -> InferOptions {
        var options = InferOptions()
        guard let o else { return options }
        options.decimalSeparator = o.decimal_separator.flatMap(DecimalSeparator.init(rawValue:))
        options.dateOrder = o.date_order.flatMap(DateOrder.init(rawValue:))
        options.badRows = o.bad_rows.flatMap(BadRows.init(rawValue:)) ?? .refuse
        options.keepSummaryRows = o.keep_summary_rows ?? false
        options.headerLine = o.header_line
        for (header, type) in o.column_types ?? [:] {
            guard let t = SnowflakeType(snowflake: type) else { throw CocoaError(.coderInvalidValue) }
            options.columnTypes[header] = t
        }
        return options
    }

    func record(_ dir: URL, _ file: String, _ text: String) throws {
        let url = dir.appendingPathComponent(file)
        if Self.recording {
            for stale in ["expected.json", "expected_stderr.txt"] { try? FileManager.default.removeItem(at: dir.appendingPathComponent(stale)) }
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try? String(contentsOf: url, encoding: .utf8)
        #expect(expected == text, "\(dir.lastPathComponent)/\(file) differs; re-record with SPARK_RECORD=1 if the change is intended")
    }
}

/// A small RFC 4180 reader for the canonical copy (comma, `"` quoting, LF), written apart from
/// spark's scanner so the test does not read spark's output with spark.
enum CSVText {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
