import Foundation
import Logging
import SnowflakeClient

/// The answer to one statement, reduced to what the executor reads.
public struct StatementResult: Sendable {
    public var columns: [String]
    /// Values as text; nil is SQL NULL.
    public var rows: [[String?]]
    /// For COPY INTO: rows loaded over all files.
    public var rowsLoaded: Int64?
    public var queryId: String?

    public init(columns: [String] = [], rows: [[String?]] = [], rowsLoaded: Int64? = nil, queryId: String? = nil) {
        self.columns = columns
        self.rows = rows
        self.rowsLoaded = rowsLoaded
        self.queryId = queryId
    }

    /// The value of `column` in the first row.
    public func first(_ column: String) -> String? {
        guard let i = columns.firstIndex(where: { $0.caseInsensitiveCompare(column) == .orderedSame }), let row = rows.first else { return nil }
        return row[i]
    }
}

/// Where statements go. `query` reads (history, lock, load checks); `execute` changes the target;
/// `record` writes spark's own bookkeeping (history, lock). A dry run wraps the real driver so it
/// takes the same code path and changes nothing.
public protocol Driver: Sendable {
    func query(_ sql: String) async throws -> StatementResult
    func execute(_ sql: String) async throws -> StatementResult
    func record(_ sql: String) async throws
    /// Requests sent so far, for the benchmark's requests-per-statement figure.
    var requests: Int { get async }
    /// Asks the server to cancel the statement now running, if any (a stop that waited long enough).
    func abortRunning() async
}

/// Runs statements on a Snowflake session, one statement per request.
public actor SnowflakeDriver: Driver {
    private let session: SnowflakeSession
    private var count = 0

    public init(session: SnowflakeSession) {
        self.session = session
    }

    public var requests: Int { count }

    public func query(_ sql: String) async throws -> StatementResult { try await run(sql) }
    public func execute(_ sql: String) async throws -> StatementResult { try await run(sql) }
    public func record(_ sql: String) async throws { _ = try await run(sql) }
    public func abortRunning() async { await session.abortRunningQuery() }

    private func run(_ sql: String) async throws -> StatementResult {
        count += 1
        let r = try await session.execute(sql)
        return StatementResult(columns: r.columns.map(\.name), rows: r.rows.map { $0.map { $0?.description } },
                               rowsLoaded: r.rowsLoaded, queryId: r.queryId.isEmpty ? nil : r.queryId)
    }
}

/// Prints every changing statement instead of running it. Reads go to `reading` when there is a
/// target to compare with, and see an empty target otherwise.
public actor DryRunDriver: Driver {
    private let reading: (any Driver)?
    private let print: @Sendable (String) -> Void

    public init(reading: (any Driver)?, print: @escaping @Sendable (String) -> Void) {
        self.reading = reading
        self.print = print
    }

    public var requests: Int { get async { await reading?.requests ?? 0 } }

    public func query(_ sql: String) async throws -> StatementResult {
        guard let reading else { return StatementResult() }
        return try await reading.query(sql)
    }

    public func execute(_ sql: String) async throws -> StatementResult {
        print(sql + ";")
        return StatementResult()
    }

    /// Bookkeeping is neither run nor printed: the dry run shows the migrations' own SQL.
    public func record(_ sql: String) async throws {}
    public func abortRunning() async {}
}
