import Foundation
import GRDB

/// A migration file's spark.sum chain hash as last computed, keyed by the file's stat.
///
/// `spark plan` trusts an entry when the file's size and modification time and the previous
/// chain hash are unchanged, as git trusts its index; `spark verify` always re-hashes.
public struct CachedSumHash: Sendable, Hashable {
    public var fileName: String
    public var size: Int64
    public var mtimeNanoseconds: Int64
    public var previousHash: String
    public var hash: String

    public init(fileName: String, size: Int64, mtimeNanoseconds: Int64, previousHash: String, hash: String) {
        self.fileName = fileName
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.previousHash = previousHash
        self.hash = hash
    }
}

extension StateTransaction {
    public func sumCache() throws -> [String: CachedSumHash] {
        var out: [String: CachedSumHash] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT file_name, size, mtime_ns, previous_hash, hash FROM sum_cache") {
            // By index, not name: this runs for every migration on every plan.
            let name: String = r[0]
            out[name] = CachedSumHash(fileName: name, size: r[1], mtimeNanoseconds: r[2], previousHash: r[3], hash: r[4])
        }
        return out
    }

    /// Replaces the whole cache; writes nothing when it is unchanged.
    public func saveSumCache(_ entries: [CachedSumHash]) throws {
        let current = try sumCache()
        if current.count == entries.count && entries.allSatisfy({ current[$0.fileName] == $0 }) { return }
        try db.execute(sql: "DELETE FROM sum_cache")
        for e in entries {
            try db.execute(sql: "INSERT INTO sum_cache (file_name, size, mtime_ns, previous_hash, hash) VALUES (?, ?, ?, ?, ?)",
                           arguments: [e.fileName, e.size, e.mtimeNanoseconds, e.previousHash, e.hash])
        }
    }
}
