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

    func run() throws {
        do {
            var request = ValidateRequest(schema: schema.key, table: table.kind, files: files)
            request.maxErrors = maxErrors
            request.read = read.overrides
            let report = try project.layout.validate(request, observer: CLIObserver())
            print(format == .json ? jsonText(report) : text(report), terminator: "")
            if report.problems > 0 { throw ExitCode.failure }
        } catch let e as ExitCode {
            throw e
        } catch {
            throw fail(error, json: format == .json)
        }
    }

    func text(_ report: ValidationReport) -> String {
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
}
