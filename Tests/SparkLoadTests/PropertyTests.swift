import Foundation
import SparkTestSupport
import SparkInfer
import SparkLoad
import SparkModel
import Testing

func writeTemporary(_ text: String, encoding: String.Encoding = .utf8, bom: Bool = false) throws -> String {
    let url = try temporaryDirectory().appendingPathComponent("input.csv")
    var data = bom ? Data([0xEF, 0xBB, 0xBF]) : Data()
    data += text.data(using: encoding)!
    try data.write(to: url)
    return url.path
}

/// Reads a file's data records the way the loader does, as cell strings.
func loadedCells(_ path: String, _ profile: FileProfile) throws -> [[String]] {
    let reader = try CSVReader(path: path, dialect: profile.dialect, skipping: profile.skippedLines)
    var rows: [[String]] = []
    try reader.forEachRecord { record in rows.append((0..<record.count).map { record.string($0) }) }
    return rows
}

/// Random tables of numbers written in a random locale: read back through inference and the
/// canonical writer, every value must be exactly the number written, or the file refused with a
/// line. A different number is a failure.
@Suite struct LocaleNumberPropertyTests {
    struct Locale {
        var decimal: DecimalSeparator
        /// Grouping mark, or nil for none.
        var grouping: String?
        var delimiter: String
        /// Currency token and whether it goes first, with a space between or not.
        var currency: (token: String, before: Bool, space: String)?
        var percent: String?
    }

    static func randomLocale(_ rng: inout SplitMix) -> Locale {
        let decimal: DecimalSeparator = rng.chance(2) ? .point : .comma
        let groupings: [String?] = decimal == .point ? [nil, ",", " ", "'", "\u{2019}", "\u{A0}"] : [nil, ".", " ", "\u{A0}", "\u{202F}"]
        let delimiter = decimal == .comma ? rng.pick([";", "\t", "|"]) : rng.pick([",", ";", "\t", "|"])
        let currency: (String, Bool, String)? = rng.chance(3) ? nil : (rng.pick(["€", "$", "CHF", "zł", "EUR", "£", "kr", "US$"]), rng.chance(2), rng.pick(["", " ", "\u{A0}"]))
        let percent: String? = rng.chance(4) ? rng.pick(["%", " %", "\u{A0}%", "\u{202F}%"]) : nil
        return Locale(decimal: decimal, grouping: rng.pick(groupings), delimiter: delimiter, currency: currency, percent: percent)
    }

    /// `value` (digits with an optional `.fraction`) as the locale writes it.
    static func format(_ value: String, _ l: Locale, money: Bool, percent: Bool) -> String {
        let negative = value.hasPrefix("-")
        let digits = negative ? String(value.dropFirst()) : value
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        var integer = String(parts[0])
        if let g = l.grouping, integer.count > 3 {
            var groups: [String] = []
            while integer.count > 3 {
                groups.insert(String(integer.suffix(3)), at: 0)
                integer = String(integer.dropLast(3))
            }
            integer = ([integer] + groups).joined(separator: g)
        }
        var out = integer + (parts.count > 1 ? l.decimal.rawValue + parts[1] : "")
        if money, let c = l.currency { out = c.before ? c.token + c.space + out : out + c.space + c.token }
        if percent, let p = l.percent { out += p }
        return (negative ? "-" : "") + out
    }

    static func randomValue(_ rng: inout SplitMix, scale: Int) -> String {
        let integer = rng.chance(5) ? "0" : String(1 + rng.below(rng.pick([9, 999, 99_999, 9_999_999, 2_000_000_000])))
        let fraction = scale == 0 ? "" : "." + (0..<scale).map { _ in String(rng.below(10)) }.joined()
        return (rng.chance(8) ? "-" : "") + integer + fraction
    }

    /// Outcomes over all seeds, so the closing line says how often each happened.
    struct Tally { var loaded = 0, refused = 0, loadedWithSetting = 0 }

    @Test func numbersReadBackExactlyOrTheFileIsRefused() throws {
        var tally = Tally()
        for seed in 0..<400 { try check(seed: seed, &tally) }
        print("locale numbers: 400 files; without a setting \(tally.loaded) read exactly, \(tally.refused) refused as ambiguous; with the file's decimal separator set, \(tally.loadedWithSetting) read exactly; 0 read differently")
        // Most random files carry evidence; refusing them all would pass the check above vacuously.
        #expect(tally.loaded >= 300 && tally.loadedWithSetting == 400)
    }

    func check(seed: Int, _ tally: inout Tally) throws {
        var rng = SplitMix(state: UInt64(seed) &* 7919)
        let l = Self.randomLocale(&rng)
        let width = 1 + rng.below(4)
        let scales = (0..<width).map { _ in rng.pick([0, 0, 1, 2, 2, 3, 4]) }
        let money = (0..<width).map { _ in rng.chance(3) }
        let percent = (0..<width).map { k in !money[k] && rng.chance(4) }
        let rows = 1 + rng.below(30)
        var values: [[String?]] = []
        var lines = ["Name" + l.delimiter + (0..<width).map { "Metric \($0)" }.joined(separator: l.delimiter)]
        for r in 0..<rows {
            let row: [String?] = (0..<width).map { k in rng.chance(12) ? nil : Self.randomValue(&rng, scale: scales[k]) }
            values.append(row)
            let cells = row.enumerated().map { k, v in
                let text = v.map { Self.format($0, l, money: money[k], percent: percent[k]) } ?? ""
                return text.contains(l.delimiter) ? "\"" + text + "\"" : text
            }
            lines.append("Row \(r)" + l.delimiter + cells.joined(separator: l.delimiter))
        }
        let path = try writeTemporary(lines.joined(separator: "\n") + "\n")
        let context = "seed \(seed): \(l.decimal.rawValue) grouping \(l.grouping.debugDescription) currency \(l.currency.map { "\($0.token)" } ?? "-")\n\(lines.prefix(4).joined(separator: "\n"))"

        for setting in [nil, l.decimal] {
            let profile: FileProfile
            do {
                profile = try Inferrer.profile(path: path, options: InferOptions(decimalSeparator: setting))
            } catch {
                // Refusing is allowed only without a setting, at a line, for a value that reads two ways.
                #expect(setting == nil, "\(context)\nrefused although the decimal separator was given: \(error)")
                #expect(error.kind == .ambiguousNumber && error.line != nil, "\(context)\n\(error)")
                tally.refused += 1
                continue
            }
            if setting == nil { tally.loaded += 1 } else { tally.loadedWithSetting += 1 }
            let out = try temporaryDirectory().appendingPathComponent("out.csv.gz").path
            _ = try CanonicalWriter.write(CanonicalSpec(profile: profile, source: path), to: out)
            let loaded = CSVText.parse(try gunzip(out)).dropFirst()
            #expect(loaded.count == rows, "\(context)")
            for (r, row) in zip(values, loaded) {
                for k in 0..<width {
                    let got = row[k + 1] == "\\N" ? nil : row[k + 1]
                    let same = got.flatMap { Decimal(string: $0) } == r[k].flatMap { Decimal(string: $0) } && (got == nil) == (r[k] == nil)
                    if !same {
                        Issue.record("\(context)\nMetric \(k): wrote \(r[k].debugDescription), loads \(got.debugDescription) (\(profile.columns[k + 1].type))")
                        return
                    }
                }
            }
        }
    }
}

/// Random tables with one random damage: in refuse mode every file is either read exactly as it
/// means (the undamaged records, and a stray quote kept as a literal character only where it
/// cannot change how its line splits) or refused naming a line. In reject mode the records
/// that load are exactly the undamaged ones, and every other record is listed by its line.
/// Any other outcome is a silent misread, and fails.
@Suite struct DamagePropertyTests {
    enum Damage: CaseIterable { case extraDelimiter, missingDelimiter, strayQuote, quoteInQuoted, headerExtra, headerMissing }

    struct Table {
        var delimiter: String
        var header: [String]
        var rows: [[String]]
    }

    static func randomCell(_ rng: inout SplitMix, delimiter: String) -> String {
        switch rng.below(9) {
        case 0: return ""
        case 1: return String(rng.below(100_000))
        case 2: return "\(rng.below(1000)).\(rng.below(100))"
        case 3: return "2024-0\(1 + rng.below(9))-1\(rng.below(10))"
        case 4: return "a \(delimiter) b"
        case 5: return "say \"hi\""
        case 6: return "two\nlines"
        default: return rng.pick(["Spring Sale", "Brand", "Ø Köln", "BYD Seal", "x"]) + " \(rng.below(99))"
        }
    }

    static func quoted(_ cell: String, delimiter: String) -> Bool {
        cell.isEmpty || cell.contains(delimiter) || cell.contains("\"") || cell.contains("\n")
    }

    static func write(_ cell: String, delimiter: String) -> String {
        quoted(cell, delimiter: delimiter) ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }

    static func line(_ cells: [String], delimiter: String) -> String {
        cells.map { write($0, delimiter: delimiter) }.joined(separator: delimiter)
    }

    /// The damaged file, what it means when read literally (nil when nothing but a refusal is
    /// right), and the index of the damaged record (-1 for the header).
    static func damage(_ t: Table, _ kind: Damage, _ rng: inout SplitMix) -> (text: String, literal: Table?, row: Int)? {
        let d = t.delimiter
        var lines = [line(t.header, delimiter: d)] + t.rows.map { line($0, delimiter: d) }
        guard !t.rows.isEmpty else { return nil }
        let r = rng.below(t.rows.count)
        var literal: Table? = nil
        switch kind {
        case .extraDelimiter:
            // A cell split in two: one field too many.
            let c = rng.below(t.header.count)
            var cells = t.rows[r]
            cells.insert("", at: c)
            lines[r + 1] = line(cells, delimiter: d)
        case .missingDelimiter:
            guard t.header.count > 2 else { return nil }
            let c = rng.below(t.header.count - 1)
            var cells = t.rows[r]
            cells[c] += cells[c + 1]
            cells.remove(at: c + 1)
            lines[r + 1] = line(cells, delimiter: d)
        case .strayQuote:
            // A quote inside a cell written without quotes: `24" monitor`.
            let plain = (0..<t.header.count).filter { !quoted(t.rows[r][$0], delimiter: d) && !t.rows[r][$0].isEmpty }
            guard let c = plain.isEmpty ? nil : rng.pick(plain) else { return nil }
            let cell = t.rows[r][c]
            let at = cell.index(cell.startIndex, offsetBy: 1 + rng.below(cell.count))
            let damaged = String(cell[..<at]) + "\"" + String(cell[at...])
            var written = t.rows[r].map { write($0, delimiter: d) }
            written[c] = damaged
            lines[r + 1] = written.joined(separator: d)
            var l = t
            l.rows[r][c] = damaged
            literal = l
        case .quoteInQuoted:
            // A quote that closes a quoted field early: `"ab"c"`.
            let q = (0..<t.header.count).filter { quoted(t.rows[r][$0], delimiter: d) && !t.rows[r][$0].isEmpty && !t.rows[r][$0].contains("\"") }
            guard let c = q.isEmpty ? nil : rng.pick(q) else { return nil }
            var written = t.rows[r].map { write($0, delimiter: d) }
            let cell = t.rows[r][c]
            let at = cell.index(cell.startIndex, offsetBy: rng.below(cell.count))
            written[c] = "\"" + String(cell[..<at]) + "\"" + String(cell[at...]) + "\""
            lines[r + 1] = written.joined(separator: d)
        case .headerExtra:
            lines[0] = line(t.header + ["extra"], delimiter: d)
            return (lines.joined(separator: "\n") + "\n", nil, -1)
        case .headerMissing:
            guard t.header.count > 2 else { return nil }
            lines[0] = line(Array(t.header.dropLast()), delimiter: d)
            return (lines.joined(separator: "\n") + "\n", nil, -1)
        }
        return (lines.joined(separator: "\n") + "\n", literal, r)
    }

    static func randomTable(_ rng: inout SplitMix) -> Table {
        let d = rng.pick([",", ";", "\t", "|"])
        let width = 2 + rng.below(5)
        let header = (0..<width).map { "col\($0)" }
        let rows = (0..<(2 + rng.below(25))).map { i in ["id\(i)"] + (1..<width).map { _ in randomCell(&rng, delimiter: d) } }
        return Table(delimiter: d, header: header, rows: rows)
    }

    struct Tally { var files = 0, refused = 0, literal = 0, rejectLoaded = 0, rejectRefused = 0, rejectedRows = 0 }

    @Test func noSilentMisreads() throws {
        var tally = Tally()
        for seed in 0..<600 { try check(seed: seed, &tally) }
        print("damage: \(tally.files) damaged files; refuse mode: \(tally.refused) refused with a line, \(tally.literal) read as they mean (a stray quote kept literally), 0 misread; reject mode: \(tally.rejectLoaded) loaded their good rows with \(tally.rejectedRows) rows rejected and listed, \(tally.rejectRefused) refused, 0 misread")
        #expect(tally.files >= 500 && tally.rejectLoaded >= tally.files / 2)
    }

    func check(seed: Int, _ tally: inout Tally) throws {
        var rng = SplitMix(state: UInt64(seed) &* 104_729)
        let table = Self.randomTable(&rng)
        let kind = Damage.allCases[seed % Damage.allCases.count]
        guard let (text, literal, _) = Self.damage(table, kind, &rng) else { return }
        tally.files += 1
        let path = try writeTemporary(text)
        let context = "seed \(seed), \(kind):\n\(text.prefix(400))"

        // Refuse mode: exactly what the file means, or a refusal with a line.
        do {
            let profile = try Inferrer.profile(path: path)
            let cells = try loadedCells(path, profile)
            guard let literal else {
                Issue.record("\(context)\nloaded a damaged file without a word: header \(profile.columns.map(\.source)), \(cells.count) rows")
                return
            }
            #expect(profile.columns.map(\.source) == literal.header && cells == literal.rows, "\(context)\nread differently from what it means")
            tally.literal += 1
        } catch let error as InferError {
            #expect(error.line != nil, "\(context)\nrefused without a line: \(error)")
            tally.refused += 1
        }

        // Reject mode: the records that load are undamaged ones, and every other record is listed.
        guard kind != .headerExtra && kind != .headerMissing else { return }
        do {
            let profile = try Inferrer.profile(path: path, options: InferOptions(badRows: .reject))
            let cells = try loadedCells(path, profile)
            let expected = literal ?? table
            #expect(profile.columns.map(\.source) == expected.header, "\(context)")
            // Every loaded record is one of the file's records, in order; the others are rejected.
            var remaining = expected.rows[...]
            for row in cells {
                guard let i = remaining.firstIndex(of: row) else {
                    Issue.record("\(context)\nreject mode loaded a record the file does not hold: \(row)")
                    return
                }
                remaining = remaining[(i + 1)...]
            }
            // A damaged quote may cut a record in two: both pieces are rejected, so rejected
            // lines may outnumber the records that did not load, never the other way round.
            #expect(cells.count + profile.rejectedRows.count >= expected.rows.count,
                    "\(context)\nrows unaccounted for: \(cells.count) loaded, \(profile.rejectedRows.count) rejected, \(expected.rows.count) written")
            if literal == nil {
                #expect(!profile.rejectedRows.isEmpty, "\(context)\nthe damaged record was neither refused nor rejected")
            }
            tally.rejectLoaded += 1
            tally.rejectedRows += profile.rejectedRows.count
        } catch let error as InferError {
            #expect(error.line != nil, "\(context)\nrefused without a line: \(error)")
            tally.rejectRefused += 1
        }
    }
}
