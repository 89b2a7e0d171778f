import Foundation
import SparkEmit
import SparkModel
import SparkState

/// A state.sqlite rebuilt from migrations/ into a file beside the state, not yet in its place.
struct RebuiltState {
    var path: String
    var target: String
    var migrations: Int

    /// Puts it in place of the state in one rename.
    func replaceState() throws {
        guard rename(path, target) == 0 else {
            throw Diagnostic.project(file: target, line: 1, message: "cannot replace: \(String(cString: strerror(errno)))",
                               hint: "check the folder's permissions")
        }
    }
}

extension Project {
    /// `spark state rebuild`: checks migrations/ against spark.sum, replays every migration's
    /// header into a new state and puts it in place of the old one in one rename. What each
    /// target has applied is not in migrations/ and starts empty. Returns the migrations replayed.
    public func rebuildState(observer: some WorkObserver = QuietObserver()) throws -> Int {
        try requireProject()
        let files = try migrationFiles()
        let sum = try readSum() ?? MigrationSum()
        if let p = sum.problems(files: files).first {
            throw Diagnostic.project(file: p.fileName, line: 1, message: p.message,
                               hint: "restore migrations/ from git; `spark verify` lists every difference")
        }
        let rebuilt = try rebuildState(files: files, sum: sum, observer: observer)
        defer { unlink(rebuilt.path) }
        try rebuilt.replaceState()
        return files.count
    }

    /// Replays the headers of `files` (already checked against `sum`) into a new state beside
    /// state.sqlite, with the row hashes re-exports are checked against computed from the data
    /// files. With `keepingApplied`, what each target has applied is carried over from the old state.
    func rebuildState(files: [(name: String, contents: Data)], sum: MigrationSum, keepingApplied: Bool = false, observer: some WorkObserver) throws -> RebuiltState {
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
                observer.warning("\(path) is missing: a later plan cannot find rows it already loaded in a file exported again")
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
