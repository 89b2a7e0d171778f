/// "Did you mean" for names a user types: the closest known name within a small edit distance.
public enum Spelling {
    /// The known name closest to `word` (case-insensitive), when it is at most two edits away
    /// (one for names of four letters or fewer), or nil.
    public static func closest(to word: String, in known: [String]) -> String? {
        let w = Array(word.lowercased())
        var best: (name: String, distance: Int)?
        for name in known {
            let d = distance(w, Array(name.lowercased()))
            let limit = min(w.count, name.count) <= 4 ? 1 : 2
            if d <= limit, best == nil || d < best!.distance { best = (name, d) }
        }
        return best?.name
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// neighbours each count one ("tiktokk" → "tiktok" is one, "metaa" → "meta" is one).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { rows[i][0] = i }
        for j in 0...b.count { rows[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var d = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] { d = min(d, rows[i - 2][j - 2] + 1) }
                rows[i][j] = d
            }
        }
        return rows[a.count][b.count]
    }
}
