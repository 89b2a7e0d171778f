import Foundation
import SparkLoad
import SparkModel
import SparkPlan
import SparkState

/// Re-exports: the same rows in other bytes. `spark plan` skips a file whose rows an earlier
/// file of the table already holds all of (by its content fingerprint), and refuses one that
/// shares some rows with earlier waves unless `--allow-duplicate-rows`; the row hashes it needs
/// are kept in state.sqlite, and `spark state rebuild` computes them again from data/.
public enum ContentChecks {
    /// The content digest of each input, as its load will map and type its columns. The plan
    /// against an empty state gives the loads' column names and inferred types, which do not
    /// depend on the state.
    public static func digests(_ request: PlanRequest, sources: [String], nullMarkers: [String]) throws -> [ContentDigest] {
        var bare = request
        bare.inputs = request.inputs.map { PlanInput(profile: $0.profile, path: $0.path) }
        let loads = try Planner.plan(bare, state: .empty).changes.compactMap { if case let .loadFile(l) = $0 { l } else { nil } }
        return try zip(request.inputs, sources).map { input, source in
            guard let load = loads.first(where: { $0.path == input.path }) else {
                throw Diagnostic.project(file: source, line: 1, message: "no load was planned for the file", hint: "report this as a bug")
            }
            return try ContentDigest.of(CanonicalSpec(digesting: load, source: source, skippedLines: input.profile.skippedLines,
                                                      nullMarkers: nullMarkers))
        }
    }

    /// Throws a diagnostic (`plan.rows_loaded_before`) for the first load of `plan` sharing rows with earlier loads of its
    /// table (recorded in state.sqlite, or earlier in this plan), naming the file as given
    /// (`sources`: the load's path → the file on the command line).
    public static func refuseOverlaps(_ plan: Plan, digests: [String: ContentDigest], sources: [String: String], db: StateTransaction) throws {
        var seen: [String: [(what: String, hashes: Set<UInt64>)]] = [:]
        for change in plan.changes {
            guard case let .loadFile(l) = change, let digest = digests[l.path] else { continue }
            let key = l.table.table
            if seen[key] == nil {
                seen[key] = try db.plannedRows(database: l.table.database, schema: l.table.schema, table: key).map {
                    ("wave \($0.wave) (\($0.path))", Set(ContentDigest.unpack($0.hashes)))
                }
            }
            var best: (what: String, count: Int, line: Int)?
            for earlier in seen[key]! {
                var count = 0
                var first: Int?
                for (h, line) in zip(digest.rowHashes, digest.lines) where earlier.hashes.contains(h) {
                    count += 1
                    if first == nil { first = line }
                }
                if count > 0 && count > (best?.count ?? 0) { best = (earlier.what, count, first!) }
            }
            if let best {
                let rows = digest.rowHashes.count
                throw Diagnostic(code: "plan.rows_loaded_before", file: sources[l.path] ?? l.path, line: best.line,
                                 message: "\(best.count) of \(rows) row\(rows == 1 ? " was" : "s were") already loaded by \(best.what); this row is the first of them",
                                 hint: "a report exported again holds rows loaded before: plan only the new rows, or pass --allow-duplicate-rows if the same rows must load again")
            }
            seen[key]!.append(("wave \(l.wave) (\(l.path), this plan)", Set(digest.rowHashes)))
        }
    }

    /// Records the row hashes of every file `plan` loads.
    public static func record(_ plan: Plan, digests: [String: ContentDigest], db: StateTransaction) throws {
        for change in plan.changes {
            guard case let .loadFile(l) = change, let digest = digests[l.path] else { continue }
            try db.saveRowHashes(database: l.table.database, schema: l.table.schema, table: l.table.table, sha256: l.sha256,
                                         hashes: ContentDigest.pack(digest.rowHashes))
        }
    }

    /// After `spark state rebuild`: the row hashes of every file the state knows, read again
    /// from the files the migrations name. A file that is gone is reported and left without.
    public static func restore(_ store: StateStore, headers: [Int: MigrationHeader], root: URL, nullMarkers: [String]) throws -> [String] {
        var missing: [String] = []
        try store.withExclusiveLock { db in
            for f in try db.plannedFiles() {
                let loads: [LoadFile] = (headers[f.version]?.changes ?? []).compactMap { change -> LoadFile? in
                    if case let .loadFile(l) = change { l } else { nil }
                }
                guard let load = loads.first(where: { $0.sha256 == f.sha256 && $0.table.schema == f.schema }) else { continue }
                let source = root.appendingPathComponent(load.path).path
                guard FileManager.default.fileExists(atPath: source) else {
                    missing.append(load.path)
                    continue
                }
                var skipped = load.summaryLines
                if let rejects = load.rejects {
                    skipped.formUnion(try RejectsFileFormat.lines(of: root.appendingPathComponent(rejects.path).path, sha256: rejects.sha256))
                }
                let digest = try ContentDigest.of(CanonicalSpec(digesting: load, source: source, skippedLines: skipped,
                                                                nullMarkers: load.nullMarkers ?? nullMarkers))
                try db.saveRowHashes(database: load.table.database, schema: load.table.schema, table: load.table.table,
                                             sha256: load.sha256, hashes: ContentDigest.pack(digest.rowHashes))
            }
        }
        return missing
    }
}
