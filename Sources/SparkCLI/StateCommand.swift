import ArgumentParser
import Foundation
import SparkProject
import SparkEmit
import SparkModel
import SparkState

/// `spark state …`: state.sqlite maintenance.
struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Maintain state.sqlite, spark's local index of migrations/.",
        subcommands: [Rebuild.self, Dump.self])

    /// `spark state rebuild`: recreate state.sqlite from the migration headers alone.
    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rebuild",
            abstract: "Recreate state.sqlite from migrations/ alone.",
            discussion: """
                Checks migrations/ against spark.sum, then replays every migration's header into \
                a new state and puts it in place of the old one in one rename. What each target \
                has applied is not in migrations/ and starts empty.

                Example:
                  spark state rebuild --project .
                """)

        @OptionGroup var project: ProjectOptions

        func run() throws {
            do {
                let count = try project.layout.rebuildState(observer: CLIObserver())
                print("Rebuilt \(project.state ?? "state.sqlite") from \(count) migration\(count == 1 ? "" : "s").")
            } catch {
                throw fail(error)
            }
        }
    }

    /// `spark state dump`: the canonical text form of what the state knows, for diffs and tests.
    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dump",
            abstract: "Print state.sqlite as canonical text: one sorted line per row.",
            discussion: """
                Two states with the same dump know the same things; `spark state rebuild` must \
                give the dump of the state that `spark plan` built. Per-target apply history is left out. \
                `--format json` gives one array of row objects per table.

                Examples:
                  spark state dump
                  spark state dump --state state.sqlite.example --format json
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: "Output: text (one sorted line per row) or json.") var format: OutputFormat = .text

        func run() throws {
            do {
                try project.layout.requireProject()
                guard FileManager.default.fileExists(atPath: project.statePath) else {
                    throw Diagnostic.project(file: project.statePath, line: 1, message: "no state file",
                                       hint: "run `spark state rebuild` to create it from migrations/")
                }
                let store = try StateStore(path: project.statePath)
                guard format == .json else { return print(try store.canonicalDump(), terminator: "") }
                var object: [String: Any] = [:]
                for table in try store.dumpTables() {
                    object[table.name] = table.rows.map { row in
                        Dictionary(uniqueKeysWithValues: zip(table.columns, row).map { column, value -> (String, Any) in
                            switch value {
                            case nil: (column, NSNull())
                            case let d as Data: (column, d.base64EncodedString())
                            case let v?: (column, v)
                            }
                        })
                    }
                }
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            } catch {
                throw fail(error, json: format == .json)
            }
        }
    }
}
