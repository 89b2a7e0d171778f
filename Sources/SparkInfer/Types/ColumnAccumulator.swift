import SparkModel

/// The running type of one column, widened value by value.
///
/// The lattice: nothing seen → boolean | number → float | ISO date → timestamp | local date →
/// local timestamp; any disagreement ends in text. Once a column is text only lengths and nulls
/// are counted.
///
/// Numbers are followed under both decimal marks at once (``Reading``): which one the file uses
/// is decided only after the whole file is read, from every column's evidence, so a column's
/// type under either mark must be known without a second pass.
struct ColumnAccumulator {
    enum Kind: UInt8 {
        case none, boolean, number, float, isoDate, localDate, localTimestamp, timestampNTZ, timestampTZ, text
    }

    /// A column's numbers read with one decimal mark.
    struct Reading {
        /// Every number so far reads under this mark.
        var valid = true
        /// Grouping marks seen, one bit per ``GroupingMark`` raw value.
        var grouping: UInt8 = 0
        /// Most integer digits of the numbers with a separator (plain integers are counted in
        /// ``ColumnAccumulator/maxIntegerDigits``, alike under both marks).
        var integerDigits = 0
        var scale = 0
        /// The first value of the largest scale.
        var evidence: Evidence?
        /// The first number this mark cannot read: evidence for the other mark.
        var invalidBy: Evidence?

        /// Merges one value's reading; returns whether the scale widened or the reading broke.
        mutating func merge(_ r: NumberReading?) -> (widened: Bool, broke: Bool) {
            guard let r else {
                if valid {
                    valid = false
                    return (false, true)
                }
                return (false, false)
            }
            guard valid else { return (false, false) }
            if r.integerDigits > integerDigits { integerDigits = r.integerDigits }
            if let g = r.grouping { grouping |= 1 << g.rawValue }
            if r.scale > scale {
                scale = r.scale
                return (true, false)
            }
            return (false, false)
        }

        /// Whether `later` (a later part of the column) neither breaks this reading nor widens its scale.
        func canAbsorb(_ later: Reading) -> Bool {
            (later.valid || !valid) && later.scale <= scale
        }

        mutating func absorb(_ later: Reading, lineOffset: Int) {
            if invalidBy == nil, let e = later.invalidBy { invalidBy = e.shifted(lineOffset) }
            if valid && !later.valid { valid = false }
            integerDigits = max(integerDigits, later.integerDigits)
            if later.scale > scale {
                scale = later.scale
                evidence = later.evidence?.shifted(lineOffset)
            }
            grouping |= later.grouping
        }
    }

    /// Which evidence a merged value must be recorded as (see ``record(_:_:)``).
    struct Needs: OptionSet {
        let rawValue: UInt8
        /// The column's kind changed (or its date order narrowed).
        static let kind = Needs(rawValue: 1)
        static let dotScale = Needs(rawValue: 2)
        static let commaScale = Needs(rawValue: 4)
        static let dotBroke = Needs(rawValue: 8)
        static let commaBroke = Needs(rawValue: 16)
        static let ambiguous = Needs(rawValue: 32)
    }

    // The fields the per-field fast paths touch come first, so they share a cache line.
    var kind: Kind = .none
    /// The column's numbers read with `.` as the decimal mark and no other way: set when the
    /// comma reading breaks while the point reading holds (most en-US money columns, after
    /// their first value), so the fast path for `12.34` is one test.
    var pointOnly = false
    /// Most digits of the plain integers (`1234`, `1 234`): the same under both marks.
    var maxIntegerDigits = 0
    var maxLength = 0
    var dot = Reading()
    var nulls = 0
    /// Of `nulls`, the blank (all-space) values, counted only while the column is not text:
    /// once it is, blanks are measured as text. ``absorb(_:lineOffset:)`` needs them apart.
    var blankNulls = 0
    var comma = Reading()
    /// The first number whose two readings differ (`294.481`).
    var ambiguous: Evidence?
    /// The currency of the column's numbers (``Currency``), 0 for none.
    var currency: UInt8 = 0
    /// Set when a second currency turned the column to text.
    var mixedCurrency = false
    var percent = false
    var formatted = false
    /// ``LocalDate/Style`` raw value of the column's local dates.
    var dateStyle: UInt8 = 0
    var monthFirstPossible = true
    var dayFirstPossible = true
    /// The value that forced the column's kind (or narrowed its date order).
    var evidence: Evidence?

    /// Merges one lexed value and says which evidence to record it as.
    @inline(__always)
    mutating func merge(_ v: LexedValue) -> Needs {
        let before = kind
        switch v.shape {
        case .null:
            nulls += 1
            blankNulls += 1
            return []
        case .boolean:
            kind = (kind == .none || kind == .boolean) ? .boolean : .text
        case let .number(shape):
            return mergeNumber(v, shape)
        case .float:
            kind = (kind == .none || kind == .number || kind == .float) ? .float : .text
            if v.percent { percent = true }
        case .isoDate:
            switch kind {
            case .none, .isoDate: kind = .isoDate
            case .timestampNTZ: break
            default: kind = .text
            }
        case let .timestamp(withZone):
            switch (kind, withZone) {
            case (.none, false), (.isoDate, false), (.timestampNTZ, false): kind = .timestampNTZ
            case (.none, true), (.timestampTZ, true): kind = .timestampTZ
            default: kind = .text
            }
        case let .localDate(d):
            return mergeLocalDate(d)
        case .text:
            kind = .text
        }
        return kind != before ? .kind : []
    }

    private mutating func mergeNumber(_ v: LexedValue, _ shape: NumberShape) -> Needs {
        let before = kind
        switch kind {
        case .none, .number: kind = shape.exponent ? .float : .number
        case .float: break
        default:
            kind = .text
            return kind != before ? .kind : []
        }
        if v.currency != 0 {
            if currency == 0 {
                currency = v.currency
            } else if currency != v.currency {
                // `$12` and `€12` in one column: stripping the signs would lose which is which.
                kind = .text
                mixedCurrency = true
                return .kind
            }
        }
        if v.percent { percent = true }
        if v.formatted { formatted = true }
        var needs: Needs = kind != before ? .kind : []
        let d = dot.merge(shape.dot)
        if d.widened { needs.insert(.dotScale) }
        if d.broke { needs.insert(.dotBroke) }
        let c = comma.merge(shape.comma)
        if c.widened { needs.insert(.commaScale) }
        if c.broke { needs.insert(.commaBroke) }
        if ambiguous == nil && shape.isAmbiguous { needs.insert(.ambiguous) }
        if !dot.valid && !comma.valid {
            kind = .text
            needs.insert(.kind)
        }
        pointOnly = kind == .number && dot.valid && !comma.valid
        return needs
    }

    private mutating func mergeLocalDate(_ d: LocalDate) -> Needs {
        let before = kind
        let style = d.style.rawValue
        switch kind {
        case .none:
            kind = d.time == nil ? .localDate : .localTimestamp
            dateStyle = style
        case .localDate, .localTimestamp:
            guard dateStyle == style else {
                kind = .text
                return .kind
            }
            if d.time != nil { kind = .localTimestamp }
        default:
            kind = .text
            return kind != before ? .kind : []
        }
        var narrowed = false
        switch d.style {
        case .yearFirst:
            if !(1...12).contains(d.first) || d.second < 1 || d.second > ValueLexer.daysIn(month: d.first, year: d.year) { kind = .text }
        case .dot, .slash, .dash:
            let monthFirst = d.style != .dot && d.first <= 12 && d.second <= ValueLexer.daysIn(month: d.first, year: d.year)
            let dayFirst = d.second <= 12 && d.first <= ValueLexer.daysIn(month: d.second, year: d.year)
            // Dots always put the day first: that narrows nothing a file must decide.
            if monthFirstPossible && !monthFirst { monthFirstPossible = false; narrowed = d.style != .dot }
            if dayFirstPossible && !dayFirst { dayFirstPossible = false; narrowed = true }
            if !monthFirstPossible && !dayFirstPossible { kind = .text }
        }
        return kind != before || narrowed ? .kind : []
    }

    /// Records `e` as the evidence `needs` asks for.
    mutating func record(_ e: Evidence, _ needs: Needs) {
        if needs.contains(.kind) { evidence = e }
        if needs.contains(.dotScale) { dot.evidence = e }
        if needs.contains(.commaScale) { comma.evidence = e }
        if needs.contains(.dotBroke) { dot.invalidBy = e }
        if needs.contains(.commaBroke) { comma.invalidBy = e }
        if needs.contains(.ambiguous) { ambiguous = e }
    }

    /// Whether ``absorb(_:lineOffset:)`` gives exactly what merging the later part's values one
    /// by one after this part's would. The later part was accumulated from nothing; that equals
    /// carrying on from this state when this column saw nothing typed yet, when it is already text
    /// (then only nulls and lengths count), or when the later part never widens it.
    func canAbsorb(_ later: ColumnAccumulator) -> Bool {
        switch kind {
        case .none, .text: return true
        default:
            return later.kind != .text && ColumnAccumulator.join(kind, later.kind) == kind
                && (!monthFirstPossible || later.monthFirstPossible) && (!dayFirstPossible || later.dayFirstPossible)
                && (later.dateStyle == 0 || later.dateStyle == dateStyle)
                && (later.currency == 0 || later.currency == currency)
                && dot.canAbsorb(later.dot) && comma.canAbsorb(later.comma)
        }
    }

    /// Folds in the state of a later part of the same column (a chunk of the parallel scan),
    /// which must pass ``canAbsorb(_:)``. `lineOffset` turns the later part's line numbers into the file's.
    mutating func absorb(_ later: ColumnAccumulator, lineOffset: Int) {
        if kind == .text {
            // Values after the column turned text count only as nulls (markers) and lengths.
            nulls += later.nulls - later.blankNulls
            maxLength = max(maxLength, later.maxLength)
            return
        }
        let before = kind
        blankNulls += later.blankNulls
        nulls += later.nulls
        maxIntegerDigits = max(maxIntegerDigits, later.maxIntegerDigits)
        maxLength = max(maxLength, later.maxLength)
        percent = percent || later.percent
        formatted = formatted || later.formatted
        mixedCurrency = mixedCurrency || later.mixedCurrency
        if currency == 0 { currency = later.currency }
        if dateStyle == 0 { dateStyle = later.dateStyle }
        monthFirstPossible = monthFirstPossible && later.monthFirstPossible
        dayFirstPossible = dayFirstPossible && later.dayFirstPossible
        dot.absorb(later.dot, lineOffset: lineOffset)
        comma.absorb(later.comma, lineOffset: lineOffset)
        if ambiguous == nil { ambiguous = later.ambiguous?.shifted(lineOffset) }
        kind = ColumnAccumulator.join(kind, later.kind)
        pointOnly = kind == .number && dot.valid && !comma.valid
        // Only a column that had seen nothing typed takes the later part's kind.
        if kind != before, let e = later.evidence { evidence = e.shifted(lineOffset) }
    }

    /// The least kind that holds both: the same lattice ``merge(_:)`` walks value by value.
    static func join(_ a: Kind, _ b: Kind) -> Kind {
        if a == .none || a == b { return b }
        if b == .none { return a }
        switch (a, b) {
        case (.number, .float), (.float, .number): return .float
        case (.isoDate, .timestampNTZ), (.timestampNTZ, .isoDate): return .timestampNTZ
        case (.localDate, .localTimestamp), (.localTimestamp, .localDate): return .localTimestamp
        default: return .text
        }
    }

    /// Whether the column holds numbers under at least one decimal mark.
    var isNumeric: Bool { kind == .number || kind == .float }

    /// What the column says about the file's decimal mark.
    enum DecimalEvidence {
        /// Not numbers, or numbers that read alike under both marks.
        case none
        /// Only this mark reads every value; the evidence is a value the other mark cannot read.
        case only(DecimalSeparator, Evidence)
        /// Both marks read every value, as different numbers.
        case ambiguous(Evidence)
    }

    var decimalEvidence: DecimalEvidence {
        guard isNumeric else { return .none }
        switch (dot.valid, comma.valid) {
        case (true, false): return comma.invalidBy.map { .only(.point, $0) } ?? .none
        case (false, true): return dot.invalidBy.map { .only(.comma, $0) } ?? .none
        default: return ambiguous.map { .ambiguous($0) } ?? .none
        }
    }

    /// The date order the column's own values prove, if any.
    var provenDateOrder: DateOrder? {
        guard kind == .localDate || kind == .localTimestamp else { return nil }
        switch LocalDate.Style(rawValue: dateStyle) {
        case .dot: return .dayFirst
        case .slash, .dash:
            if monthFirstPossible && !dayFirstPossible { return .monthFirst }
            if dayFirstPossible && !monthFirstPossible { return .dayFirst }
            return nil
        default: return nil
        }
    }

    /// Whether the column's dates fit both orders.
    var hasAmbiguousDates: Bool {
        (kind == .localDate || kind == .localTimestamp) && (dateStyle == LocalDate.Style.slash.rawValue || dateStyle == LocalDate.Style.dash.rawValue)
            && monthFirstPossible && dayFirstPossible
    }

    /// The Snowflake type and facts for everything merged, with the file's decimal mark (nil when
    /// no value depends on it) and, for dates of both orders, the order to assume.
    func profile(name: String, source: String, decimal: DecimalSeparator?, dateOrder: DateOrder?) -> ColumnProfile {
        var dateFormat: DateFormat?
        var type: SnowflakeType
        var scale = 0
        var integerDigits = maxIntegerDigits
        var factsEvidence = evidence
        var notation: NumberNotation?
        switch kind {
        case .none, .text: type = .varchar(length: nil)
        case .boolean: type = .boolean
        case .number, .float:
            let mark = decimal ?? .point
            let r = mark == .point ? dot : comma
            if r.valid {
                integerDigits = max(maxIntegerDigits, r.integerDigits)
                scale = r.scale
                if scale > 0 { factsEvidence = r.evidence }
                // NUMBER(38,s) holds 38 - s integer digits; beyond that only FLOAT holds the values.
                type = kind == .float || integerDigits + scale > SnowflakeType.maxNumberPrecision
                    ? .float : .number(precision: SnowflakeType.maxNumberPrecision, scale: scale)
                let groupingMark = GroupingMark.allCases.first { r.grouping & (1 << $0.rawValue) != 0 }
                let proof: Evidence? = switch decimalEvidence {
                case let .only(_, e): e
                default: nil
                }
                notation = NumberNotation(grouping: groupingMark?.text, evidence: proof, ambiguous: ambiguous)
            } else {
                // Numbers only under the other mark: kept as written.
                type = .varchar(length: nil)
                factsEvidence = r.invalidBy
                integerDigits = 0
            }
        case .isoDate:
            type = .date
            dateFormat = .iso
        case .timestampNTZ:
            type = .timestampNTZ
            dateFormat = .iso
        case .timestampTZ:
            type = .timestampTZ
            dateFormat = .iso
        case .localDate, .localTimestamp:
            type = kind == .localDate ? .date : .timestampNTZ
            let order = provenDateOrder ?? dateOrder ?? .monthFirst
            switch LocalDate.Style(rawValue: dateStyle) {
            case .dot: dateFormat = .dotted
            case .yearFirst: dateFormat = .yearFirstSlashes
            case .dash: dateFormat = order == .dayFirst ? .dayMonthDashes : .monthDayDashes
            default: dateFormat = order == .dayFirst ? .european : .us
            }
        }
        let numeric = type.family == .number || type.family == .float
        let facts = ValueFacts(maxIntegerDigits: numeric ? integerDigits : 0, maxScale: numeric ? scale : 0, maxLength: maxLength,
                               dateFormat: dateFormat, percent: percent && numeric, formattedNumbers: formatted && numeric,
                               evidence: factsEvidence)
        return ColumnProfile(name: name, source: source, type: type, nulls: nulls, facts: facts, notation: notation)
    }
}

extension Evidence {
    /// The same value, `offset` lines further down (a chunk's lines made the file's).
    func shifted(_ offset: Int) -> Evidence { Evidence(line: line + offset, value: value) }
}
