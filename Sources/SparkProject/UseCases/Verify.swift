import Foundation
import SparkEmit
import SparkModel

/// What `spark verify` found: migrations/ against spark.sum, and each file's header and statements.
public struct VerifyReport: Encodable, Sendable {
    public var files: Int
    public var edited: [String] = []
    public var added: [String] = []
    public var removed: [String] = []
    public var unreadable: [String] = []
    public var ok: Bool { edited.isEmpty && added.isEmpty && removed.isEmpty && unreadable.isEmpty }

    enum CodingKeys: String, CodingKey { case files, edited, added, removed, unreadable, ok }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(files, forKey: .files)
        try c.encode(edited, forKey: .edited)
        try c.encode(added, forKey: .added)
        try c.encode(removed, forKey: .removed)
        try c.encode(unreadable, forKey: .unreadable)
        try c.encode(ok, forKey: .ok)
    }
}

extension Project {
    /// `spark verify`: every migration against spark.sum (edited, added, removed), and each one's
    /// header and statements readable.
    public func verify() throws -> VerifyReport {
        try requireProject()
        let files = try migrationFiles()
        var report = VerifyReport(files: files.count)
        let sum = try readSum() ?? MigrationSum()
        for p in sum.problems(files: files) {
            switch p {
            case let .edited(f): report.edited.append(f)
            case let .added(f): report.added.append(f)
            case let .removed(f): report.removed.append(f)
            }
        }
        for f in files {
            let text = String(decoding: f.contents, as: UTF8.self)
            do {
                _ = try MigrationFile.parseHeader(text, file: "migrations/" + f.name)
                _ = try MigrationFile.statements(in: text, file: "migrations/" + f.name)
            } catch {
                report.unreadable.append(String(describing: error).components(separatedBy: "\n")[0])
            }
        }
        return report
    }
}
