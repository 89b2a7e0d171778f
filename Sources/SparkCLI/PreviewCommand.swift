import ArgumentParser
import Foundation
import SparkProject
import SparkInfer
import SparkLoad
import SparkModel
import SparkPlan

/// `spark preview`: the records of a file as they will load. Writes nothing.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Show a file's records exactly as the canonical copy will hold them.",
        discussion: """
            Infers the file as `spark plan` does, then reads its records through the loader's own \
            conversion: plain numbers, ISO dates and timestamps, TRUE/FALSE, NULLs shown. Summary \
            rows and rejected rows are listed apart. With --raw, the cells as read, before typing. \
            Writes nothing.

            Examples:
              spark preview exports/byd_meta_2024_wave4.csv
              spark preview --rows 5 --raw --decimal-separator , export_de.csv
              spark preview --all --format csv export.csv > as_loaded.csv
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, csv, json }

    @Option(help: "How many records to show.") var rows = 20
    @Flag(help: "Show every record.") var all = false
    @Flag(help: "Show the cells as read, before typing.") var raw = false
    @Option(help: "text (a table), csv (the canonical rows) or json.") var format: Format = .text
    @Option(name: .long, help: ArgumentHelp("A project whose spark.toml settings apply (default: the current folder, if it has one).", valueName: "dir"))
    var project: String = "."
    @OptionGroup var read: ReadOptions
    @Argument(help: "The CSV file.") var file: String

    func validate() throws {
        if rows < 0 { throw ValidationError("--rows must be 0 or more") }
    }

    struct Report: Encodable {
        struct Column: Encodable {
            var name: String
            var source: String
            var type: String
        }
        var path: String
        var raw: Bool
        var columns: [Column]
        var rows: [PreviewRow]
        /// Data records in the file (what the load checks), of which `rows` are shown.
        var total_rows: Int
        var summary_rows: [SummaryRow]
        var rejected_rows: [RejectedRow]
        var warnings: [String]
    }

    func run() throws {
        do {
            let settings = try Project(directory: project).settingsIfProject()
            let profile = try Inferrer.profile(path: file, options: read.inferOptions(settings))
            let spec = CanonicalSpec(profile: profile, source: file, nullMarkers: settings.effectiveNullMarkers)
            let shown = try Preview.rows(spec, raw: raw, limit: all ? nil : rows)
            let report = Report(path: file, raw: raw, columns: profile.columns.map { Report.Column(name: $0.name, source: $0.source, type: $0.type.description) },
                                rows: shown, total_rows: profile.rows, summary_rows: profile.summaryRows, rejected_rows: profile.rejectedRows,
                                warnings: profile.warnings)
            switch format {
            case .json: print(jsonText(report), terminator: "")
            case .csv: print(csv(report), terminator: "")
            case .text: print(text(report), terminator: "")
            }
        } catch {
            throw fail(error, json: format == .json)
        }
    }

    /// The canonical copy's rows (`\N` for NULL), without spark's own columns.
    func csv(_ r: Report) -> String {
        func field(_ v: String?) -> String {
            guard let v else { return CanonicalWriter.nullMarker }
            let needs = v.isEmpty || v == CanonicalWriter.nullMarker || v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            return needs ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
        }
        return ([r.columns.map { field($0.name) }] + r.rows.map { $0.values.map(field) }).map { $0.joined(separator: ",") + "\n" }.joined()
    }

    /// A value for the table: NULL for null; quoted (and escaped) only when it is empty, reads
    /// NULL, or holds characters a terminal would act on.
    func display(_ v: String?) -> String {
        guard let v else { return "NULL" }
        let plain = !v.isEmpty && v != "NULL" && !v.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0 == "\"" }
        return plain ? v : PlanText.shown(v)
    }

    func text(_ r: Report) -> String {
        var out = "\(r.path): \(r.total_rows) row\(r.total_rows == 1 ? "" : "s") to load\(r.raw ? ", shown raw (before typing)" : ", as they will load")"
        out += r.rows.count < r.total_rows ? "; the first \(r.rows.count)\n" : "\n"
        let cells = [["LINE"] + r.columns.map(\.name), [""] + r.columns.map(\.type)]
            + r.rows.map { ["\($0.line)"] + $0.values.map(display) }
        let widths = (0..<cells[0].count).map { k in min(40, cells.map { $0[k].count }.max() ?? 0) }
        for row in cells {
            out += "  " + row.enumerated().map { k, v in
                let cut = v.count > widths[k] ? String(v.prefix(widths[k] - 1)) + "…" : v
                return k == cells[0].count - 1 ? cut : cut.padding(toLength: widths[k], withPad: " ", startingAt: 0)
            }.joined(separator: "  ") + "\n"
        }
        if !r.summary_rows.isEmpty {
            out += "summary rows, left out of the load:\n"
            for s in r.summary_rows { out += "  line \(s.line): \(PlanText.shown(s.label))\n" }
        }
        if !r.rejected_rows.isEmpty {
            out += "rejected rows, left out of the load:\n"
            for s in r.rejected_rows { out += "  line \(s.line): \(s.reason)\n    \(PlanText.shown(s.text))\n" }
        }
        for w in r.warnings { out += "warning: \(w)\n" }
        return out
    }
}
