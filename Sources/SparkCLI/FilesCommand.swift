import ArgumentParser
import Foundation
import SparkProject

/// `spark files`: what the migrations load, file by file.
struct FilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "files",
        abstract: "List every planned file: client, platform, year, wave, rows, SHA-256 and status.",
        discussion: """
            Reads state.sqlite. The status is planned, applied or failed, as the last `spark apply` \
            or `spark status --connection` recorded the file's migration.

            Examples:
              spark files
              spark files --format json
            """)

    @OptionGroup var project: ProjectOptions
    @Option(help: "Output: text or json.") var format: OutputFormat = .text

    func run() throws {
        do {
            let report = try project.layout.files()
            if format == .json { return print(jsonText(report), terminator: "") }
            if report.files.isEmpty { return print("No files planned yet.") }
            let rows = [["CLIENT", "PLATFORM", "YEAR", "WAVE", "FILE", "ROWS", "SHA-256", "STATUS"]] + report.files.map { f in
                [f.client.lowercased(), f.platform.lowercased(), String(f.year), String(f.wave), f.path, String(f.rows), String(f.sha256.prefix(12)), f.status.rawValue]
            }
            let widths = rows[0].indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
            for row in rows {
                print(row.enumerated().map { i, c in i == row.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  "))
            }
        } catch {
            throw fail(error, json: format == .json)
        }
    }
}
