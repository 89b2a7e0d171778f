import ArgumentParser
import Foundation
import SparkProject
import SparkEmit
import SparkModel

/// `spark verify`: check migrations/ against spark.sum and that every migration reads.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check migrations/ against spark.sum: report edited, added and removed files.",
        discussion: """
            Exits 1 when any migration was edited, added or removed by hand, or does not read.

            Example:
              spark verify --project .
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var project: ProjectOptions
    @Option(help: "text or json.") var format: Format = .text

    func run() throws {
        let report: VerifyReport
        do {
            report = try project.layout.verify()
        } catch {
            throw fail(error, json: format == .json)
        }
        switch format {
        case .json:
            print(jsonText(report), terminator: "")
        case .text:
            for f in report.edited { print("~ migrations/\(f): edited after spark.sum recorded it") }
            for f in report.added { print("+ migrations/\(f): not in spark.sum") }
            for f in report.removed { print("- migrations/\(f): in spark.sum but missing") }
            for f in report.unreadable { print("! \(f)") }
            if report.ok {
                print("migrations/ matches spark.sum (\(report.files) migration\(report.files == 1 ? "" : "s")).")
            } else {
                print("hint: restore migrations/ from git; spark never rewrites a written migration")
            }
        }
        if !report.ok { throw ExitCode.failure }
    }
}
