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
            print(try discard(), terminator: "")
        } catch {
            throw fail(error)
        }
    }

    func discard() throws -> String {
        try project.layout.requireProject()
        let (names, sum, _) = try project.layout.verifiedMigrations()
        guard let last = names.last, let lastVersion = MigrationName(fileName: last)?.version else {
            throw CommandError(command: "discard", message: "migrations/ has no migrations", hint: "there is nothing to discard")
        }
        let from = try firstVersion(default: lastVersion, names: names)
        let parsed = names.map { (name: $0, version: MigrationName(fileName: $0)!.version) }
        let removed = parsed.filter { $0.version >= from }.map(\.name)
        let kept = parsed.filter { $0.version < from }.map(\.name)
        try refuseApplied(removed)

        let files = try project.layout.migrationFiles()
        let contents = Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.contents) })
        func headers(_ names: [String]) throws -> [MigrationHeader] {
            try names.map { try MigrationFile.parseHeader(String(decoding: contents[$0]!, as: UTF8.self), file: "migrations/" + $0) }
        }
        let stillNamed = Set(try headers(kept).flatMap(Self.dataFiles))
        let copies = Set(try headers(removed).flatMap { h in Self.dataFiles(h).filter { Self.isCopy($0, of: h) } })
            .subtracting(stillNamed).sorted()
            .filter { FileManager.default.fileExists(atPath: project.root.appendingPathComponent($0).path) }

        var out = ""
        let verb = dryRun ? "Would remove" : "Removed"
        for name in removed { out += "\(verb) migrations/\(name)\n" }
        for path in copies { out += "\(verb) \(path)\n" }
        if dryRun { return out + "Dry run: nothing removed.\n" }

        // Everything that can fail without changing anything comes first: the new state is built
        // beside the old one from the migrations that remain.
        let keptFiles = files.filter { kept.contains($0.name) }
        let newSum = MigrationSum(entries: Array(sum.entries.prefix(kept.count)))
        let rebuilt = try project.layout.rebuildState(files: keptFiles, sum: newSum, keepingApplied: true)
        defer { unlink(rebuilt.path) }
        if kept.isEmpty { unlink(project.sumURL.path) } else { try writeAtomically(Data(newSum.render().utf8), to: project.sumURL) }
        for name in removed.reversed() { unlink(project.migrationsDir.appendingPathComponent(name).path) }
        try rebuilt.replaceState()
        for path in copies {
            let url = project.root.appendingPathComponent(path)
            unlink(url.path)
            // Folders the copies leave empty go too, up to data/.
            var dir = url.deletingLastPathComponent()
            while dir.path.hasPrefix(project.root.appendingPathComponent("data").path + "/"), rmdir(dir.path) == 0 {
                dir = dir.deletingLastPathComponent()
            }
        }
        return out + "Rebuilt \(project.state ?? "state.sqlite") from \(kept.count) migration\(kept.count == 1 ? "" : "s").\n"
    }

    /// VERSION as a number, `V0007`, or a file name; it must be one of `names`.
    func firstVersion(default last: Int, names: [String]) throws -> Int {
        guard let version else { return last }
        let number = Project.versionNumber(version)
        guard let number, names.contains(where: { MigrationName(fileName: $0)?.version == number }) else {
            throw CommandError(command: "discard", message: "there is no migration \(version)",
                               hint: "pass the version of a migration in migrations/, e.g. `spark discard \(MigrationName(fileName: names.last!)!.version)`")
        }
        return number
    }

    /// Refuses when state.sqlite records any target having run (or started) one of `names`.
    func refuseApplied(_ names: [String]) throws {
        guard FileManager.default.fileExists(atPath: project.statePath) else { return }
        let versions = names.compactMap { MigrationName(fileName: $0)?.version }
        let applied = try StateStore(path: project.statePath).applied(fromVersion: versions.min() ?? 0)
        guard let first = applied.first else { return }
        let name = names.first { MigrationName(fileName: $0)?.version == first.version } ?? "V\(first.version)"
        let more = applied.count > 1 ? " (and \(applied.count - 1) more)" : ""
        throw ProjectError(file: "migrations/\(name)", line: 0,
                           message: "\(first.status == MigrationStatus.applied.rawValue ? "applied" : "run (\(first.status))") on \(first.target)\(more); only migrations no target has run can be discarded",
                           hint: "undo it with a new migration instead (e.g. `spark drop` for a schema planned by mistake)")
    }

    /// The data files a migration loads: the copies and their rejects files.
    static func dataFiles(_ header: MigrationHeader) -> [String] {
        header.changes.flatMap { change -> [String] in
            guard case let .loadFile(l) = change else { return [] }
            return [l.path] + (l.rejects.map { [$0.path] } ?? [])
        }
    }

    /// True for the copies `spark plan` made for this migration (`data/<client>/<platform>/<year>/<slug>…`),
    /// not a file `--no-copy` loads from where the user keeps it.
    static func isCopy(_ path: String, of header: MigrationHeader) -> Bool {
        let folder = "data/\(header.client.lowercased())/\(header.platform.lowercased())/\(header.year)/"
        return path.hasPrefix(folder) && path.dropFirst(folder.count).hasPrefix(header.description) && !path.dropFirst(folder.count).contains("/")
    }
}
