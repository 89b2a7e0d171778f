/// The currencies a number may be written with, before or after it (`$1,234.50`, `1.234,56 €`,
/// `CHF 1'234.50`, `1 234,56 zł`). Symbols and ISO codes of one currency share an id, so a
/// column writing `€` and `EUR` is one currency; two currencies in a column make it text.
public enum Currency {
    /// Tokens, longest first (so `US$` and `R$` are tried before `$`), and their currency's id.
    static let tokens: [(bytes: [UInt8], id: UInt8)] = {
        let table: [(String, UInt8)] = [
            ("US$", 1), ("USD", 1), ("$", 1),
            ("€", 2), ("EUR", 2),
            ("£", 3), ("GBP", 3),
            ("¥", 4), ("JPY", 4),
            ("₹", 5), ("INR", 5),
            ("zł", 6), ("PLN", 6),
            ("Kč", 7), ("CZK", 7),
            ("Fr.", 8), ("CHF", 8),
            ("R$", 9), ("BRL", 9),
            ("SEK", 10), ("NOK", 11), ("DKK", 12), ("kr", 13),
            ("A$", 14), ("AUD", 14), ("C$", 15), ("CAD", 15),
            ("Ft", 16), ("HUF", 16), ("MXN", 17), ("RON", 18),
        ]
        return table.map { (Array($0.0.utf8), $0.1) }.sorted { $0.0.count > $1.0.count }
    }()

    /// Bytes whose presence at a value's start may begin a currency token.
    static let firstBytes: Set<UInt8> = Set(tokens.map { $0.bytes[0] })
    static let lastBytes: Set<UInt8> = Set(tokens.map { $0.bytes[$0.bytes.count - 1] })

    /// The currency token starting at `i`, if any: (id, bytes).
    static func prefix(_ p: UnsafePointer<UInt8>, _ i: Int, _ e: Int) -> (UInt8, Int)? {
        guard firstBytes.contains(p[i]) else { return nil }
        for t in tokens where t.bytes.count <= e - i {
            var match = true
            for k in 0..<t.bytes.count where p[i + k] != t.bytes[k] { match = false; break }
            if match { return (t.id, t.bytes.count) }
        }
        return nil
    }

    /// The currency token ending just before `e`, if any: (id, bytes).
    static func suffix(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> (UInt8, Int)? {
        guard lastBytes.contains(p[e - 1]) else { return nil }
        for t in tokens where t.bytes.count <= e - s {
            let start = e - t.bytes.count
            var match = true
            for k in 0..<t.bytes.count where p[start + k] != t.bytes[k] { match = false; break }
            if match { return (t.id, t.bytes.count) }
        }
        return nil
    }
}
