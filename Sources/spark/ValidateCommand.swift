import ArgumentParser
import Foundation
import SparkProject
import SparkInfer
import SparkLoad
import SparkModel
import SparkPlan
import SparkState

/// `spark validate`: would these files load into the known schema? Writes nothing.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check files against the known schema and NAMING_KEYS before planning; write nothing.",
        discussion: """
            Reads each file fully and checks, with the code the loader uses, that every value fits \
            its known column's type, and that every naming key of a campaign file exists among the \
            NAMING_KEYS planned so far (the naming-key column is spark.toml's naming_key_column, \
            NAMING_KEY by default). Reports the first problems with their lines and counts the rest. \
            Exits 1 on any problem. New columns are not problems: the next plan adds them.

            Examples:
              spark validate --client byd --platform meta --year 2024 exports/byd_meta_2024_wave4.csv
              spark validate --client byd --platform meta --year 2024 --table naming-keys keys.csv --format json
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var schema: SchemaOptions
    @Option(help: "The table the files would load into.") var table: PlanCommand.TableChoice = .campaign
    @Option(help: "How many problems to show per file; the rest are counted.") var maxErrors = 20
    @Option(help: "Output: text or json.") var format: OutputFormat = .text
    @OptionGroup var read: ReadOptions
    @Argument(help: "The CSV files to check.") var files: [String]

    struct FileReport: Encodable {
        var path: String
        var rows: Int
        var problems: Int
        var violations: [Violation]
        /// Columns the file has and the table does not: the next plan adds them.
        var newColumns: [String]
        /// Data columns the table has and the file does not: they stay NULL for this file.
        var missingColumns: [String]
        /// `passed`, `failed`, or why it was not run.
        var namingKeyCheck: String
        /// Records left out as totals of other rows.
        var summaryRows: [SummaryRow]
        /// Records `--bad-rows reject` would leave out.
        var rejectedRows: [RejectedRow]
    }

    struct Report: Encodable {
        var schema: String
        var files: [FileReport]
        var problems: Int
    }

    func run() throws {
        do {
            let report = try validate()
            print(format == .json ? json(report) : text(report), terminator: "")
            if report.problems > 0 { throw ExitCode.failure }
        } catch let e as ExitCode {
            throw e
        } catch {
            throw fail(error, json: format == .json)
        }
    }

    func validate() throws -> Report {
        guard maxErrors >= 0 else {
            throw ValidationError("--max-errors must be 0 or more")
        }
        let settings = try project.layout.settings()
        let target = try PlanRequest(client: schema.client, platform: schema.platform, year: schema.year, wave: 1, table: table.kind,
                                     settings: settings, inputs: []).target()
        // Read-only: a missing state is an empty one, and nothing is created.
        let store = try project.layout.existingOrEmptyState()
        let (known, keys) = try store.read { db in
            (try db.load(database: target.database, schema: target.schema),
             try db.namingKeys(database: target.database, schema: target.schema))
        }
        let knownColumns = (known.schema?.table(table.kind.tableName)?.columns ?? []).filter { $0.provenance != nil }
        // Each file is read twice: inference, then the value checks.
        return try ProgressBar.run("validating", bytes: 2 * ProgressBar.size(of: files)) {
            try validateFiles(settings: settings, target: target, knownColumns: knownColumns, keys: keys)
        }
    }

    func validateFiles(settings: PlanSettings, target: PlanTarget, knownColumns: [KnownColumn], keys: Set<String>) throws -> Report {
        var reports: [FileReport] = []
        for file in files {
            let profile = try Inferrer.profile(path: file, options: read.inferOptions(settings))
            let columns = try settings.applyingAliases(to: profile, path: file).columns
            var typed: [CanonicalColumn] = []
            var newColumns: [String] = []
            for (i, c) in columns.enumerated() {
                if let k = knownColumns.first(where: { $0.name == c.name }) {
                    typed.append(CanonicalColumn(sourceIndex: i, name: c.name, type: k.type, dateFormat: c.facts.dateFormat,
                                                 nullMarkers: settings.effectiveNullMarkers, decimalSeparator: profile.dialect.decimalSeparator ?? .point))
                } else {
                    newColumns.append(c.name)
                }
            }
            let present = Set(columns.map(\.name))
            let missing = knownColumns.map(\.name).filter { !present.contains($0) }

            var keyCheck = "not run: only campaign files reference naming keys"
            var extra: [Violation] = []
            let check = try NamingKeys.check(path: file, profile: profile, settings: settings, known: table == .campaign ? keys : [],
                                             typed: typed, keep: maxErrors)
            let result = check.result
            if table == .campaign {
                if let column = check.keyColumn {
                    if check.noKeysYet {
                        extra.append(Violation(line: profile.dialect.headerLine, column: column, value: "",
                                               reason: "cannot be checked: \(target.schema).NAMING_KEYS has no keys yet; plan the naming-keys file first (spark plan --table naming-keys …)"))
                        keyCheck = "failed"
                    } else {
                        keyCheck = check.unmatched == 0 ? "passed" : "failed: \(check.unmatched) row\(check.unmatched == 1 ? "" : "s") with empty or unknown keys"
                    }
                } else {
                    keyCheck = "not run: the file has no \(settings.namingKeyColumn) column"
                }
            }
            let violations = Array((extra + result.violations).prefix(maxErrors))
            reports.append(FileReport(path: file, rows: result.rows, problems: extra.count + result.total, violations: violations,
                                      newColumns: newColumns, missingColumns: missing, namingKeyCheck: keyCheck,
                                      summaryRows: profile.summaryRows, rejectedRows: profile.rejectedRows))
        }
        return Report(schema: target.schema, files: reports, problems: reports.map(\.problems).reduce(0, +))
    }

    func text(_ report: Report) -> String {
        var out = ""
        for f in report.files {
            out += "\(f.path): \(f.rows) rows, \(f.problems == 0 ? "no problems" : "\(f.problems) problem\(f.problems == 1 ? "" : "s")")\n"
            for v in f.violations {
                out += "  \(f.path):\(v.line): \(v.column) \(v.value.isEmpty ? "" : "\(PlanText.shown(v.value)) ")\(v.reason)\n"
            }
            if f.problems > f.violations.count { out += "  … and \(f.problems - f.violations.count) more\n" }
            if !f.newColumns.isEmpty { out += "  new columns (the next plan adds them): \(f.newColumns.joined(separator: ", "))\n" }
            if !f.missingColumns.isEmpty { out += "  columns not in this file (left NULL): \(f.missingColumns.joined(separator: ", "))\n" }
            out += "  naming keys: \(f.namingKeyCheck)\n"
            if !f.summaryRows.isEmpty {
                out += "  summary rows left out: \(PlanText.listed(f.summaryRows.map { "line \($0.line) \(PlanText.shown($0.label))" }))\n"
            }
            if !f.rejectedRows.isEmpty {
                out += "  rows --bad-rows reject leaves out: \(PlanText.listed(f.rejectedRows.map { "line \($0.line)" }))\n"
            }
        }
        if report.problems > 0 {
            out += "spark validate: \(report.problems) problem\(report.problems == 1 ? "" : "s") in \(report.files.filter { $0.problems > 0 }.count) of \(report.files.count) file\(report.files.count == 1 ? "" : "s"); fix the files (or the header aliases in spark.toml), then validate again\n"
        } else {
            out += "spark validate: \(report.files.count) file\(report.files.count == 1 ? "" : "s") fit \(report.schema)\n"
        }
        return out
    }

    func json(_ report: Report) -> String {
        jsonText(report)
    }
}
