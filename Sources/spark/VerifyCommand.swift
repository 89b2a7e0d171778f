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

    struct Report: Encodable {
        var files: Int
        var edited: [String] = []
        var added: [String] = []
        var removed: [String] = []
        var unreadable: [String] = []
        var ok: Bool { edited.isEmpty && added.isEmpty && removed.isEmpty && unreadable.isEmpty }

        enum CodingKeys: String, CodingKey { case files, edited, added, removed, unreadable, ok }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(files, forKey: .files)
            try c.encode(edited, forKey: .edited)
            try c.encode(added, forKey: .added)
            try c.encode(removed, forKey: .removed)
            try c.encode(unreadable, forKey: .unreadable)
            try c.encode(ok, forKey: .ok)
        }
    }

    func run() throws {
        let report: Report
        do {
            report = try verify()
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

    func verify() throws -> Report {
        try project.layout.requireProject()
        let files = try project.layout.migrationFiles()
        var report = Report(files: files.count)
        let sum = try project.layout.readSum() ?? MigrationSum()
        for p in sum.problems(files: files) {
            switch p {
            case let .edited(f): report.edited.append(f)
            case let .added(f): report.added.append(f)
            case let .removed(f): report.removed.append(f)
            }
        }
        for f in files {
            let text = String(decoding: f.contents, as: UTF8.self)
            do {
                _ = try MigrationFile.parseHeader(text, file: "migrations/" + f.name)
                _ = try MigrationFile.statements(in: text, file: "migrations/" + f.name)
            } catch {
                report.unreadable.append(String(describing: error).components(separatedBy: "\n")[0])
            }
        }
        return report
    }
}
