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
                try project.layout.requireProject()
                let files = try project.layout.migrationFiles()
                let sum = try project.layout.readSum() ?? MigrationSum()
                if let p = sum.problems(files: files).first {
                    throw ProjectError(file: p.fileName, line: 1, message: p.message,
                                       hint: "restore migrations/ from git; `spark verify` lists every difference")
                }
                let rebuilt = try project.layout.rebuildState(files: files, sum: sum)
                defer { unlink(rebuilt.path) }
                try rebuilt.replaceState()
                print("Rebuilt \(project.state ?? "state.sqlite") from \(files.count) migration\(files.count == 1 ? "" : "s").")
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
                    throw ProjectError(file: project.statePath, line: 1, message: "no state file",
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

/// A state.sqlite rebuilt from migrations/ into a file beside the state, not yet in its place.
struct RebuiltState {
    var path: String
    var target: String
    var migrations: Int

    /// Puts it in place of the state in one rename.
    func replaceState() throws {
        guard rename(path, target) == 0 else {
            throw ProjectError(file: target, line: 1, message: "cannot replace: \(String(cString: strerror(errno)))",
                               hint: "check the folder's permissions")
        }
    }
}

extension Project {
    /// Replays the headers of `files` (already checked against `sum`) into a new state beside
    /// state.sqlite, with the row hashes re-exports are checked against computed from the data
    /// files. With `keepingApplied`, what each target has applied is carried over from the old state.
    func rebuildState(files: [(name: String, contents: Data)], sum: MigrationSum, keepingApplied: Bool = false) throws -> RebuiltState {
        let target = URL(fileURLWithPath: statePath)
        let tmp = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).rebuild-\(getpid())")
        unlink(tmp.path)
        do {
            let store = try StateStore(path: tmp.path)
            let sources = zip(files, sum.entries).map { file, entry in
                MigrationSource(fileName: file.name, text: String(decoding: file.contents, as: UTF8.self), checksum: entry.hash)
            }
            try store.rebuild(from: sources)
            var headers: [Int: MigrationHeader] = [:]
            for s in sources {
                let header = try MigrationFile.parseHeader(s.text, file: "migrations/" + s.fileName)
                headers[header.version] = header
            }
            let missing = try ContentChecks.restore(store, headers: headers, root: root, nullMarkers: try settings().effectiveNullMarkers)
            for path in missing {
                FileHandle.standardError.write(Data("warning: \(path) is missing: a later plan cannot find rows it already loaded in a file exported again\n".utf8))
            }
            if keepingApplied, FileManager.default.fileExists(atPath: statePath) {
                try StateStore(path: statePath).copyTargets(to: store)
            }
            try store.close()
            return RebuiltState(path: tmp.path, target: target.path, migrations: files.count)
        } catch {
            unlink(tmp.path)
            throw error
        }
    }
}
