import Foundation
import SparkEmit
import SparkModel
import SparkPlan

/// `spark watch INBOX`: exports dropped into a folder, named by the standard nomenclature, are
/// planned (and with `apply`, applied) as they arrive. Each file ends in `INBOX/done/` once
/// planned (or found already planned), or in `INBOX/refused/` beside `<name>.why.txt`, which
/// holds the diagnostic.
public struct Inbox: Sendable {
    /// The folder as the user named it: files are planned (and named in messages) as `<path>/<name>`.
    public let path: String
    public var folder: URL { URL(fileURLWithPath: path) }
    /// How long a file's size must stay the same before it is taken: a file still being written
    /// (an SFTP upload, a copy) is left for a later round.
    public var settle: Duration

    public init(path: String, settle: Duration = .seconds(2)) {
        self.path = path
        self.settle = settle
    }

    public var done: URL { folder.appendingPathComponent("done") }
    public var refused: URL { folder.appendingPathComponent("refused") }

    /// What became of one file.
    public struct Outcome: Sendable {
        public enum Result: Sendable {
            /// Planned: the migration written.
            case planned(EmittedMigration)
            /// Every change it would make is planned already (the same file dropped again).
            case alreadyPlanned
            case refused(Diagnostic)
        }

        /// The file's name in the inbox.
        public var file: String
        public var result: Result
        /// Where the file went, relative to the inbox (`done/…`, `refused/…`).
        public var movedTo: String
    }

    /// The `.csv` files in the inbox whose size held still for ``settle``, in the order they
    /// are planned: naming keys before the campaign files of their wave, then by name.
    public func settledFiles() async throws -> [String] {
        func sizes() -> [String: Int] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            var out: [String: Int] = [:]
            for name in names where name.lowercased().hasSuffix(".csv") && !name.hasPrefix(".") {
                var st = stat()
                guard stat(folder.appendingPathComponent(name).path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
                out[name] = Int(st.st_size)
            }
            return out
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Diagnostic(code: "watch.no_inbox", file: folder.path, message: "no such folder",
                             hint: "pass the folder exports are dropped into, e.g. `spark watch inbox/`")
        }
        let first = sizes()
        guard !first.isEmpty else { return [] }
        try await Task.sleep(for: settle)
        let second = sizes()
        let settled = first.keys.filter { second[$0] == first[$0] }
        // The suffix alone says naming keys: parsing the whole name would need spark.toml's
        // extra platforms, and without them a taboola keys file would sort after its wave.
        func keysFirst(_ name: String) -> Int { name.lowercased().hasSuffix("_naming_keys.csv") ? 0 : 1 }
        return settled.sorted { (keysFirst($0), $0) < (keysFirst($1), $1) }
    }

    /// Plans one file of the inbox with the identity its name gives, then moves it: to `done/`
    /// when planned or already planned, to `refused/` with `<name>.why.txt` otherwise. The
    /// plan's data copy under data/ keeps the file's bytes; the inbox only holds what arrived.
    public func take(_ name: String, project: Project, read: ReadOverrides = ReadOverrides(),
                     observer: some WorkObserver = QuietObserver()) throws -> Outcome {
        let path = (self.path.hasSuffix("/") ? self.path : self.path + "/") + name
        var result: Outcome.Result
        do {
            let identity = try WaveIdentity.resolve(WaveFlags(), files: [name], settings: try project.settings(), command: "watch")
            var request = WaveRequest(schema: identity.schema, wave: identity.wave, table: identity.table, files: [path])
            request.read = read
            let outcome = try project.planWave(request, observer: observer)
            result = outcome.migration.map { .planned($0) } ?? .alreadyPlanned
        } catch let refused as PlanRefused {
            result = .refused(refused.diagnostic)
        } catch let d as any DiagnosticConvertible {
            result = .refused(d.diagnostic)
        } catch {
            result = .refused(Diagnostic(code: "watch.error", file: name, message: String(describing: error)))
        }
        let target: URL
        if case let .refused(d) = result {
            target = try Self.move(path, into: refused)
            try Data((d.description + "\n").utf8)
                .write(to: target.appendingPathExtension("why.txt"))
        } else {
            target = try Self.move(path, into: done)
        }
        return Outcome(file: name, result: result, movedTo: target.deletingLastPathComponent().lastPathComponent + "/" + target.lastPathComponent)
    }

    /// Moves `path` into `folder` (made when missing) under its own name, or `<stem>-2.csv`,
    /// `-3`… when that name is taken (the same export dropped twice).
    static func move(_ path: String, into folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent
        let ext = url.pathExtension
        var target = folder.appendingPathComponent(url.lastPathComponent)
        var n = 2
        while FileManager.default.fileExists(atPath: target.path) {
            target = folder.appendingPathComponent("\(stem)-\(n).\(ext)")
            n += 1
        }
        guard rename(path, target.path) == 0 else {
            throw Diagnostic.project(file: path, line: 0, message: "cannot move it to \(target.path): \(String(cString: strerror(errno)))",
                                     hint: "check the inbox folder's permissions")
        }
        return target
    }
}
