import Crypto
import Foundation
import SparkModel

/// A migration file of the project, read and split into statements.
public struct LocalMigration: Sendable {
    public var fileName: String
    public var header: MigrationHeader
    public var statements: [MigrationStatement]
    /// SHA-256 of the file's bytes: what the target's history records and compares.
    public var checksum: String
    /// A short hash (16 hex digits of SHA-256) of each statement's text, as the history records
    /// them for the statements applied so far. Computed once: progress is recorded many times.
    public let statementHashes: [String]

    public var version: Int { header.version }


    public init(fileName: String, contents: Data) throws {
        let text = String(decoding: contents, as: UTF8.self)
        let file = "migrations/\(fileName)"
        header = try MigrationFile.parseHeader(text, file: file)
        statements = try MigrationFile.statements(in: text, file: file)
        self.fileName = fileName
        checksum = SHA256.hash(data: contents).map { String(format: "%02x", $0) }.joined()
        statementHashes = statements.map { SHA256.hash(data: Data($0.sql.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined() }
    }

    /// Whether the migration drops data or objects (`spark drop`): `spark apply` asks before running it.
    public var isDestructive: Bool {
        header.changes.contains { $0.isDestructive }
    }

    /// The schemas this migration drops.
    public var droppedSchemas: [String] {
        header.changes.compactMap { if case let .dropSchema(d) = $0 { d.schema } else { nil } }
    }
}
