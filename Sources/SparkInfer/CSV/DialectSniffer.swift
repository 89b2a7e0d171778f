import SparkModel

/// Finds the delimiter and the header among report preamble lines, from the first records of a file.
///
/// The delimiter is the candidate that splits the most sampled records into one width (two or
/// more fields). The header is then found by what a header is, not by position alone:
///
/// - Preamble is what comes before the header and does not look like the table: narrower lines
///   (titles, date ranges), blank lines, and lines of the table's width whose cells are mostly
///   empty (`Report,,,,,,,,` as Excel saves a report).
/// - A plausible header (two or more distinct text cells, none ending in `:`) followed by a
///   record of its own width is the header, whatever width later rows have: they are bad rows,
///   never a reason to move the header down and drop the rows above it.
/// - A plausible header just before the table but one or two fields off its width is a damaged
///   header: an error, never skipped as preamble.
/// - A row of text cells over or under the header, where the data below has numbers or dates,
///   makes a two-row header (group labels and column names), joined into one name per column.
enum DialectSniffer {
    static let candidates: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C] // , ; tab |
    static let maxSampleRecords = 500
    /// Cells kept per sampled record for judging headers; longer cells are cut.
    static let maxCellLength = 256

    struct Result {
        var delimiter: UInt8
        /// Records (including blank lines) before the header.
        var headerRecordIndex: Int
        /// 1-based physical line of the header (its first row).
        var headerLine: Int
        /// Fields in the header.
        var width: Int
        /// 1, or 2 for group labels over column names.
        var headerRows: Int
        /// The header's names as sampled (cells cut to ``maxCellLength``), for messages.
        var names: [String] = []
    }

    /// One sampled record.
    struct Sampled {
        var count: Int
        var blank: Bool
        var line: Int
        var cells: [String]
        /// Per cell: 0 empty or a null marker, 1 text, 2 a typed value (number, date, boolean).
        var shapes: [UInt8]

        var nonEmpty: Int { shapes.lazy.filter { $0 != 0 }.count }
        var typed: Int { shapes.lazy.filter { $0 == 2 }.count }
        /// At most half its cells hold anything.
        var mostlyEmpty: Bool { nonEmpty * 2 <= count }
    }

    /// The sniffed dialect, or nil for a file without a non-blank record.
    /// - Parameters:
    ///   - headerLine: the header's line when the user said so (`--header-line`); then only the delimiter is sniffed.
    ///   - nullMarkers: values that count as empty cells.
    /// - Throws: ``InferError`` for a damaged header, or a `headerLine` where no record starts.
    static func sniff(_ sample: UnsafeRawBufferPointer, eof: Bool, path: String = "", headerLine: Int? = nil,
                      nullMarkers: [String] = ValueLexer.defaultNullMarkers) throws(InferError) -> Result? {
        var best: (score: Int, width: Int, delimiter: UInt8)?
        for d in candidates {
            let widths = parse(sample, delimiter: d, eof: eof, cells: false, nullMarkers: nullMarkers)
            guard let (width, score) = commonWidth(widths) else { continue }
            if best == nil || score > best!.score || (score == best!.score && width > best!.width) {
                best = (score, width, d)
            }
        }
        // One column: no candidate splits anything.
        let delimiter = best?.delimiter ?? 0x2C
        let records = parse(sample, delimiter: delimiter, eof: eof, cells: true, nullMarkers: nullMarkers)
        guard records.contains(where: { !$0.blank }) else { return nil }
        if let headerLine {
            guard let h = records.firstIndex(where: { $0.line == headerLine && !$0.blank }) else {
                throw InferError(.empty, path: path, line: headerLine, message: "--header-line \(headerLine): no record starts on this line",
                                 hint: "pass the line number of the header as the file shows it (`spark preview --raw` numbers the lines)")
            }
            return Result(delimiter: delimiter, headerRecordIndex: h, headerLine: headerLine, width: records[h].count, headerRows: 1,
                          names: records[h].cells)
        }
        var result: Result
        if let table = best?.width {
            result = try header(records, table: table, delimiter: delimiter, path: path)
        } else {
            let h = records.firstIndex { !$0.blank }!
            result = Result(delimiter: delimiter, headerRecordIndex: h, headerLine: records[h].line, width: records[h].count, headerRows: 1)
        }
        let h = result.headerRecordIndex
        result.names = HeaderRows.names(records[h..<min(records.count, h + result.headerRows)].map(\.cells))
        return result
    }

    /// The most common width of two or more fields, and how many records have it.
    private static func commonWidth(_ records: [Sampled]) -> (Int, Int)? {
        var counts: [Int: Int] = [:]
        for r in records where !r.blank && r.count >= 2 { counts[r.count, default: 0] += 1 }
        return counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }.map { ($0.key, $0.value) }
    }

    private static func header(_ records: [Sampled], table: Int, delimiter: UInt8, path: String) throws(InferError) -> Result {
        let typed = typedColumns(records, width: table)
        // The last line of the table's width passed over as mostly empty.
        var padded: Sampled?
        var i = 0
        while i < records.count {
            let r = records[i]
            if r.blank {
                i += 1
                continue
            }
            let next = i + 1 < records.count ? records[i + 1] : nil
            if r.count == table {
                if r.mostlyEmpty {
                    // Group labels over the column names, or a padded preamble line.
                    if let n = next, n.count == table, isGroupRow(r), isHeaderRow(n, under: r, typed: typed) {
                        return Result(delimiter: delimiter, headerRecordIndex: i, headerLine: r.line, width: table, headerRows: 2)
                    }
                    padded = r
                    i += 1
                    continue
                }
                let groups = r.nonEmpty < r.count && isGroupRow(r)
                let rows = groups && next.map { $0.count == table && isHeaderRow($0, under: r, typed: typed) } == true ? 2 : 1
                if rows == 1 && r.typed > 0 {
                    let more = records[(i + 1)...].contains { !$0.blank }
                    if let p = padded {
                        // Either line could be the header: one is mostly empty, the other holds numbers or dates.
                        throw InferError(.damagedHeader, path: path, line: r.line,
                                         message: "no line is clearly the header: line \(p.line) has the table's width but is mostly empty, and this line holds numbers or dates",
                                         hint: "pass --header-line with the header's line (\(p.line) or \(r.line)), or fix the header so every column has a name")
                    }
                    if more && r.typed == r.nonEmpty {
                        throw InferError(.damagedHeader, path: path, line: r.line,
                                         message: "this line looks like data, not a header: every cell is a number or a date",
                                         hint: "export the report with its header line, or add one; pass --header-line if the header is another line")
                    }
                }
                return Result(delimiter: delimiter, headerRecordIndex: i, headerLine: r.line, width: table, headerRows: rows)
            }
            if r.count >= 2 && isPlausibleHeader(r) {
                let following = records[(i + 1)...].first { !$0.blank }
                if let f = following, f.count == r.count {
                    // A header with rows of its width under it: later rows of another width are bad rows.
                    return Result(delimiter: delimiter, headerRecordIndex: i, headerLine: r.line, width: r.count, headerRows: 1)
                }
                if let n = next, !n.blank, n.count == table, abs(r.count - table) <= 2 {
                    let more = r.count > table
                    throw InferError(.damagedHeader, path: path, line: r.line,
                                     message: "this looks like the header but has \(r.count) fields, and the rows under it have \(table)",
                                     hint: more ? "remove the extra field from the header (a stray delimiter?), or pass --header-line with the header's line if this line is not it"
                                         : "add the missing column name to the header; if every data row ends with an empty field, remove the trailing delimiters; or pass --header-line with the header's line if this line is not it")
                }
            }
            i += 1
        }
        // Every record of the table's width is mostly empty: take the first, as the table's header.
        let h = records.firstIndex { !$0.blank && $0.count == table }!
        return Result(delimiter: delimiter, headerRecordIndex: h, headerLine: records[h].line, width: table, headerRows: 1)
    }

    /// Distinct text cells, nearly all filled, none a number or date, none ending in `:` (a
    /// `Key:` of a preamble).
    static func isPlausibleHeader(_ r: Sampled) -> Bool {
        let allowance = r.count >= 4 ? max(1, r.count / 10) : 0
        guard r.nonEmpty >= r.count - allowance, r.typed == 0 else { return false }
        var seen = Set<String>()
        var duplicates = 0
        for (k, c) in r.cells.enumerated() where r.shapes[k] != 0 {
            let t = String(c.trimmingSpaces)
            if t.hasSuffix(":") { return false }
            if !seen.insert(t).inserted { duplicates += 1 }
        }
        return duplicates <= allowance
    }

    /// Group labels: a blank first cell and a label, or two labels or more.
    static func isGroupRow(_ r: Sampled) -> Bool {
        r.nonEmpty >= 2 || (r.nonEmpty == 1 && r.shapes.first == 0)
    }

    /// Whether `n`, under the group labels `r` (a row with empty cells under merged groups), is
    /// the row of column names rather than data: a plausible header, with a name in a column
    /// whose data is numbers or dates.
    static func isHeaderRow(_ n: Sampled, under r: Sampled, typed: [Bool]) -> Bool {
        guard isPlausibleHeader(n) else { return false }
        return n.cells.indices.contains { k in n.shapes[k] == 1 && k < typed.count && typed[k] }
    }

    /// Columns whose sampled data (records of the table's width after the first two) are mostly
    /// numbers or dates.
    static func typedColumns(_ records: [Sampled], width: Int) -> [Bool] {
        var typedCount = [Int](repeating: 0, count: width)
        var textCount = [Int](repeating: 0, count: width)
        var seen = 0
        for r in records where !r.blank && r.count == width {
            seen += 1
            if seen <= 2 { continue }
            for k in 0..<width {
                if r.shapes[k] == 2 { typedCount[k] += 1 } else if r.shapes[k] == 1 { textCount[k] += 1 }
            }
        }
        return (0..<width).map { typedCount[$0] > textCount[$0] }
    }

    static func parse(_ sample: UnsafeRawBufferPointer, delimiter: UInt8, eof: Bool, cells: Bool, nullMarkers: [String]) -> [Sampled] {
        guard let base = sample.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return [] }
        let parser = RecordParser(delimiter: delimiter)
        defer { parser.deallocate() }
        let fields = FieldBuffer()
        let markers = Set(nullMarkers.map { String($0.trimmingSpaces) })
        var out: [Sampled] = []
        var pos = 0
        var line = 1
        var block = SeparatorBlock()
        while pos < sample.count && out.count < maxSampleRecords {
            guard case let .record(next, lines) = parser.parse(at: pos, in: base, count: sample.count, eof: eof, fields: fields, block: &block) else { break }
            // Bad quoting ends the sample: under a wrong delimiter it comes early and often.
            if fields.damage != nil {
                fields.damage = nil
                break
            }
            let view = RecordView(bytes: base, fields: fields.pointer, count: fields.count, line: line)
            var texts: [String] = []
            var shapes: [UInt8] = []
            if cells {
                texts.reserveCapacity(fields.count)
                shapes.reserveCapacity(fields.count)
                for k in 0..<fields.count {
                    let f = fields.pointer[k]
                    let lexed = ValueLexer.lex(base + f.start, min(f.count, maxCellLength * 4))
                    var text = view.string(k)
                    if text.count > maxCellLength { text = String(text.prefix(maxCellLength)) }
                    let shape: UInt8 = switch lexed.shape {
                    case .null: 0
                    case .text: markers.contains(String(text.trimmingSpaces)) ? 0 : 1
                    default: 2
                    }
                    texts.append(text)
                    shapes.append(shape)
                }
            }
            out.append(Sampled(count: fields.count, blank: view.isBlank, line: line, cells: texts, shapes: shapes))
            line += lines
            pos = next
        }
        return out
    }
}

/// Joins two header rows into one name per column.
public enum HeaderRows {
    /// One row: its cells. Two rows (group labels over names, or names over sub-names): each
    /// column is `upper / lower`; an upper label applies to its own column and to the empty
    /// upper cells right after it; a column with no label before it keeps its lower name, and
    /// one with no lower name keeps its label.
    public static func names(_ rows: [[String]]) -> [String] {
        guard rows.count == 2 else { return rows.first ?? [] }
        let upper = rows[0], lower = rows[1]
        var label: String?
        var out: [String] = []
        for k in 0..<max(upper.count, lower.count) {
            let u = k < upper.count ? String(upper[k].trimmingSpaces) : ""
            let l = k < lower.count ? lower[k] : ""
            if !u.isEmpty { label = u }
            let group = u.isEmpty ? label : u
            switch (group, l.trimmingSpaces.isEmpty) {
            case let (g?, false): out.append("\(g) / \(l)")
            case let (g?, true): out.append(u.isEmpty ? "" : g)
            case (nil, _): out.append(l)
            }
        }
        return out
    }
}
