import ArgumentParser
import Foundation
import SparkProject
import SparkEmit
import SparkModel
import SparkState

/// `spark discard [VERSION]`: removes the last migrations before any target applied them, as
/// `atlas migrate rm` does: the files, their data copies, their spark.sum lines and their state.
struct DiscardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discard",
        abstract: "Remove the last migrations, from VERSION to the end, before they are applied.",
        discussion: """
            Removes migrations/V<VERSION>… and every later migration, the data/ copies they load \
            that no remaining migration loads, and their lines in spark.sum, then rebuilds \
            state.sqlite from the migrations that remain. Refused when state.sqlite records that \
            any target has run one of them (run `spark status --connection NAME` first to bring \
            that record up to date): an applied migration is undone by a new one. Without VERSION, \
            the last migration.

            Examples:
              spark discard              # the last migration
              spark discard 7            # V0007 and every later one
              spark discard --dry-run 7
            """)

    @OptionGroup var project: ProjectOptions
    @Flag(help: "Show what would be removed; remove nothing.") var dryRun = false
    @Argument(help: ArgumentHelp("The first migration to remove: 7, V0007 or its file name (default: the last).", valueName: "version"))
    var version: String?

    func run() throws {
        do {
            print(render(try project.layout.discard(from: version, dryRun: dryRun, observer: CLIObserver())), terminator: "")
        } catch {
            throw fail(error)
        }
    }

    func render(_ d: DiscardOutcome) -> String {
        var out = ""
        let verb = d.dryRun ? "Would remove" : "Removed"
        for name in d.migrations { out += "\(verb) migrations/\(name)\n" }
        for path in d.dataFiles { out += "\(verb) \(path)\n" }
        if d.dryRun { return out + "Dry run: nothing removed.\n" }
        return out + "Rebuilt \(project.state ?? "state.sqlite") from \(d.kept) migration\(d.kept == 1 ? "" : "s").\n"
    }
}
