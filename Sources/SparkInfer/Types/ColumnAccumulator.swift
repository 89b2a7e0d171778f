import SparkModel

/// The running type of one column, widened value by value.
///
/// The lattice: nothing seen → boolean | number → float | ISO date → timestamp | slash date;
/// any disagreement ends in text. Once a column is text only lengths and nulls are counted.
struct ColumnAccumulator {
    enum Kind: UInt8 {
        case none, boolean, number, float, isoDate, slashDate, timestampNTZ, timestampTZ, text
    }

    var kind: Kind = .none
    var nulls = 0
    /// Of `nulls`, the blank (all-space) values, counted only while the column is not text:
    /// once it is, blanks are measured as text. ``absorb(_:lineOffset:)`` needs them apart.
    var blankNulls = 0
    var maxIntegerDigits = 0
    var maxScale = 0
    var maxLength = 0
    var monthFirstPossible = true
    var dayFirstPossible = true
    var percent = false
    var formatted = false
    var evidence: Evidence?

    /// Merges one lexed value. Returns true when the column's type (or scale) widened, so the
    /// caller records the value as evidence.
    @inline(__always)
    mutating func merge(_ v: LexedValue) -> Bool {
        let before = kind
        switch v.shape {
        case .null:
            nulls += 1
            blankNulls += 1
            return false
        case .boolean:
            kind = (kind == .none || kind == .boolean) ? .boolean : .text
        case let .number(integerDigits, scale, _):
            switch kind {
            case .none, .number:
                kind = .number
                if integerDigits > maxIntegerDigits { maxIntegerDigits = integerDigits }
                if scale > maxScale {
                    maxScale = scale
                    if v.percent { percent = true }
                    if v.formatted { formatted = true }
                    return true
                }
            case .float:
                if integerDigits > maxIntegerDigits { maxIntegerDigits = integerDigits }
                if scale > maxScale { maxScale = scale }
            default: kind = .text
            }
            if v.percent { percent = true }
            if v.formatted { formatted = true }
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
        case let .slashDate(a, b, year):
            guard kind == .none || kind == .slashDate else { kind = .text; break }
            kind = .slashDate
            let monthFirst = a <= 12 && b <= ValueLexer.daysIn(month: a, year: year)
            let dayFirst = b <= 12 && a <= ValueLexer.daysIn(month: b, year: year)
            var narrowed = false
            if monthFirstPossible && !monthFirst { monthFirstPossible = false; narrowed = true }
            if dayFirstPossible && !dayFirst { dayFirstPossible = false; narrowed = true }
            if !monthFirstPossible && !dayFirstPossible { kind = .text }
            if narrowed { return true }
        case .text:
            kind = .text
        }
        return kind != before
    }

    /// Whether ``absorb(_:lineOffset:)`` gives exactly what merging the later part's values one
    /// by one after this part's would. The later part was accumulated from nothing; that equals
    /// carrying on from this state when this column saw nothing typed yet, when it is already text
    /// (then only nulls and lengths count), or when the later part never widens it.
    func canAbsorb(_ later: ColumnAccumulator) -> Bool {
        switch kind {
        case .none, .text: return true
        default:
            return later.kind != .text && ColumnAccumulator.join(kind, later.kind) == kind && later.maxScale <= maxScale
                && (!monthFirstPossible || later.monthFirstPossible) && (!dayFirstPossible || later.dayFirstPossible)
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
        blankNulls += later.blankNulls
        let before = (kind, maxScale, monthFirstPossible, dayFirstPossible)
        nulls += later.nulls
        maxIntegerDigits = max(maxIntegerDigits, later.maxIntegerDigits)
        maxScale = max(maxScale, later.maxScale)
        maxLength = max(maxLength, later.maxLength)
        percent = percent || later.percent
        formatted = formatted || later.formatted
        monthFirstPossible = monthFirstPossible && later.monthFirstPossible
        dayFirstPossible = dayFirstPossible && later.dayFirstPossible
        kind = ColumnAccumulator.join(kind, later.kind)
        if kind == .slashDate && !monthFirstPossible && !dayFirstPossible { kind = .text }
        // The evidence stays the earlier part's unless the later part is what widened the column.
        let widened = kind != before.0 || maxScale > before.1 || monthFirstPossible != before.2 || dayFirstPossible != before.3
        if widened, let e = later.evidence { evidence = Evidence(line: e.line + lineOffset, value: e.value) }
    }

    /// The least kind that holds both: the same lattice ``merge(_:)`` walks value by value.
    static func join(_ a: Kind, _ b: Kind) -> Kind {
        if a == .none || a == b { return b }
        if b == .none { return a }
        switch (a, b) {
        case (.number, .float), (.float, .number): return .float
        case (.isoDate, .timestampNTZ), (.timestampNTZ, .isoDate): return .timestampNTZ
        default: return .text
        }
    }

    /// The Snowflake type and facts for everything merged, plus a warning if a default was chosen.
    func profile(name: String, source: String) -> (ColumnProfile, warning: String?) {
        var warning: String?
        var dateFormat: DateFormat?
        let type: SnowflakeType
        switch kind {
        case .none, .text: type = .varchar(length: nil)
        case .boolean: type = .boolean
        case .number:
            // NUMBER(38,s) holds 38 - s integer digits; beyond that only FLOAT holds the values.
            type = maxIntegerDigits + maxScale > SnowflakeType.maxNumberPrecision
                ? .float : .number(precision: SnowflakeType.maxNumberPrecision, scale: maxScale)
        case .float: type = .float
        case .isoDate:
            type = .date
            dateFormat = .iso
        case .timestampNTZ:
            type = .timestampNTZ
            dateFormat = .iso
        case .timestampTZ:
            type = .timestampTZ
            dateFormat = .iso
        case .slashDate:
            type = .date
            if monthFirstPossible {
                dateFormat = .us
                if dayFirstPossible {
                    warning = "column \(name) (\"\(source)\"): every date fits both MM/DD/YYYY and DD/MM/YYYY; assuming US MM/DD/YYYY"
                }
            } else {
                dateFormat = .european
            }
        }
        let facts = ValueFacts(maxIntegerDigits: maxIntegerDigits, maxScale: maxScale, maxLength: maxLength, dateFormat: dateFormat,
                               percent: percent, formattedNumbers: formatted, evidence: evidence)
        return (ColumnProfile(name: name, source: source, type: type, nulls: nulls, facts: facts), warning)
    }
}
