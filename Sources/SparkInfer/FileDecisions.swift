import SparkModel

/// What inference decides for a whole file once every value is read: the decimal mark, the
/// day/month order of dates that fit both, and the types spark.toml gives columns.
///
/// Every decision rests on evidence in the file or on the user's setting. Where the file's
/// evidence is missing or contradicts itself and nothing was set, it refuses, naming the line
/// and saying how to decide: spark never types by guess a value that could be two numbers.
struct FileDecisions {
    var decimal: DecimalDecision?
    /// Per column: the order assumed for dates that fit both (nil when the column decides).
    var dateOrders: [DateOrder?]
    var warnings: [String] = []
    let options: InferOptions
    let path: String

    init(sink: InferenceSink, names: [String], header: [String], options: InferOptions, path: String) throws(InferError) {
        self.options = options
        self.path = path
        let columns = (0..<names.count).map { sink.columns[$0] }
        decimal = try FileDecisions.decideDecimal(columns, names: names, header: header, options: options, path: path)
        dateOrders = Array(repeating: nil, count: names.count)
        decideDateOrders(columns, names: names, header: header)
    }

    // MARK: - Decimal mark

    private static func decideDecimal(_ columns: [ColumnAccumulator], names: [String], header: [String],
                                      options: InferOptions, path: String) throws(InferError) -> DecimalDecision? {
        var proofs: [(DecimalSeparator, Int, Evidence)] = []
        var ambiguous: [(Int, Evidence)] = []
        for (i, c) in columns.enumerated() {
            switch c.decimalEvidence {
            case .none: break
            case let .only(mark, e): proofs.append((mark, i, e))
            case let .ambiguous(e): ambiguous.append((i, e))
            }
        }
        guard !proofs.isEmpty || !ambiguous.isEmpty else { return nil }
        if let set = options.decimalSeparator { return DecimalDecision(separator: set, source: .setting) }
        let byLine = { (a: (DecimalSeparator, Int, Evidence), b: (DecimalSeparator, Int, Evidence)) in (a.2.line, a.1) < (b.2.line, b.1) }
        if let point = proofs.filter({ $0.0 == .point }).min(by: byLine), let comma = proofs.filter({ $0.0 == .comma }).min(by: byLine) {
            let (first, second) = byLine(point, comma) ? (point, comma) : (comma, point)
            func shown(_ p: (DecimalSeparator, Int, Evidence)) -> String {
                "column \(names[p.1]) (\(header[p.1].debugDescription)) has \(p.2.value) on line \(p.2.line), which reads only with \"\(p.0.rawValue)\" as the decimal separator"
            }
            throw InferError(.ambiguousNumber, path: path, line: first.2.line,
                             message: "the file's numbers disagree on the decimal separator: \(shown(first)); \(shown(second))",
                             hint: "decide with decimal_separator = \",\" or \".\" in spark.toml, or --decimal-separator; the values of the other column then load as text")
        }
        if let proof = proofs.min(by: byLine) {
            return DecimalDecision(separator: proof.0, source: .file, column: names[proof.1], evidence: proof.2)
        }
        // Only ambiguous columns: a column type in spark.toml that one reading alone fits decides.
        var decided: [(DecimalSeparator, Int, Evidence)] = []
        for (i, e) in ambiguous {
            guard let given = columnType(options, header: header[i], name: names[i]) else { continue }
            let fits = DecimalSeparator.allCases.filter { mark in
                let p = columns[i].profile(name: names[i], source: header[i], decimal: mark, dateOrder: nil)
                return given.fit(of: p.type, facts: p.facts) == .fits
            }
            if fits.count == 1 { decided.append((fits[0], i, e)) }
        }
        if let first = decided.min(by: byLine) {
            if decided.contains(where: { $0.0 != first.0 }) {
                throw InferError(.ambiguousNumber, path: path, line: first.2.line,
                                 message: "the column types in spark.toml disagree on the decimal separator of this file",
                                 hint: "set decimal_separator = \",\" or \".\" in spark.toml, or pass --decimal-separator")
            }
            return DecimalDecision(separator: first.0, source: .columnTypes, column: names[first.1], evidence: first.2)
        }
        let (i, e) = ambiguous.min { ($0.1.line, $0.0) < ($1.1.line, $1.0) }!
        let asPoint = canonical(e.value, .point) ?? "?"
        let asComma = canonical(e.value, .comma) ?? "?"
        let pointType = columns[i].profile(name: names[i], source: header[i], decimal: .point, dateOrder: nil).type
        let commaType = columns[i].profile(name: names[i], source: header[i], decimal: .comma, dateOrder: nil).type
        throw InferError(.ambiguousNumber, path: path, line: e.line,
                         message: "column \(names[i]) (\(header[i].debugDescription)): \(e.value) could be \(asPoint) or \(asComma), and no value in the file shows whether \".\" or \",\" is its decimal separator",
                         hint: "decide with decimal_separator = \".\" (\(e.value) is \(asPoint)) or \",\" (\(e.value) is \(asComma)) in spark.toml, or --decimal-separator; or give the column its type in spark.toml's [column_types]: \(header[i].debugDescription) = \"\(pointType)\" or \"\(commaType)\"")
    }

    /// The value in canonical form under `mark`, for messages.
    static func canonical(_ value: String, _ mark: DecimalSeparator) -> String? {
        var bytes = Array(value.utf8)
        bytes.append(0)
        var out: [UInt8] = []
        let ok = bytes.withUnsafeBufferPointer { ValueLexer.appendCanonicalNumber($0.baseAddress!, $0.count - 1, decimal: mark, to: &out) }
        return ok ? String(decoding: out, as: UTF8.self) : nil
    }

    // MARK: - Dates

    private mutating func decideDateOrders(_ columns: [ColumnAccumulator], names: [String], header: [String]) {
        let proven = Set(columns.compactMap(\.provenDateOrder))
        let fileOrder = proven.count == 1 ? proven.first : nil
        for (i, c) in columns.enumerated() where c.hasAmbiguousDates {
            if let order = fileOrder ?? options.dateOrder {
                dateOrders[i] = order
                continue
            }
            let dash = c.dateStyle == LocalDate.Style.dash.rawValue
            let order: DateOrder = dash ? .dayFirst : .monthFirst
            dateOrders[i] = order
            let (assumed, other) = dash ? ("DD-MM-YYYY", "MM-DD-YYYY") : ("US MM/DD/YYYY", "DD/MM/YYYY")
            let both = dash ? "DD-MM-YYYY and MM-DD-YYYY" : "MM/DD/YYYY and \(other)"
            warnings.append("column \(names[i]) (\"\(header[i])\"): every date fits both \(both); assuming \(assumed) (set date_order in spark.toml or pass --date-order to decide)")
        }
    }

    // MARK: - Column types from spark.toml

    static func columnType(_ options: InferOptions, header: String, name: String) -> SnowflakeType? {
        options.columnTypes[String(header.trimmingSpaces)] ?? options.columnTypes[name]
    }

    /// The column with the type spark.toml gives it, once the data is checked to fit it; nil
    /// when spark.toml gives none.
    func override(for column: ColumnProfile, index: Int, accumulator: ColumnAccumulator) throws(InferError) -> ColumnProfile? {
        guard let given = FileDecisions.columnType(options, header: column.source, name: column.name) else { return nil }
        let fit = given.fit(of: column.type, facts: column.facts)
        guard fit == .fits else {
            let reason: String = switch fit {
            case let .incompatible(reason, _): reason
            case let .widen(to): "the values need \(to)"
            case .fits: ""
            }
            let at = column.facts.evidence
            throw InferError(.badColumnType, path: path, line: at?.line,
                             message: "column \(column.name) (\(column.source.debugDescription)): spark.toml's column_types says \(given), but the data is \(column.type)\(at.map { " (value \($0.value.debugDescription))" } ?? ""): \(reason)",
                             hint: "fix the values, or change the column's entry in [column_types]")
        }
        var out = column
        out.type = given
        out.typeFromSettings = true
        return out
    }

    /// Columns that are text only because of a decision, and columns mixing currencies.
    static func columnWarnings(sink: InferenceSink, columns: [ColumnProfile], decimal: DecimalDecision?) -> [String] {
        var out: [String] = []
        for (i, c) in columns.enumerated() {
            let a = sink.columns[i]
            if a.mixedCurrency {
                out.append("column \(c.name) (\"\(c.source)\"): values in more than one currency\(a.evidence.map { " (\($0.value) on line \($0.line))" } ?? ""); loaded as text, as written")
            } else if a.isNumeric && c.type.family == .text && !c.typeFromSettings, let d = decimal, let e = a.decimalEvidence.proof {
                out.append("column \(c.name) (\"\(c.source)\"): \(e.value) on line \(e.line) is not a number with \"\(d.separator.rawValue)\" as the decimal separator; the column loads as text, as written")
            }
        }
        return out
    }
}

extension ColumnAccumulator.DecimalEvidence {
    /// The value that reads with one mark only, if that is the evidence.
    var proof: Evidence? {
        if case let .only(_, e) = self { e } else { nil }
    }
}
