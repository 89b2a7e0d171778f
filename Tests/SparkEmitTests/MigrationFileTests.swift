import SparkModel
import Testing

@Suite("migration file layout")
struct MigrationFileTests {
    @Test func names() {
        let n = MigrationName(fileName: "V0007__byd_meta_2024_wave3.sql")
        #expect(n == MigrationName(version: 7, description: "byd_meta_2024_wave3"))
        #expect(n?.fileName == "V0007__byd_meta_2024_wave3.sql")
        #expect(MigrationName(version: 12345, description: "x").fileName == "V12345__x.sql")
        #expect(MigrationName(fileName: "V__x.sql") == nil)
        #expect(MigrationName(fileName: "R0001__x.sql") == nil)
        #expect(MigrationName(fileName: "V0001__.sql") == nil)
    }

    @Test func splitsOnSemicolonsOutsideQuotesAndComments() throws {
        let sql = """
            -- a comment; with a semicolon
            CREATE TABLE "a;b" ("x;" NUMBER COMMENT 'it''s; \\' fine');
            /* block; comment */
            SELECT $$ dollar; quoted $$, 'two
            lines;';
            -- trailing comment only
            """
        let s = try MigrationFile.statements(in: sql, file: "f.sql")
        #expect(s.map(\.line) == [2, 4])
        #expect(s[0].sql == "CREATE TABLE \"a;b\" (\"x;\" NUMBER COMMENT 'it''s; \\' fine')")
        #expect(s[1].sql.hasPrefix("SELECT $$ dollar; quoted $$"))
    }

    @Test func unterminatedStatementsNameTheLine() {
        #expect(throws: MigrationFileError.unterminated(file: "f.sql", line: 2)) {
            try MigrationFile.statements(in: "SELECT 1;\nSELECT 'open;\n", file: "f.sql")
        }
        #expect(throws: MigrationFileError.unterminated(file: "f.sql", line: 1)) {
            try MigrationFile.statements(in: "SELECT 1", file: "f.sql")
        }
    }

    @Test func headerRoundTrips() throws {
        let header = MigrationHeader(version: 3, description: "x_y_2024_wave3", client: "X", platform: "Y", year: 2024, wave: 3,
                                     database: "DB", schema: "CLIENT_X_Y_2024",
                                     changes: [.skipFile(SkipFile(path: "a\nb.csv", sha256: "ab", plannedIn: "V0001", wave: 3))])
        let text = try MigrationFile.renderHeader(header)
        #expect(text.split(separator: "\n").count == 3, "a header line never breaks, even for a path with a newline")
        #expect(try MigrationFile.parseHeader(text + "\nSELECT 1;\n", file: "migrations/V0003__x_y_2024_wave3.sql") == header)
        #expect(throws: MigrationFileError.versionMismatch(file: "migrations/V0004__x.sql", header: 3)) {
            try MigrationFile.parseHeader(text, file: "migrations/V0004__x.sql")
        }
    }
}
