import Foundation
import Testing

/// Parses SQL with sqlglot's Snowflake dialect, in the test virtualenv's Python.
public enum SQLGlot {
    public struct Result: Decodable, Sendable {
        /// How many statements sqlglot found in the text.
        public var count: Int
        public var error: String?
    }

    /// Parses each text separately; a comment-only remainder (sqlglot's `Semicolon`) is not a statement. Records a test failure (not a skip) when `SPARK_TEST_PYTHON` is missing.
    public static func parse(_ texts: [String]) async throws -> [Result] {
        guard let python = ProcessInfo.processInfo.environment["SPARK_TEST_PYTHON"] else {
            Issue.record("SPARK_TEST_PYTHON is not set: run the tests with scripts/test, which installs sqlglot")
            return []
        }
        let script = """
            import json, sys, logging
            logging.disable(logging.CRITICAL)
            import sqlglot
            from sqlglot import exp
            out = []
            for sql in json.load(sys.stdin):
                try:
                    out.append({"count": len([e for e in sqlglot.parse(sql, read="snowflake") if e is not None and not isinstance(e, exp.Semicolon)])})
                except Exception as e:
                    out.append({"count": 0, "error": str(e)})
            json.dump(out, sys.stdout)
            """
        return try await offPool { try run(python: python, script: script, texts: texts) }
    }

    static func run(python: String, script: String, texts: [String]) throws -> [Result] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", script]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(try JSONEncoder().encode(texts))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw HelperFailed() }
        return try JSONDecoder().decode([Result].self, from: data)
    }

    /// Expects every statement to parse as exactly one statement, and the whole text to parse as
    /// exactly as many statements as spark's splitter found.
    public struct HelperFailed: Error {}

    public static func expectValid(_ statements: [String], whole: String, file: String) async throws {
        let results = try await parse(statements + [whole])
        guard results.count == statements.count + 1 else { return }
        for (sql, r) in zip(statements, results) {
            #expect(r.error == nil && r.count == 1, "\(file): sqlglot: \(r.error ?? "\(r.count) statements") in: \(sql)")
        }
        #expect(results.last!.count == statements.count, "\(file): sqlglot finds \(results.last!.count) statements, spark \(statements.count)")
    }
}

/// Runs blocking work (waiting for a child process) on a Dispatch thread. Blocking one of Swift
/// concurrency's cooperative threads instead would starve other suites' async tests on a 2-core
/// machine, which has only two.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        DispatchQueue.global().async { c.resume(with: Result { try work() }) }
    }
}
