import ArgumentParser
import Foundation
import SparkProject
import SparkInfer
import SparkModel
import SparkPlan

struct InferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Scan CSV files fully and report every column's Snowflake type.",
        discussion: """
            Reads every byte of each file: encoding (UTF-8, UTF-8 BOM, UTF-16 with BOM, Windows-1252), \
            delimiter, report preamble lines, and the narrowest Snowflake type of each column. Writes nothing.

            Examples:
              spark infer examples/byd_meta_2024_wave1.csv
              spark infer --format json exports/*.csv
            """)

    @Option(help: "Output format: text (a table for people) or json (a stable contract for tools).")
    var format: OutputFormat = .text

    @Option(name: .long, help: ArgumentHelp("A project whose spark.toml settings apply (default: the current folder, if it has one).", valueName: "dir"))
    var project: String = "."

    @OptionGroup var read: ReadOptions

    @Argument(help: "CSV files to scan.")
    var files: [String]

    func run() throws {
        var profiles: [FileProfile] = []
        var errors: [InferError] = []
        let settings: PlanSettings
        do { settings = try Project(directory: project).settingsIfProject() } catch { throw fail(error, json: format == .json) }
        let options = read.inferOptions(settings)
        ProgressBar.run("scanning", bytes: totalSize(of: files)) {
            for file in files {
                do throws(InferError) { profiles.append(try Inferrer.profile(path: file, options: options)) } catch { errors.append(error) }
            }
        }
        if !errors.isEmpty { throw fail(errors, json: format == .json) }
        let report = InferReport(profiles)
        print(format == .json ? report.json() : report.text(), terminator: "")
    }
}
