import Foundation
import SparkEmit
import SparkModel
import SparkState

/// What `spark discard` removed, or in a dry run would remove.
public struct DiscardOutcome: Encodable, Sendable {
    /// The migration files, in order.
    public var migrations: [String]
    /// The data/ copies (and rejects files) no remaining migration loads.
    public var dataFiles: [String]
    /// How many migrations remain.
    public var kept: Int
    public var dryRun: Bool
}

extension Project {
    /// `spark discard [VERSION]`: removes the last migrations before any target applied them, as
    /// `atlas migrate rm` does: the files, their data copies, their spark.sum lines and their
    /// state (rebuilt from the migrations that remain). Refused for a migration any target has
    /// run, as state.sqlite records it.
    /// - Parameter version: the first migration to remove (`7`, `V0007` or its file name); nil for the last.
    public func discard(from version: String?, dryRun: Bool, observer: some WorkObserver = QuietObserver()) throws -> DiscardOutcome {
        try requireProject()
        let (names, sum, _) = try verifiedMigrations()
        guard let last = names.last, let lastVersion = MigrationName(fileName: last)?.version else {
            throw Diagnostic.refused(command: "discard", message: "migrations/ has no migrations", hint: "there is nothing to discard")
        }
        let from = try firstVersion(version, default: lastVersion, names: names)
        let parsed = names.map { (name: $0, version: MigrationName(fileName: $0)!.version) }
        let removed = parsed.filter { $0.version >= from }.map(\.name)
        let kept = parsed.filter { $0.version < from }.map(\.name)
        try refuseApplied(removed)

        let files = try migrationFiles()
        let contents = Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.contents) })
        func headers(_ names: [String]) throws -> [MigrationHeader] {
            try names.map { try MigrationFile.parseHeader(String(decoding: contents[$0]!, as: UTF8.self), file: "migrations/" + $0) }
        }
        let stillNamed = Set(try headers(kept).flatMap(Self.dataFiles))
        let copies = Set(try headers(removed).flatMap { h in Self.dataFiles(h).filter { Self.isCopy($0, of: h) } })
            .subtracting(stillNamed).sorted()
            .filter { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path) }

        let outcome = DiscardOutcome(migrations: removed, dataFiles: copies, kept: kept.count, dryRun: dryRun)
        if dryRun { return outcome }

        // Everything that can fail without changing anything comes first: the new state is built
        // beside the old one from the migrations that remain.
        let keptFiles = files.filter { kept.contains($0.name) }
        let newSum = MigrationSum(entries: Array(sum.entries.prefix(kept.count)))
        let rebuilt = try rebuildState(files: keptFiles, sum: newSum, keepingApplied: true, observer: observer)
        defer { unlink(rebuilt.path) }
        if kept.isEmpty { unlink(sumURL.path) } else { try writeAtomically(Data(newSum.render().utf8), to: sumURL) }
        for name in removed.reversed() { unlink(migrationsDir.appendingPathComponent(name).path) }
        try rebuilt.replaceState()
        for path in copies {
            let url = root.appendingPathComponent(path)
            unlink(url.path)
            // Folders the copies leave empty go too, up to data/.
            var dir = url.deletingLastPathComponent()
            while dir.path.hasPrefix(root.appendingPathComponent("data").path + "/"), rmdir(dir.path) == 0 {
                dir = dir.deletingLastPathComponent()
            }
        }
        return outcome
    }

    /// VERSION as a number, `V0007`, or a file name; it must be one of `names`.
    private func firstVersion(_ version: String?, default last: Int, names: [String]) throws -> Int {
        guard let version else { return last }
        let number = Project.versionNumber(version)
        guard let number, names.contains(where: { MigrationName(fileName: $0)?.version == number }) else {
            throw Diagnostic.refused(command: "discard", message: "there is no migration \(version)",
                               hint: "pass the version of a migration in migrations/, e.g. `spark discard \(MigrationName(fileName: names.last!)!.version)`")
        }
        return number
    }

    /// Refuses when state.sqlite records any target having run (or started) one of `names`.
    private func refuseApplied(_ names: [String]) throws {
        guard FileManager.default.fileExists(atPath: statePath) else { return }
        let versions = names.compactMap { MigrationName(fileName: $0)?.version }
        let applied = try StateStore(path: statePath).applied(fromVersion: versions.min() ?? 0)
        guard let first = applied.first else { return }
        let name = names.first { MigrationName(fileName: $0)?.version == first.version } ?? "V\(first.version)"
        let more = applied.count > 1 ? " (and \(applied.count - 1) more)" : ""
        throw Diagnostic.project(file: "migrations/\(name)", line: 0,
                           message: "\(first.status == MigrationStatus.applied.rawValue ? "applied" : "run (\(first.status))") on \(first.target)\(more); only migrations no target has run can be discarded",
                           hint: "undo it with a new migration instead (e.g. `spark drop` for a schema planned by mistake)")
    }

    /// The data files a migration loads: the copies and their rejects files.
    private static func dataFiles(_ header: MigrationHeader) -> [String] {
        header.changes.flatMap { change -> [String] in
            guard case let .loadFile(l) = change else { return [] }
            return [l.path] + (l.rejects.map { [$0.path] } ?? [])
        }
    }

    /// True for the copies `spark plan` made for this migration (`data/<client>/<platform>/<year>/<slug>…`),
    /// not a file `--no-copy` loads from where the user keeps it.
    private static func isCopy(_ path: String, of header: MigrationHeader) -> Bool {
        let folder = "data/\(header.client.lowercased())/\(header.platform.lowercased())/\(header.year)/"
        return path.hasPrefix(folder) && path.dropFirst(folder.count).hasPrefix(header.description) && !path.dropFirst(folder.count).contains("/")
    }
}
