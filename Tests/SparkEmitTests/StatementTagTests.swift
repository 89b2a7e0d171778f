import Foundation
import SparkEmit
import SparkModel
import Testing

/// Every statement the emitter writes carries its role and the change it belongs to; a
/// customised template cannot leave out a step spark's guards rest on.
@Suite struct StatementTagTests {
    static let changes = EmitterTests.everyKind
    static var load: Change { changes.first { $0.kind == .loadFile }! }
    static var table: Change { changes.first { $0.kind == .createTable }! }

    @Test func everyStatementNamesItsChangeAndRole() throws {
        let m = try Emitter.render(EmitterTests.header(Self.changes), templates: TemplateSet())
        #expect(!m.statements.isEmpty)
        for s in m.statements {
            let step = try #require(s.step, "line \(s.line): \(s.sql.prefix(40))")
            let change = Self.changes[step.change - 1]
            #expect(change.kind.statementRoles.contains(step.role), "\(change.kind) has no \(step.role)")
        }
        // Each change's statements, by role, in the order its template writes them.
        let roles = { (kind: Change.Kind) in m.statements.filter { Self.changes[$0.step!.change - 1].kind == kind }.map(\.step!.role) }
        #expect(roles(.loadFile) == [.putCanonical, .putRaw, .copy, .logLoad])
        #expect(roles(.rewriteColumn) == [.rewriteAdd, .rewriteFill, .rewriteDrop, .rewriteRename])
        // The template's role lines are gone; only step lines remain.
        #expect(!m.contents.contains(MigrationFile.rolePrefix))
    }

    func render(_ change: Change, template: String) throws -> EmittedMigration {
        let templates = try TemplateSet(overrides: [TemplateSet.fileName(change.kind): template])
        return try Emitter.render(EmitterTests.header([change]), templates: templates)
    }

    static let loadWithoutCopy = """
        -- spark:role put_canonical
        PUT {{canonicalFile}} @{{stage}}/{{canonicalFolder}} AUTO_COMPRESS = FALSE OVERWRITE = FALSE;
        -- spark:role put_raw
        PUT {{rawFile}} @{{stage}}/{{rawFolder}} AUTO_COMPRESS = TRUE OVERWRITE = FALSE;
        -- spark:role log_load
        INSERT INTO {{log}} ("TABLE_NAME") SELECT {{tableName}};
        """

    @Test func aLoadTemplateWithoutItsCopyIsRefused() throws {
        let error = try #require(throws: EmitError.self) { try render(Self.load, template: Self.loadWithoutCopy) }
        #expect("\(error)".contains("the copy statement is missing"), "\(error)")
        #expect("\(error)".contains("templates/load_file.sql.mustache"), "\(error)")
    }

    @Test func aLoadStatementWithoutItsRoleLineIsRefused() throws {
        let template = Self.loadWithoutCopy + "\ncopy into {{table}} ({{columns}}) from @{{stage}}/{{stagePath}};\n"
        let error = try #require(throws: EmitError.self) { try render(Self.load, template: template) }
        #expect("\(error)".contains("line 7 of its output: the statement has no `-- spark:role` line"), "\(error)")
    }

    /// The role, not the text, decides: a COPY written in lower case is still the guarded copy.
    @Test func aCopyInAnySpellingIsTaggedByItsRole() throws {
        let template = Self.loadWithoutCopy + "\n-- spark:role copy\ncopy into {{table}} ({{columns}}) from @{{stage}}/{{stagePath}};\n"
        let m = try render(Self.load, template: template)
        let copy = try #require(m.statements.first { $0.step?.role == .copy })
        #expect(copy.sql.hasPrefix("copy into"))
        #expect(copy.step == StatementTag(change: 1, role: .copy))
    }

    @Test func aRoleOfAnotherKindIsRefusedAndCustomStatementsAreKept() throws {
        let wrong = "-- spark:role copy\nCREATE TABLE IF NOT EXISTS {{table}} (X INT);\n"
        let error = try #require(throws: EmitError.self) { try render(Self.table, template: wrong) }
        #expect("\(error)".contains("is not a role of a create_table statement"), "\(error)")

        let extra = "CREATE TABLE IF NOT EXISTS {{table}} (X INT);\n-- spark:role custom\nALTER TABLE {{table}} SET DATA_RETENTION_TIME_IN_DAYS = 7;\n"
        let m = try render(Self.table, template: extra)
        #expect(m.statements.map(\.step?.role) == [.createTable, .custom])
        #expect(StatementRole.custom.isRepeatable == false, "spark records progress after a statement it knows nothing of")
    }

    @Test func twoStatementsOnOneLineAreRefused() throws {
        #expect(throws: EmitError.self) { try render(Self.table, template: "CREATE TABLE IF NOT EXISTS {{table}} (X INT); SELECT 1;\n") }
    }

    @Test func aStepLineIsReadBackAndABadOneNamesItsLine() throws {
        let text = "-- spark:step 3 copy\nCOPY INTO t FROM @s;\n\n-- spark:step 2 nonsense\nSELECT 1;\n"
        let error = try #require(throws: MigrationFileError.self) { try MigrationFile.statements(in: text, file: "migrations/V0001__x.sql") }
        #expect("\(error)".hasPrefix("migrations/V0001__x.sql:4: unreadable step line"), "\(error)")
        let good = try MigrationFile.statements(in: "-- spark:step 3 copy\nCOPY INTO t FROM @s;\nSELECT 1;\n", file: "x")
        #expect(good.map(\.step) == [StatementTag(change: 3, role: .copy), nil])
    }
}
