import Foundation
import SparkTestSupport
@testable import SparkInfer
import SparkModel
import Testing

/// Writes `bytes` to a fresh temporary file and returns its path.
func temporaryFile(_ bytes: [UInt8], name: String = "input.csv") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spark-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

func infer(_ text: String) throws -> FileProfile {
    try Inferrer.profile(path: try temporaryFile(Array(text.utf8)))
}

func types(_ p: FileProfile) -> [String: String] {
    Dictionary(uniqueKeysWithValues: p.columns.map { ($0.name, $0.type.description) })
}

@Suite struct HoldoutShapeTests {
    static let golden = GoldenTests.root

    func profile(_ caseName: String) throws -> FileProfile {
        try Inferrer.profile(path: HoldoutShapeTests.golden.appendingPathComponent(caseName).appendingPathComponent("input.csv").path)
    }

    @Test func metaExport() throws {
        let p = try profile("meta_bom_multiline")
        #expect(p.dialect.encoding == .utf8BOM)
        #expect(p.rows == 40)
        let t = types(p)
        #expect(t["AMOUNT_SPENT_USD"] == "NUMBER(38,2)")
        #expect(t["COST_PER_RESULT"] == "NUMBER(38,2)")
        #expect(t["IMPRESSIONS"] == "NUMBER(38,0)")
        #expect(t["LINK_CLICKS"] == "NUMBER(38,0)")
        #expect(t["REPORTING_STARTS"] == "DATE")
        #expect(t["NOTES"] == "VARCHAR")
        // The multi-line notes are inside single records.
        #expect(p.columns.first { $0.name == "NOTES" }!.nulls == 36)
    }

    @Test func linkedInExport() throws {
        let p = try profile("linkedin_preamble")
        #expect(p.dialect.headerLine == 8)
        #expect(p.rows == 30)
        let t = types(p)
        #expect(t["START_DATE_IN_UTC"] == "DATE")
        #expect(p.columns[0].facts.dateFormat == .us)
        #expect(t["TOTAL_SPENT"] == "NUMBER(38,2)")
        #expect(t["CLICKS"] == "NUMBER(38,0)")
        #expect(t["CAMPAIGN_NAME"] == "VARCHAR")
    }

    @Test func googleAdsExport() throws {
        let p = try profile("google_ads_utf16")
        #expect(p.dialect.encoding == .utf16LE)
        #expect(p.dialect.delimiterString == "\t")
        #expect(p.dialect.headerLine == 3)
        #expect(p.rows == 30)
        let t = types(p)
        #expect(t["IMPR"] == "NUMBER(38,0)") // 1,234
        #expect(t["COST"] == "NUMBER(38,2)") // 12,345.67
        #expect(t["CTR"] == "NUMBER(38,2)") // 3.45%
        #expect(t["SEARCH_IMPR_SHARE"] == "NUMBER(38,2)") // 45.67% and --
        #expect(t["DAY"] == "DATE")
        let share = p.columns.first { $0.name == "SEARCH_IMPR_SHARE" }!
        #expect(share.nulls == 7 && share.facts.percent)
    }
}

@Suite struct LexerTests {
    func shape(_ s: String) -> LexedValue {
        var bytes = Array(s.utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { ValueLexer.lex($0.baseAddress!, $0.count - 1) }
    }

    /// The reading with `.` as the decimal mark.
    func dot(_ text: String) -> NumberReading? {
        guard case let .number(n) = shape(text).shape else { return nil }
        return n.dot
    }

    func comma(_ text: String) -> NumberReading? {
        guard case let .number(n) = shape(text).shape else { return nil }
        return n.comma
    }

    @Test(arguments: [
        ("0", 0, 0), ("42", 2, 0), ("-17", 2, 0), ("1,234", 4, 0), ("1,234,567.891", 7, 3), ("$1,234.50", 4, 2),
        ("-$5.00", 1, 2), ("€12.5", 2, 1), ("3.45%", 1, 2), ("0.0345", 0, 4), (".5", 0, 1), (" 12 ", 2, 0),
        ("1 234", 4, 0), ("1'234.50", 4, 2), ("CHF 1'234.50", 4, 2), ("US$ 12.00", 2, 2), ("12.5 %", 2, 1),
    ])
    func numbers(text: String, integerDigits: Int, scale: Int) {
        guard let r = dot(text) else {
            Issue.record("\(text) is not a number read with a decimal point: \(shape(text))")
            return
        }
        #expect(r.integerDigits == integerDigits && r.scale == scale, "\(text)")
    }

    /// Locale numbers, read with `,` as the decimal mark.
    @Test(arguments: [
        ("1.234,56", 4, 2), ("1.234.567", 7, 0), ("12,5", 2, 1), ("0,75", 0, 2), ("1 234,56 €", 4, 2), ("€ 1.234,56", 4, 2),
        ("1\u{202F}234,56\u{A0}€", 4, 2), ("12,34\u{A0}%", 2, 2), ("1\u{A0}234,56 zł", 4, 2), ("−12,5", 2, 1), ("1234,5", 4, 1),
        ("1,23", 1, 2), ("12,3456", 2, 4), (",123", 0, 3),
    ])
    func commaNumbers(text: String, integerDigits: Int, scale: Int) {
        guard let r = comma(text) else {
            Issue.record("\(text) is not a number read with a decimal comma: \(shape(text))")
            return
        }
        #expect(r.integerDigits == integerDigits && r.scale == scale, "\(text)")
    }

    /// Which marks read a value: the evidence a file's decimal mark is decided from.
    @Test func readingsDecideOrLeaveOpen() {
        #expect(dot("1.234,56") == nil && comma("1.234,56") != nil, "both marks: the last is the decimal one")
        #expect(dot("1,234.56") != nil && comma("1,234.56") == nil)
        #expect(dot("1.204.330") == nil && comma("1.204.330") != nil, "a mark used twice groups")
        #expect(dot("12.5") != nil && comma("12.5") == nil, "one or two digits after the mark: decimals")
        #expect(dot("1234.567") != nil && comma("1234.567") == nil, "four digits before the mark cannot be a group")
        #expect(dot("0.123") != nil && comma("0.123") == nil, "a group never starts with 0")
        guard case let .number(n) = shape("294.481").shape else {
            Issue.record("294.481 is not a number")
            return
        }
        #expect(n.isAmbiguous, "294.481 reads as 294.481 or 294481")
        #expect(n.dot == NumberReading(integerDigits: 3, scale: 3, hasPoint: true))
        #expect(n.comma?.integerDigits == 6 && n.comma?.scale == 0)
        guard case let .number(spaced) = shape("1 234").shape else { return }
        #expect(!spaced.isAmbiguous, "a space groups under both marks")
        #expect(shape("$12").currency != 0 && shape("$12").currency == shape("USD 12").currency)
        #expect(shape("€12").currency != shape("$12").currency)
    }

    @Test(arguments: ["007", "00.5", "1.2.3", "$", "abc", "12abc", "--5", "12 34", "1.234 567,8", "EURO 5",
                      "1,234.567,8", String(repeating: "9", count: 39)])
    func text(_ s: String) {
        #expect(shape(s).shape == .text, "\(s)")
    }

    @Test(arguments: ["NaN", "inf", "-inf", "Infinity"])
    func floats(_ s: String) {
        #expect(shape(s).shape == .float, "\(s)")
    }

    @Test(arguments: ["1e10", "-2.5E-3", "1,5E+03"])
    func scientific(_ s: String) {
        guard case let .number(n) = shape(s).shape else {
            Issue.record("\(s) is not a number")
            return
        }
        #expect(n.exponent, "\(s)")
    }

    /// The canonical form of a number under a decimal mark: digits, `.`, no grouping or signs of currency.
    @Test(arguments: [
        ("1.234,56 €", DecimalSeparator.comma, "1234.56"), ("294.481", .comma, "294481"), ("294.481", .point, "294.481"),
        ("CHF 1'234.50", .point, "1234.50"), ("-$1,234.50", .point, "-1234.50"), ("12,34 %", .comma, "12.34"), ("−0,5", .comma, "-0.5"),
        (",5", .comma, "0.5"), ("12.", .point, "12.0"), ("1,5E+03", .comma, "1.5e+03"), ("1\u{202F}234\u{202F}567", .comma, "1234567"),
    ])
    func canonicalNumbers(text: String, mark: DecimalSeparator, expected: String) {
        var bytes = Array(text.utf8)
        bytes.append(0)
        var out: [UInt8] = []
        let ok = bytes.withUnsafeBufferPointer { ValueLexer.appendCanonicalNumber($0.baseAddress!, $0.count - 1, decimal: mark, to: &out) }
        #expect(ok && String(decoding: out, as: UTF8.self) == expected, "\(text) under \(mark.rawValue): \(String(decoding: out, as: UTF8.self))")
    }

    @Test func datesAndTimestamps() {
        #expect(shape("2024-02-29").shape == .isoDate)
        #expect(shape("2023-02-29").shape == .text)
        #expect(shape("2024-13-01").shape == .text)
        #expect(shape("1/15/2024").shape == .localDate(LocalDate(first: 1, second: 15, year: 2024, style: .slash)))
        #expect(shape("05.03.2024").shape == .localDate(LocalDate(first: 5, second: 3, year: 2024, style: .dot)))
        #expect(shape("5.3.2024 14:30").shape == .localDate(LocalDate(first: 5, second: 3, year: 2024, style: .dot, time: TimeOfDay(hour: 14, minute: 30))))
        #expect(shape("05-03-2024").shape == .localDate(LocalDate(first: 5, second: 3, year: 2024, style: .dash)))
        #expect(shape("2024/03/05").shape == .localDate(LocalDate(first: 3, second: 5, year: 2024, style: .yearFirst)))
        #expect(shape("05.03.2024 25:00").shape == .text)
        #expect(shape("2024-01-15 10:30:00").shape == .timestamp(withZone: false))
        #expect(shape("2024-01-15T10:30").shape == .timestamp(withZone: false))
        #expect(shape("2024-01-15T10:30:00.123456789").shape == .timestamp(withZone: false))
        #expect(shape("2024-01-15T10:30:00Z").shape == .timestamp(withZone: true))
        #expect(shape("2024-01-15T10:30:00+05:30").shape == .timestamp(withZone: true))
        #expect(shape("2024-01-15T25:30:00").shape == .text)
    }

    @Test func booleansAndNulls() {
        #expect(shape("TRUE").shape == .boolean)
        #expect(shape("False").shape == .boolean)
        #expect(shape("yes").shape == .text)
        #expect(shape("   ").shape == .null)
    }
}

@Suite struct ColumnTypingTests {
    @Test func zeroAndOneAreNumbersNotBooleans() throws {
        #expect(types(try infer("a,b\n0,true\n1,false\n")) == ["A": "NUMBER(38,0)", "B": "BOOLEAN"])
    }

    @Test func aBadValueLateInTheFileIsSeen() throws {
        // The point of a full scan: a sampler would call this column NUMBER.
        var text = "id,spend\n"
        for i in 0..<100_000 { text += "\(i),\(i).25\n" }
        text += "100000,n.a.\n"
        let p = try infer(text)
        #expect(types(p)["SPEND"] == "VARCHAR")
        #expect(p.columns[1].facts.evidence == Evidence(line: 100_002, value: "n.a."))
    }

    @Test func scaleIsTheLargestSeen() throws {
        let p = try infer("x\n1\n2.5\n3.125\n")
        #expect(p.columns[0].type == .number(precision: 38, scale: 3))
        #expect(p.columns[0].facts.evidence?.line == 4)
    }

    @Test func mixedNumbersAndFloatsAreFloat() throws {
        #expect(types(try infer("x,y\n1,a\n2.5e3,b\n"))["X"] == "FLOAT")
    }

    @Test func tooManyDigitsForNumberIsFloat() throws {
        let big = String(repeating: "9", count: 37)
        #expect(types(try infer("x,y\n\(big).12,a\n"))["X"] == "FLOAT")
    }

    @Test func europeanDatesWhenADayAbove12ProvesIt() throws {
        let p = try infer("d,x\n1/2/2024,1\n25/12/2024,2\n")
        #expect(p.columns[0].type == .date && p.columns[0].facts.dateFormat == .european)
        #expect(p.warnings.isEmpty)
    }

    @Test func datesThatFitNeitherOrderAreText() throws {
        #expect(types(try infer("d,x\n13/1/2024,1\n1/13/2024,2\n"))["D"] == "VARCHAR")
    }

    @Test func timestampsWithAndWithoutZoneDoNotMix() throws {
        #expect(types(try infer("t,x\n2024-01-01 10:00:00,1\n2024-01-01 10:00:00Z,2\n"))["T"] == "VARCHAR")
        #expect(types(try infer("t,x\n2024-01-01,1\n2024-01-01 10:00:00,2\n"))["T"] == "TIMESTAMP_NTZ")
    }

    @Test func allNullColumnIsVarcharAndCountsNulls() throws {
        let p = try infer("a,b\n1,\n2,N/A\n3,--\n")
        #expect(p.columns[1].type == .varchar(length: nil) && p.columns[1].nulls == 3)
    }

    @Test func lengthsUndoubleManyQuotes() throws {
        // More doubled quotes than the scanner's 8-bit counter holds.
        let field = String(repeating: "\"\"", count: 300) + "x"
        let p = try infer("a,b\n\"\(field)\",1\n")
        #expect(p.columns[0].facts.maxLength == 301)
    }

    @Test func lengthsAreCharactersAndUndoubleQuotes() throws {
        let p = try infer("a,b\n\"He said \"\"hi\"\"\",1\nnaïve café,2\n")
        #expect(p.columns[0].facts.maxLength == 12)
        let q = try infer("a,b\nnaïve café,2\n")
        #expect(q.columns[0].facts.maxLength == 10)
    }

    @Test func shaAndByteCountCoverTheWholeFileAcrossManyWindows() throws {
        // Bigger than the 4 MiB window, so the hash runs over several asynchronous chunks.
        var text = "\u{FEFF}a,b\n"
        for i in 0..<400_000 { text += "\(i),\"line \(i)\nnext\"\n" }
        let path = try temporaryFile(Array(text.utf8))
        let p = try Inferrer.profile(path: path)
        #expect(p.bytes == text.utf8.count)
        #expect(p.rows == 400_000)
        let sum = Process()
        sum.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        sum.arguments = [path]
        let out = Pipe()
        sum.standardOutput = out
        try sum.run()
        sum.waitUntilExit()
        let expected = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
        #expect(p.sha256 == String(expected))
    }
}

/// The word-at-a-time number check must agree with the full lexer on everything it accepts.
@Suite struct PlainNumberAgreementTests {
    @Test func agreesWithTheLexerOnRandomShortValues() {
        var rng = RoundTripPropertyTests.Random(state: 99)
        let alphabet = Array("0123456789.-+,$%e ".utf8) + [0x41, 0xC3]
        // A buffer with slack after every value, as the scanner's window has.
        var buffer = [UInt8](repeating: 0x58, count: 32)
        for _ in 0..<200_000 {
            let n = 1 + rng.below(9)
            for k in 0..<n { buffer[k] = alphabet[rng.below(alphabet.count)] }
            for k in n..<32 { buffer[k] = alphabet[rng.below(alphabet.count)] }
            buffer.withUnsafeBufferPointer { b in
                let p = b.baseAddress!
                let text = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
                let fast = ValueLexer.plainNumber(p, n)
                // It accepts and rejects exactly what the byte-by-byte check does.
                #expect(fast.map { [$0.0, $0.1] } == ValueLexer.plainNumberBytewise(p, n).map { [$0.0, $0.1] }, "\(text.debugDescription)")
                guard let (digits, scale) = fast else { return }
                let lexed = ValueLexer.lex(p, n)
                guard case let .number(shape) = lexed.shape, let r = shape.dot else {
                    Issue.record("\(text.debugDescription): plainNumber accepted, lexer says \(lexed.shape)")
                    return
                }
                #expect(r.integerDigits == digits && r.scale == scale, "\(text.debugDescription)")
            }
        }
    }
}

/// The word-at-a-time UTF-8 check counts and rejects exactly what Swift's own decoder does.
@Suite struct UTF8LengthAgreementTests {
    @Test func agreesWithSwiftsDecoderOnRandomText() {
        var rng = RoundTripPropertyTests.Random(state: 2026)
        // ASCII runs, valid 2-, 3- and 4-byte characters, and pieces that are invalid on their
        // own: a stray continuation, an overlong form, a surrogate, a code point past U+10FFFF,
        // a lead byte that is never valid, and sequences cut short.
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("Wave 2".utf8), Array("abcdefgh".utf8), Array("é".utf8), Array("–".utf8),
            Array("€".utf8), Array("😀".utf8), [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xFF], [0xE2, 0x80], [0xC3],
        ]
        let valid = Array(pieces[0..<7])
        var invalid = 0
        for _ in 0..<100_000 {
            var bytes: [UInt8] = []
            let n = rng.below(12)
            for _ in 0..<n { bytes += rng.below(6) == 0 ? rng.pick(pieces) : rng.pick(valid) }
            let expected = String(validating: bytes, as: UTF8.self)?.unicodeScalars.count
            if expected == nil { invalid += 1 }
            let counted = bytes.withUnsafeBufferPointer { b in
                ValueLexer.utf8Length(b.baseAddress ?? UnsafePointer(bitPattern: 1)!, b.count)
            }
            #expect(counted == expected, "\(bytes)")
        }
        #expect(invalid > 1000)
    }
}

@Suite struct ISODateAgreementTests {
    @Test func agreesWithTheLexerOnRandomTenByteValues() {
        var rng = RoundTripPropertyTests.Random(state: 7)
        var buffer = [UInt8](repeating: 0, count: 32)
        for _ in 0..<200_000 {
            // Mostly date-like text, with one byte disturbed now and then.
            let text = String(format: "%04d-%02d-%02d", rng.below(10000), rng.below(14), rng.below(33))
            for (k, b) in text.utf8.enumerated() { buffer[k] = b }
            if rng.below(4) == 0 { buffer[rng.below(10)] = UInt8(0x20 + rng.below(90)) }
            buffer.withUnsafeBufferPointer { b in
                let fast = ValueLexer.isISODate(b.baseAddress!)
                let slow = ValueLexer.lex(b.baseAddress!, 10).shape == .isoDate
                #expect(fast == slow, "\(String(decoding: b.prefix(10), as: UTF8.self).debugDescription)")
            }
        }
    }
}

/// The wide (9–40 byte) number check and the boolean check agree with the full lexer.
@Suite struct WideFastPathAgreementTests {
    @Test func wideNumbersAgreeWithTheBytewiseCheck() {
        var rng = RoundTripPropertyTests.Random(state: 4242)
        let alphabet = Array("0123456789".utf8) + Array("0123456789".utf8) + Array(".-+,e x".utf8) + [0x2F, 0x3A, 0xC3, 0x00, 0xFF]
        var buffer = [UInt8](repeating: 0, count: 64)
        var accepted = 0
        for _ in 0..<200_000 {
            let n = 9 + rng.below(36)
            for k in 0..<64 { buffer[k] = alphabet[rng.below(alphabet.count)] }
            // Mostly digits, so that many values are numbers.
            if rng.below(2) == 0 { for k in 0..<n where rng.below(8) != 0 { buffer[k] = UInt8(0x30 + rng.below(10)) } }
            buffer.withUnsafeBufferPointer { b in
                let p = b.baseAddress!
                let fast = ValueLexer.plainNumber(p, n)
                let slow = ValueLexer.plainNumberBytewise(p, n)
                let text = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
                #expect(fast.map { [$0.0, $0.1] } == slow.map { [$0.0, $0.1] }, "\(text.debugDescription)")
                // On x86-64 the SSE2 check serves 9 to 32 bytes; the word loop, which other
                // architectures use for them, must agree too.
                if n <= 40 {
                    #expect(ValueLexer.plainNumberWide(p, n).map { [$0.0, $0.1] } == slow.map { [$0.0, $0.1] }, "\(text.debugDescription)")
                }
                if let (digits, scale) = fast {
                    accepted += 1
                    guard case let .number(shape) = ValueLexer.lex(p, n).shape, let r = shape.dot else {
                        Issue.record("\(text.debugDescription): accepted, lexer disagrees")
                        return
                    }
                    #expect(r.integerDigits == digits && r.scale == scale, "\(text.debugDescription)")
                }
            }
        }
        #expect(accepted > 1000)
    }

    @Test func booleansAgreeWithTheLexer() {
        var rng = RoundTripPropertyTests.Random(state: 77)
        var buffer = [UInt8](repeating: 0, count: 16)
        let words = ["true", "false", "TRUE", "False", "tRuE", "fals", "truex", "t", "yes", "nul"]
        for _ in 0..<100_000 {
            let word = Array(rng.pick(words).utf8)
            for k in 0..<16 { buffer[k] = UInt8(truncatingIfNeeded: rng.next()) }
            for (k, b) in word.enumerated() { buffer[k] = b }
            // Disturb one byte now and then (including into @, [, ` and other near-letters).
            if rng.below(3) == 0 { buffer[rng.below(word.count)] ^= UInt8(1 << rng.below(8)) }
            let n = rng.below(4) == 0 ? rng.below(7) : word.count
            buffer.withUnsafeBufferPointer { b in
                let fast = ValueLexer.isPlainBoolean(b.baseAddress!, n)
                let lexed = ValueLexer.lex(b.baseAddress!, n).shape
                // The fast path accepts only unpadded values; those the lexer must call booleans.
                if fast { #expect(lexed == .boolean, "\(Array(b.prefix(n)))") }
                let unpadded = n > 0 && b[0] != 0x20 && b[n - 1] != 0x20
                if unpadded && lexed == .boolean { #expect(fast, "\(Array(b.prefix(n)))") }
            }
        }
    }
}
