
/// Snowflake SQL spellings. Identifiers are quoted by `Identifier.quoted` and nowhere else.
public enum SQLText {
    /// `"DB"."SCHEMA"."NAME"`
    public static func qualified(_ parts: [String]) -> String {
        parts.map(Identifier.quoted).joined(separator: ".")
    }

    /// A single-quoted Snowflake string literal. Backslash is Snowflake's escape character inside
    /// strings, so it is doubled; quotes are doubled; line breaks and other control characters are
    /// escaped, so a literal never spans lines.
    public static func literal(_ s: String) -> String {
        var out = "'"
        for u in s.unicodeScalars {
            switch u {
            case "'": out += "''"
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    let hex = String(u.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "'"
    }

    /// Text safe to put after `--` on one line: control characters become spaces.
    public static func comment(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : $0 }))
    }
}

extension String {
    /// The string without leading and trailing spaces (only U+0020, as CSV cells are compared).
    public var trimmingSpaces: Substring {
        var s = self[...]
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
