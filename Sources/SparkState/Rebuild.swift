import Foundation
import GRDB
import SparkModel

/// One migration file as read from `migrations/`.
public struct MigrationSource: Sendable, Hashable {
    public var fileName: String
    public var text: String
    /// The file's spark.sum chain hash.
    public var checksum: String

    public init(fileName: String, text: String, checksum: String) {
        self.fileName = fileName
        self.text = text
        self.checksum = checksum
    }
}

extension StateStore {
    /// Recreates the state from migration files alone, in version order. The state must be empty.
    ///
    /// Throws the first unreadable header or conflict, naming the file and line.
    public func rebuild(from migrations: [MigrationSource]) throws {
        let sorted = try migrations.map { m -> (MigrationName, MigrationSource) in
            guard let name = MigrationName(fileName: m.fileName) else {
                throw StateError.conflict(file: "migrations/" + m.fileName, message: "not a migration name (expected V<NNNN>__<description>.sql)")
            }
            return (name, m)
        }.sorted { $0.0 < $1.0 }
        try withExclusiveLock { db in
            for (_, m) in sorted {
                let header = try MigrationFile.parseHeader(m.text, file: "migrations/" + m.fileName)
                try db.record(header: header, fileName: m.fileName, checksum: m.checksum)
            }
        }
    }
}
