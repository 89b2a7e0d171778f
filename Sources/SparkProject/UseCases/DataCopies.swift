import Foundation
import SparkInfer
import SparkLoad
import SparkModel
import SparkPlan

/// The standardized copies `spark plan` keeps of a wave's inputs:
/// `data/<client>/<platform>/<year>/<client>_<platform>_<year>_wave<N>.csv` (`_2`, `_3`… for a
/// wave's further files, `_naming_keys` for the naming-keys table). Migrations name the copy, so
/// the project holds every file it loads under a name that says what it is.
public struct DataCopy {
    /// The file as given on the command line.
    public var source: String
    /// Relative to the project root.
    public var destination: String

    public init(source: String, destination: String) {
        self.source = source
        self.destination = destination
    }
}

public enum DataCopies {
    public static func destinations(for target: PlanTarget, count: Int) -> [String] {
        let folder = "data/\(target.client.lowercased())/\(target.platform.lowercased())/\(target.year)"
        return (0..<count).map { i in "\(folder)/\(target.slug)\(i == 0 ? "" : "_\(i + 1)").csv" }
    }

    /// Refuses a copy whose name already holds a different file: a corrected export must be planned as a new wave.
    public static func checkExisting(_ copies: [DataCopy], sha256: [String], root: URL) throws {
        for (copy, sha) in zip(copies, sha256) {
            let path = root.appendingPathComponent(copy.destination).path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let existing = try FileHash.sha256(path: path)
            guard existing == sha else {
                throw Diagnostic.project(file: copy.destination, line: 1,
                                   message: "already holds a different file (SHA-256 \(existing.prefix(12))…) than \(copy.source) (\(sha.prefix(12))…)",
                                   hint: "a corrected export is a new wave: plan it with the next --wave number; never replace a planned file")
            }
        }
    }

    /// Copies each source that is not in place yet (through ``createExclusively(at:reportingAs:hint:fill:)``).
    /// Returns the files it created, for undoing.
    public static func materialize(_ copies: [DataCopy], sha256: [String], root: URL, observer: some WorkObserver) throws -> [URL] {
        var created: [URL] = []
        do {
            for (copy, sha) in zip(copies, sha256) {
                let url = root.appendingPathComponent(copy.destination)
                if FileManager.default.fileExists(atPath: url.path) { continue }
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                // A symbolic link is copied as its target's bytes: the copy must not change when the link does.
                let source = URL(fileURLWithPath: copy.source).resolvingSymlinksInPath().path
                if isSymbolicLink(copy.source) {
                    observer.note("\(copy.source) is a symbolic link; \(copy.destination) holds the bytes of its target, \(source)")
                }
                try createExclusively(at: url, reportingAs: copy.destination, hint: "check the folder's permissions") { tmp in
                    try FileManager.default.copyItem(atPath: source, toPath: tmp.path)
                    guard try FileHash.sha256(path: tmp.path) == sha else {
                        throw Diagnostic.project(file: copy.source, line: 1, message: "changed while spark was planning it",
                                           hint: "wait until the file is complete, then plan again")
                    }
                }
                created.append(url)
            }
            return created
        } catch {
            for url in created { unlink(url.path) }
            throw error
        }
    }
}

public func isSymbolicLink(_ path: String) -> Bool {
    var st = stat()
    return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
}

/// Temporary files (`.<name>.tmp-<pid>`, `.<name>.rebuild-<pid>`) that a spark killed midway
/// left behind: a plan removes those of processes that are gone before it writes.
public enum LeftoverFiles {
    /// Removes them from `folder`, saying which; the files of live processes stay.
    public static func remove(in folder: URL, shownAs prefix: String, observer: some WorkObserver) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() where name.hasPrefix(".") {
            guard let dash = name.lastIndex(of: "-"), let pid = pid_t(name[name.index(after: dash)...]),
                  name[..<dash].hasSuffix(".tmp") || name[..<dash].hasSuffix(".rebuild") else { continue }
            guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
            if unlink(folder.appendingPathComponent(name).path) == 0 {
                observer.note("removed \(prefix)\(name), left by a spark (pid \(pid)) that was stopped")
            }
        }
    }
}

/// The rejects files of `--bad-rows reject`, beside the standardized copies:
/// `data/<client>/<platform>/<year>/<slug>.rejects.csv`.
public enum RejectsFiles {
    /// Gives each input with rejected rows its rejects file; returns the files' contents by path.
    public static func attach(to request: inout PlanRequest, destinations: [String]) -> [String: Data] {
        var out: [String: Data] = [:]
        for i in request.inputs.indices {
            let rows = request.inputs[i].profile.rejectedRows
            guard !rows.isEmpty else {
                request.inputs[i].rejects = nil
                continue
            }
            let path = String(destinations[i].dropLast(".csv".count)) + ".rejects.csv"
            let data = RejectsFileFormat.contents(rows)
            request.inputs[i].rejects = RejectsFile(path: path, sha256: FileHash.sha256(data), rows: rows.count)
            out[path] = data
        }
        return out
    }

    /// Writes the rejects files the migration names; one already there must hold the same bytes.
    public static func write(_ files: [RejectsFile], contents: [String: Data], root: URL) throws -> [URL] {
        var created: [URL] = []
        do {
            for f in files {
                guard let data = contents[f.path] else { continue }
                let url = root.appendingPathComponent(f.path)
                if FileManager.default.fileExists(atPath: url.path) {
                    guard try FileHash.sha256(path: url.path) == f.sha256 else {
                        throw Diagnostic.project(file: f.path, line: 1, message: "already holds a different rejects file",
                                           hint: "it belongs to an earlier plan of this wave; plan the file as a new wave")
                    }
                    continue
                }
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try createExclusively(data, at: url)
                created.append(url)
            }
            return created
        } catch {
            for url in created { unlink(url.path) }
            throw error
        }
    }
}
