import SparkModel
import Testing

@Suite("fits into")
struct TypeFitTests {
    func facts(digits: Int = 0, scale: Int = 0, length: Int = 0) -> ValueFacts {
        ValueFacts(maxIntegerDigits: digits, maxScale: scale, maxLength: length)
    }

    @Test func numberThatFitsNeedsNoChange() {
        // Inference says NUMBER(38,0); the values have 5 digits, which NUMBER(10,2) holds.
        #expect(SnowflakeType.number(precision: 10, scale: 2).fit(of: .number(precision: 38, scale: 0), facts: facts(digits: 5)) == .fits)
        #expect(SnowflakeType.number(precision: 10, scale: 2).fit(of: .number(precision: 38, scale: 2), facts: facts(digits: 8, scale: 2)) == .fits)
    }

    @Test func moreIntegerDigitsWidenPrecisionAtTheSameScale() {
        #expect(SnowflakeType.number(precision: 10, scale: 2).fit(of: .number(precision: 38, scale: 0), facts: facts(digits: 9))
                == .widen(to: .number(precision: 38, scale: 2)))
    }

    @Test func moreDecimalsIsAScaleChangeAndIncompatible() {
        guard case let .incompatible(reason, to) = SnowflakeType.number(precision: 38, scale: 0)
            .fit(of: .number(precision: 38, scale: 2), facts: facts(digits: 4, scale: 2), known: facts(digits: 6)) else {
            Issue.record("expected incompatible"); return
        }
        #expect(reason.contains("scale"))
        #expect(to == .number(precision: 38, scale: 2))
    }

    @Test func scaleChangeWithoutRoomBecomesFloat() {
        guard case let .incompatible(_, to) = SnowflakeType.number(precision: 38, scale: 0)
            .fit(of: .number(precision: 38, scale: 4), facts: facts(digits: 4, scale: 4), known: facts(digits: 36)) else {
            Issue.record("expected incompatible"); return
        }
        #expect(to == .float)
    }

    @Test func varcharLengths() {
        #expect(SnowflakeType.varchar(length: 20).fit(of: .varchar(length: nil), facts: facts(length: 20)) == .fits)
        #expect(SnowflakeType.varchar(length: 20).fit(of: .varchar(length: nil), facts: facts(length: 21)) == .widen(to: .varchar(length: nil)))
        #expect(SnowflakeType.varchar(length: nil).fit(of: .number(precision: 38, scale: 2), facts: facts(digits: 30, scale: 2, length: 33)) == .fits)
    }

    @Test func familyChanges() {
        if case .incompatible(_, .varchar(nil)) = SnowflakeType.number(precision: 38, scale: 0).fit(of: .varchar(length: nil), facts: facts(length: 3)) {} else {
            Issue.record("NUMBER ← VARCHAR must be a rewrite to VARCHAR")
        }
        if case .incompatible(_, .float) = SnowflakeType.number(precision: 38, scale: 0).fit(of: .float, facts: facts()) {} else {
            Issue.record("NUMBER ← FLOAT must be a rewrite to FLOAT")
        }
        #expect(SnowflakeType.float.fit(of: .number(precision: 38, scale: 3), facts: facts(digits: 2, scale: 3)) == .fits)
        #expect(SnowflakeType.timestampNTZ.fit(of: .date, facts: facts()) == .fits)
        if case .incompatible(_, .timestampNTZ) = SnowflakeType.date.fit(of: .timestampNTZ, facts: facts()) {} else {
            Issue.record("DATE ← TIMESTAMP_NTZ must be a rewrite to TIMESTAMP_NTZ")
        }
        #expect(SnowflakeType.boolean.fit(of: .boolean, facts: facts()) == .fits)
    }
}
