import Foundation
import SparkTestSupport
import SparkEmit
import SparkModel
import Testing

@Suite("emit")
struct EmitterTests {
    static let table = TableRef(database: "SPARK_DB", schema: "CLIENT_X_META_2024", table: "PROCESSED_CAMPAIGN_DATA")
    static let hostile = "x\"; DROP TABLE y; --"

    static func header(_ changes: [Change]) -> MigrationHeader {
        MigrationHeader(version: 2, description: "x_meta_2024_wave2", client: "X", platform: "META", year: 2024, wave: 2,
                        database: "SPARK_DB", schema: "CLIENT_X_META_2024", changes: changes)
    }

    /// One change of every kind that emits SQL, with hostile text wherever a file can put text.
    static let everyKind: [Change] = [
        .createDatabase(CreateDatabase(database: "SPARK_DB")),
        .createSchema(CreateSchema(database: "SPARK_DB", schema: "CLIENT_X_META_2024", client: "X", platform: "META", year: 2024)),
        .createTable(CreateTable(table: table, kind: .campaign, columns: [
            ColumnDefinition(name: "X_DROP_TABLE_Y", type: .varchar(length: nil), provenance: Provenance(rawHeader: hostile + "\n'; x", firstFile: "a'b.csv", firstWave: 1)),
            ColumnDefinition(name: "SPARK_LOADED_AT", type: .timestampNTZ, defaultExpression: "CURRENT_TIMESTAMP()"),
        ])),
        .createFileFormat(CreateFileFormat(database: "SPARK_DB", schema: "CLIENT_X_META_2024", name: "SPARK_CANONICAL_CSV")),
        .createStage(CreateStage(database: "SPARK_DB", schema: "CLIENT_X_META_2024", name: "CLIENT_X_META_2024_STAGE", fileFormat: "SPARK_CANONICAL_CSV")),
        .createRole(CreateRole(role: "CLIENT_X_META_2024_RW", schema: "CLIENT_X_META_2024", access: .readWrite, parentRole: "SYSADMIN")),
        .grant(Grant(privileges: [], object: .role, objectName: ["CLIENT_X_META_2024_RW"], role: "SYSADMIN")),
        .grant(Grant(privileges: ["SELECT", "INSERT"], object: .futureTables, objectName: ["SPARK_DB", "CLIENT_X_META_2024"], role: "CLIENT_X_META_2024_RW")),
        .addColumn(AddColumn(table: table, column: ColumnDefinition(name: "A\"B", type: .number(precision: 38, scale: 0),
                                                                    provenance: Provenance(rawHeader: hostile, firstFile: "dir\\w2.csv", firstWave: 2)))),
        .widenColumn(WidenColumn(table: table, column: "NAME", from: .varchar(length: 20), to: .varchar(length: nil), file: "w2.csv", evidence: nil)),
        .rewriteColumn(RewriteColumn(table: table, column: "SPEND", from: .number(precision: 38, scale: 0), to: .number(precision: 38, scale: 2),
                                     temporaryName: "SPEND__SPARK_REWRITE", file: "w2.csv", evidence: Evidence(line: 3, value: "1.5"))),
        .keepColumn(KeepColumn(table: table, column: "OLD", type: .date, file: "w2\n;DROP.csv")),
        .loadFile(LoadFile(table: table, wave: 2, path: "data/it's; here.csv", sha256: String(repeating: "e", count: 64), bytes: 9, rows: 2,
                           dialect: Dialect(encoding: .utf16LE, delimiter: 9, headerLine: 3),
                           columns: [LoadColumn(sourceIndex: 0, rawHeader: hostile, column: "X_DROP_TABLE_Y", inferredType: .varchar(length: nil),
                                                columnType: .varchar(length: nil), nulls: 0, facts: ValueFacts(maxLength: 3))],
                           constants: [LoadConstant(column: "SPARK_WAVE", value: "2")],
                           canonicalPath: ".spark/staging/e.csv.gz", stage: "CLIENT_X_META_2024_STAGE",
                           stagePath: "wave2/" + String(repeating: "e", count: 64) + ".csv.gz",
                           rawStageFolder: "raw/" + String(repeating: "e", count: 64) + "/", fileFormat: "SPARK_CANONICAL_CSV")),
        .skipFile(SkipFile(path: "w1.csv", sha256: "aa", plannedIn: "V0001", wave: 2)),
    ]

    @Test func everyTemplateRendersValidSnowflakeSQL() async throws {
        let m = try Emitter.render(Self.header(Self.everyKind), templates: TemplateSet())
        #expect(m.fileName == "V0002__x_meta_2024_wave2.sql")
        // 1 database, 1 schema, 1 table, 1 file format, 1 stage, 1 role, 2 grants, 1 add, 1 widen, 4 rewrite, 4 load.
        #expect(m.statements.count == 18)
        #expect(!m.statements.contains { $0.sql.uppercased().hasPrefix("DROP TABLE") })
        try await SQLGlot.expectValid(m.statements.map(\.sql), whole: m.contents, file: m.fileName)
        #expect(try MigrationFile.parseHeader(m.contents, file: m.fileName) == m.header)
        #expect(m.contents.contains("ALTER TABLE \"SPARK_DB\".\"CLIENT_X_META_2024\".\"PROCESSED_CAMPAIGN_DATA\" ADD COLUMN IF NOT EXISTS \"A\"\"B\" NUMBER(38,0) COMMENT 'source header: x\"; DROP TABLE y; --; first file: dir\\\\w2.csv; first wave: 2';"))
        #expect(m.contents.contains("PUT 'file://data/it''s; here.csv' @\"SPARK_DB\".\"CLIENT_X_META_2024\".\"CLIENT_X_META_2024_STAGE\"/raw/"))
    }

    @Test func outputIsByteIdentical() async throws {
        let a = try Emitter.render(Self.header(Self.everyKind), templates: TemplateSet())
        let b = try Emitter.render(Self.header(Self.everyKind), templates: TemplateSet())
        #expect(a.contents == b.contents)
    }

    @Test func aProjectTemplateOverridesOneKind() async throws {
        let templates = try TemplateSet(overrides: ["add_column.sql.mustache": "ALTER TABLE {{table}} ADD COLUMN IF NOT EXISTS {{column}} {{type}};\n"])
        let m = try Emitter.render(Self.header(Array(Self.everyKind[8...9])), templates: templates)
        #expect(m.statements.map(\.sql) == [
            "ALTER TABLE \"SPARK_DB\".\"CLIENT_X_META_2024\".\"PROCESSED_CAMPAIGN_DATA\" ADD COLUMN IF NOT EXISTS \"A\"\"B\" NUMBER(38,0)",
            "ALTER TABLE \"SPARK_DB\".\"CLIENT_X_META_2024\".\"PROCESSED_CAMPAIGN_DATA\" ALTER COLUMN \"NAME\" SET DATA TYPE VARCHAR",
        ])
    }

    @Test func badTemplatesNameTheFile() async throws {
        #expect(throws: EmitError.self) { try TemplateSet(overrides: ["nope.sql.mustache": "x"]) }
        #expect(throws: EmitError.badOutput(template: "templates/add_column.sql.mustache",
                                            message: "templates/add_column.sql.mustache:1: statement has no terminating `;` (or an unclosed quote or comment)\nhint: end every statement with `;`")) {
            try Emitter.render(Self.header([Self.everyKind[8]]), templates: TemplateSet(overrides: ["add_column.sql.mustache": "ALTER TABLE {{table}} ADD 'x"]))
        }
    }

    @Test func literalsNeverSpanLines() {
        #expect(SQLText.literal("a'b\\c\nd\u{1}") == "'a''b\\\\c\\nd\\x01'")
        #expect(SQLText.qualified(["a\"b", "c"]) == "\"a\"\"b\".\"c\"")
    }
}

@Suite("spark.sum")
struct MigrationSumTests {
    let files: [(name: String, contents: Data)] = [
        ("V0001__a.sql", Data("one;\n".utf8)), ("V0002__b.sql", Data("two;\n".utf8)), ("V0003__c.sql", Data("three;\n".utf8)),
    ]

    @Test func roundTripsAndMatches() async throws {
        let sum = MigrationSum(files: files)
        let parsed = try MigrationSum.parse(sum.render())
        #expect(parsed == sum)
        #expect(parsed.problems(files: files).isEmpty)
        var appended = MigrationSum(files: Array(files.prefix(2)))
        appended.append(name: files[2].name, contents: files[2].contents)
        #expect(appended == sum)
    }

    @Test func pinsEditsAddsAndRemovals() async throws {
        let sum = MigrationSum(files: Array(files.prefix(2)))
        var changed = files
        changed[0].contents = Data("ONE;\n".utf8)
        changed.remove(at: 1)
        #expect(sum.problems(files: changed) == [.edited("V0001__a.sql"), .removed("V0002__b.sql"), .added("V0003__c.sql")])
    }

    @Test func aHandEditedSumIsCaught() async throws {
        let text = MigrationSum(files: files).render()
        let edited = text.replacingOccurrences(of: "V0002__b.sql", with: "V0002__z.sql")
        #expect(throws: SumError.sumEdited) { try MigrationSum.parse(edited) }
        #expect(throws: SumError.malformed(line: 2)) { try MigrationSum.parse("h1:x\nnot a line\n") }
    }
}
