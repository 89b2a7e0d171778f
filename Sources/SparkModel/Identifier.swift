import Foundation

/// Snowflake identifiers made from CSV headers.
///
/// spark always quotes identifiers it emits (see ``quoted(_:)``), so normalization is for
/// readability and stability, not for safety.
public enum Identifier {
    /// Snowflake's identifier length limit.
    public static let maxLength = 255

    /// `Amount spent (USD)` → `AMOUNT_SPENT_USD`; `Video plays at 25%` → `VIDEO_PLAYS_AT_25_PCT`.
    ///
    /// Letters lose their diacritics and are upper-cased, `%` becomes the word `PCT`, every other
    /// run of non-alphanumerics becomes one `_`. A name starting with a digit gets `COL_` in front;
    /// a header with nothing usable becomes `COL_<position>` (1-based).
    public static func normalize(_ header: String, position: Int) -> String {
        let folded = header.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var out = ""
        var pendingUnderscore = false
        func emit(_ s: String) {
            if pendingUnderscore && !out.isEmpty { out.append("_") }
            pendingUnderscore = false
            out.append(s)
        }
        for scalar in folded.unicodeScalars {
            switch scalar {
            case "a"..."z": emit(String(scalar).uppercased())
            case "A"..."Z", "0"..."9": emit(String(scalar))
            case "%":
                pendingUnderscore = true
                emit("PCT")
                pendingUnderscore = true
            default: pendingUnderscore = true
            }
        }
        if out.isEmpty { return "COL_\(position)" }
        if out.first!.isNumber { out = "COL_" + out }
        if out.count > maxLength { out = String(out.prefix(maxLength)) }
        return out
    }

    /// Normalizes every header and makes the names unique: the first of a clash keeps the
    /// name, later ones get `_2`, `_3`, … (skipping any name already taken). Deterministic.
    public static func uniqueNames(for headers: [String]) -> [String] {
        var taken = Set<String>()
        var result: [String] = []
        result.reserveCapacity(headers.count)
        let bases = headers.enumerated().map { normalize($0.element, position: $0.offset + 1) }
        // Names that appear as-is are reserved first, so `Clicks_2` in the header wins over a suffix.
        var counts: [String: Int] = [:]
        for b in bases { counts[b, default: 0] += 1 }
        for base in bases {
            var name = base
            if taken.contains(name) {
                var n = 2
                repeat {
                    let suffix = "_\(n)"
                    name = String(base.prefix(maxLength - suffix.count)) + suffix
                    n += 1
                } while taken.contains(name) || (counts[name] ?? 0) > 0
            }
            taken.insert(name)
            result.append(name)
        }
        return result
    }

    /// The one place identifiers are quoted: `"` + the name with every `"` doubled + `"`.
    public static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
