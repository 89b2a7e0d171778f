import SparkModel
import Testing

@Suite struct IdentifierTests {
    @Test(arguments: [
        ("Amount spent (USD)", "AMOUNT_SPENT_USD"),
        ("Video plays at 25%", "VIDEO_PLAYS_AT_25_PCT"),
        ("CPM (cost per 1,000 impressions) (USD)", "CPM_COST_PER_1_000_IMPRESSIONS_USD"),
        ("  Clicks  ", "CLICKS"),
        ("Coût par résultat", "COUT_PAR_RESULTAT"),
        ("2024 Budget", "COL_2024_BUDGET"),
        ("x\"; DROP TABLE y; --", "X_DROP_TABLE_Y"),
        ("Impr.", "IMPR"),
    ])
    func normalizes(header: String, expected: String) {
        #expect(Identifier.normalize(header, position: 1) == expected)
    }

    @Test func emptyOrSymbolOnlyHeadersUseThePosition() {
        #expect(Identifier.normalize("", position: 5) == "COL_5")
        #expect(Identifier.normalize("!!!", position: 2) == "COL_2")
        #expect(Identifier.normalize("広告費", position: 3) == "COL_3")
    }

    @Test func duplicatesGetDeterministicSuffixes() {
        #expect(Identifier.uniqueNames(for: ["Clicks", "clicks", "Clicks "]) == ["CLICKS", "CLICKS_2", "CLICKS_3"])
        // A header that is literally CLICKS_2 keeps its name; the generated suffix skips it.
        #expect(Identifier.uniqueNames(for: ["Clicks", "clicks", "Clicks_2"]) == ["CLICKS", "CLICKS_3", "CLICKS_2"])
        let long = String(repeating: "A", count: 300)
        let names = Identifier.uniqueNames(for: [long, long])
        #expect(names[0].count == 255 && names[1].count == 255 && names[0] != names[1])
    }

    @Test func quotingDoublesEmbeddedQuotes() {
        #expect(Identifier.quoted("A\"B") == "\"A\"\"B\"")
        #expect(Identifier.quoted("PLAIN") == "\"PLAIN\"")
    }
}

@Suite struct SnowflakeTypeTests {
    @Test func spellingRoundTrips() {
        let all: [SnowflakeType] = [.number(precision: 38, scale: 2), .float, .boolean, .date, .timestampNTZ, .timestampTZ, .varchar(length: nil), .varchar(length: 20)]
        for t in all { #expect(SnowflakeType(snowflake: t.description) == t) }
    }

    @Test func readsSynonymsSnowflakeReports() {
        #expect(SnowflakeType(snowflake: "TEXT") == .varchar(length: nil))
        #expect(SnowflakeType(snowflake: "VARCHAR(16777216)") == .varchar(length: nil))
        #expect(SnowflakeType(snowflake: "NUMBER(10, 2)") == .number(precision: 10, scale: 2))
        #expect(SnowflakeType(snowflake: "INT") == .number(precision: 38, scale: 0))
        #expect(SnowflakeType(snowflake: "DOUBLE") == .float)
        #expect(SnowflakeType(snowflake: "GEOGRAPHY") == nil)
        #expect(SnowflakeType(snowflake: "NUMBER(1,2,3)") == nil)
    }
}
