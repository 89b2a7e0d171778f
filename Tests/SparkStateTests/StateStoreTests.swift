import Foundation
import SparkModel
@testable import SparkState
import Testing

@Suite("state.sqlite")
struct StateStoreTests {
    static let table = TableRef(database: "DB", schema: "CLIENT_A_META_2024", table: "PROCESSED_CAMPAIGN_DATA")

    static func header(_ version: Int, _ changes: [Change]) -> MigrationHeader {
        MigrationHeader(version: version, description: "a_meta_2024_wave\(version)", client: "A", platform: "META", year: 2024,
                        wave: version, database: "DB", schema: "CLIENT_A_META_2024", changes: changes)
    }

    static let create: [Change] = [
        .createSchema(CreateSchema(database: "DB", schema: "CLIENT_A_META_2024", client: "A", platform: "META", year: 2024)),
        .createTable(CreateTable(table: table, kind: .campaign, columns: [
            ColumnDefinition(name: "SPEND", type: .number(precision: 10, scale: 2),
                             provenance: Provenance(rawHeader: "Spend", firstFile: "w1.csv", firstWave: 1)),
            ColumnDefinition(name: "SPARK_WAVE", type: .number(precision: 38, scale: 0)),
        ])),
    ]

    static func load(_ sha: String, wave: Int, digits: Int) -> Change {
        .loadFile(LoadFile(table: table, wave: wave, path: "w\(wave).csv", sha256: sha, bytes: 10, rows: 3,
                           dialect: Dialect(encoding: .utf8, delimiter: 44, headerLine: 1),
                           columns: [LoadColumn(sourceIndex: 0, rawHeader: "Spend", column: "SPEND", inferredType: .number(precision: 38, scale: 2),
                                                columnType: .number(precision: 10, scale: 2), nulls: 0,
                                                facts: ValueFacts(maxIntegerDigits: digits, maxScale: 2, maxLength: 7))],
                           constants: [], canonicalPath: ".spark/staging/\(sha).csv.gz", stage: "S", stagePath: "wave\(wave)/\(sha).csv.gz",
                           rawStageFolder: "raw/\(sha)/", fileFormat: "F"))
    }

    @Test func emptyStateKnowsNothing() throws {
        let store = try StateStore()
        let known = try store.read { try $0.load(database: "DB", schema: "CLIENT_A_META_2024") }
        #expect(known == .empty)
    }

    @Test func recordedChangesAreWhatLoadReturns() throws {
        let store = try StateStore()
        try store.withExclusiveLock { db in
            try db.record(header: Self.header(1, Self.create + [Self.load("aa", wave: 1, digits: 4)]), fileName: "V0001__a.sql", checksum: "c1")
            try db.record(header: Self.header(2, [
                .addColumn(AddColumn(table: Self.table, column: ColumnDefinition(name: "REACH", type: .number(precision: 38, scale: 0),
                                                                                 provenance: Provenance(rawHeader: "Reach", firstFile: "w2.csv", firstWave: 2)))),
                .rewriteColumn(RewriteColumn(table: Self.table, column: "SPEND", from: .number(precision: 10, scale: 2), to: .number(precision: 38, scale: 4),
                                             temporaryName: "SPEND__SPARK_REWRITE", file: "w2.csv", evidence: nil)),
                Self.load("bb", wave: 2, digits: 6),
            ]), fileName: "V0002__a.sql", checksum: "c2")
        }
        let known = try store.read { try $0.load(database: "DB", schema: "CLIENT_A_META_2024") }
        #expect(known.databaseKnown)
        #expect(known.latestVersion == 2)
        let table = try #require(known.schema?.table("PROCESSED_CAMPAIGN_DATA"))
        // The rewritten column moves last, as ADD + DROP + RENAME leaves it in Snowflake.
        #expect(table.columns.map(\.name) == ["SPARK_WAVE", "REACH", "SPEND"])
        #expect(table.columns.map(\.position) == [1, 2, 3])
        let spend = try #require(table.column("SPEND"))
        #expect(spend.type == .number(precision: 38, scale: 4))
        #expect(spend.facts.maxIntegerDigits == 6, "facts are the largest over all loads")
        #expect(spend.provenance?.rawHeader == "Spend")
        #expect(known.schema?.files.keys.sorted() == ["aa", "bb"])
        #expect(known.schema?.files["bb"]?.version == 2)
        #expect(try store.read { try $0.writtenMigrations() }.map(\.checksum) == ["c1", "c2"])
    }

    @Test func conflictingMigrationsAreRefusedAndRolledBack() throws {
        let store = try StateStore()
        try store.withExclusiveLock { try $0.record(header: Self.header(1, Self.create), fileName: "V0001__a.sql", checksum: "c") }
        #expect(throws: StateError.self) {
            try store.withExclusiveLock { try $0.record(header: Self.header(2, Self.create), fileName: "V0002__a.sql", checksum: "c") }
        }
        #expect(try store.read { try $0.writtenMigrations() }.count == 1)
    }

    @Test func stateFileSurvivesReopen() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try StateStore(path: path).withExclusiveLock { try $0.record(header: Self.header(1, Self.create), fileName: "V0001__a.sql", checksum: "c") }
        let reopened = try StateStore(path: path)
        #expect(try reopened.canonicalDump().contains("name=\"CLIENT_A_META_2024\""))
    }

    @Test func rebuildFromHeadersEqualsRecordedState() throws {
        let h1 = Self.header(1, Self.create + [Self.load("aa", wave: 1, digits: 4)])
        let h2 = Self.header(2, [.widenColumn(WidenColumn(table: Self.table, column: "SPEND", from: .number(precision: 10, scale: 2),
                                                          to: .number(precision: 38, scale: 2), file: "w2.csv", evidence: nil))])
        let a = try StateStore()
        try a.withExclusiveLock { db in
            for h in [h1, h2] { try db.record(header: h, fileName: h.name.fileName, checksum: "sum\(h.version)") }
        }
        let b = try StateStore()
        // Given out of order on purpose: rebuild sorts by version.
        try b.rebuild(from: [h2, h1].map {
            MigrationSource(fileName: $0.name.fileName, text: try MigrationFile.renderHeader($0) + "\nSELECT 1;\n", checksum: "sum\($0.version)")
        })
        #expect(try a.canonicalDump() == b.canonicalDump())
    }

    @Test func rebuildNamesTheBrokenFile() throws {
        let store = try StateStore()
        #expect(throws: MigrationFileError.noHeader(file: "migrations/V0001__x.sql")) {
            try store.rebuild(from: [MigrationSource(fileName: "V0001__x.sql", text: "SELECT 1;\n", checksum: "c")])
        }
    }
}
