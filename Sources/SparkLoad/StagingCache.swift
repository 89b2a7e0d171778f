import Foundation
import SparkInfer
import SparkModel

/// The canonical copies `spark apply` keeps under `.spark/staging/` between runs.
///
/// A copy is filed under everything that shapes its bytes (``key(_:)``): the source's SHA-256, its
/// dialect and left-out lines, every column's position, name, type, date layout, null markers
/// and decimal mark, the constants (wave, source path) and the writer's version. The same file
/// planned for two clients, or again after a drop with other types, therefore never shares a
/// copy. Beside each copy, `<copy>.sha256` records the copy's own SHA-256 when it was written;
/// a copy is reused only when its bytes still hash to that, and is written again otherwise.
/// Apply also records, in the target's `SPARK_HISTORY.STAGED_SHA256`, the SHA-256 of every copy
/// it staged.
public enum StagingCache {
    /// The folder, relative to the project.
    public static let folder = ".spark/staging"

    /// Bumped whenever the canonical writer's output for the same spec changes.
    public static let writerVersion = "spark-canonical-2"

    /// The name of the copy `spec` gives, a SHA-256 over what shapes it.
    public static func key(_ spec: CanonicalSpec) -> String {
        var lines = [writerVersion, "source \(spec.sha256)"]
        let d = spec.dialect
        lines.append("dialect \(d.encoding.rawValue) \(d.delimiter) \(d.headerLine) \(d.headerRowCount) \(d.decimalSeparator?.rawValue ?? "-")")
        lines.append("skipped " + spec.skippedLines.sorted().map(String.init).joined(separator: ","))
        for c in spec.columns {
            lines.append("column \(c.sourceIndex) \(c.name.debugDescription) \(c.type) \(c.dateFormat?.rawValue ?? "-") \(c.decimalSeparator.rawValue) \(c.nullMarkers.map(\.debugDescription).joined(separator: ","))")
        }
        for c in spec.constants { lines.append("constant \(c.name.debugDescription) \(c.value.debugDescription)") }
        return FileHash.sha256(Data(lines.joined(separator: "\n").utf8))
    }

    /// Where the copy of `spec` lives in the staging folder `folder`: `<key>/<source SHA-256>.csv.gz`.
    /// The file keeps the name the migration's COPY reads from the stage, as PUT names the staged
    /// file after the local one.
    public static func path(of spec: CanonicalSpec, in folder: URL) -> URL {
        folder.appendingPathComponent(key(spec)).appendingPathComponent("\(spec.sha256).csv.gz")
    }

    /// The SHA-256 of the copy at `path` when it is complete and untouched: its bytes hash to
    /// what was recorded when it was written. nil otherwise.
    public static func intactSHA256(_ path: URL) -> String? {
        guard let recorded = try? String(contentsOf: recordURL(path), encoding: .utf8),
              let actual = try? FileHash.sha256(path: path.path),
              recorded.trimmingCharacters(in: .whitespacesAndNewlines) == actual else { return nil }
        return actual
    }

    /// Writes the copy of `spec` at `path`, unless an intact one is there. Returns the copy's
    /// SHA-256, and what the writer did when it wrote (nil when the copy was reused).
    public static func ensure(_ spec: CanonicalSpec, at path: URL) throws(LoadError) -> (sha256: String, written: CanonicalWriter.Result?) {
        if let sha = intactSHA256(path) { return (sha, nil) }
        // A copy without its record, or changed since: neither is trusted.
        remove(path)
        do {
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw LoadError(path: path.deletingLastPathComponent().path, message: "cannot create the folder: \(error.localizedDescription)", hint: "check the permissions")
        }
        let result = try CanonicalWriter.write(spec, to: path.path)
        let sha: String
        do { sha = try FileHash.sha256(path: path.path) } catch {
            throw LoadError(path: path.path, message: error.message, hint: error.hint)
        }
        // The record appears only once complete (written aside, then renamed).
        let record = recordURL(path)
        let temporary = record.path + ".partial-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data((sha + "\n").utf8)), rename(temporary, record.path) == 0 else {
            unlink(temporary)
            throw LoadError(path: record.path, message: "cannot record the copy's SHA-256", hint: "check the disk and permissions")
        }
        return (sha, result)
    }

    /// Removes a copy and its record.
    public static func remove(_ path: URL) {
        unlink(path.path)
        unlink(recordURL(path).path)
    }

    static func recordURL(_ path: URL) -> URL { URL(fileURLWithPath: path.path + ".sha256") }
}
