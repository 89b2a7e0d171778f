import Foundation
import SparkTestSupport
import SparkInfer
import SparkModel
import Testing

/// The two-thread scan must give exactly what the sequential scan gives.
@Suite struct ParallelScanTests {
    static let parallel = InferOptions(parallelThreshold: 1)
    static let sequential = InferOptions(parallelThreshold: .max)

    func both(_ text: String) throws -> (FileProfile, FileProfile) {
        let path = try temporaryFile(Array(text.utf8))
        return (try Inferrer.profile(path: path, options: ParallelScanTests.sequential),
                try Inferrer.profile(path: path, options: ParallelScanTests.parallel))
    }

    func rows(_ n: Int, _ row: (Int) -> String) -> String {
        (0..<n).map(row).joined()
    }

    @Test func halvesAgreeWithTheSequentialScan() throws {
        let text = "\u{FEFF}id,spend,when,note\n" + rows(5000) { i in
            "\(i),\(i % 7 == 0 ? "" : "\(i).\(i % 100)"),2024-01-\(1 + i % 28),\(i % 3 == 0 ? "\"a, b\nc\"" : "x")\n"
        }
        let (s, p) = try both(text)
        #expect(s == p)
        #expect(p.rows == 5000)
    }

    @Test func theSecondHalfDecidesTheTypeAndItsLine() throws {
        let text = "id,spend\n" + rows(4000) { i in "\(i),\(i)\n" } + "4000,n.a.\n" + rows(10) { i in "\(i),1\n" }
        let (s, p) = try both(text)
        #expect(s == p)
        #expect(p.columns[1].type == .varchar(length: nil))
        #expect(p.columns[1].facts.evidence == Evidence(line: 4002, value: "n.a."))
    }

    @Test func aMiddleInsideAQuotedFieldFallsBackCorrectly() throws {
        // One huge quoted field spans the middle: the first line feed past it is inside quotes.
        let big = String(repeating: "word\n", count: 20_000)
        let text = "a,b\n1,\"\(big)\"\n2,x\n3,\"y\nz\"\n"
        let (s, p) = try both(text)
        #expect(s == p)
        #expect(p.rows == 3)
    }

    @Test func anErrorInTheSecondHalfNamesTheFileLine() throws {
        let text = "a,b\n" + rows(3000) { i in "\(i),\(i)\n" } + "1,2,3\n" + rows(100) { i in "\(i),\(i)\n" }
        let path = try temporaryFile(Array(text.utf8))
        for options in [ParallelScanTests.sequential, ParallelScanTests.parallel] {
            #expect(throws: InferError.self) { try Inferrer.profile(path: path, options: options) }
            do { _ = try Inferrer.profile(path: path, options: options) } catch {
                #expect(error.line == 3002 && error.kind == .tooManyFields)
            }
        }
    }

    @Test func windows1252FallbackStillWorks() throws {
        var bytes = Array("name,x\n".utf8)
        for i in 0..<3000 { bytes += Array("n\(i),\(i)\n".utf8) }
        bytes += [0x63, 0x61, 0x66, 0xE9, 0x2C, 0x31, 0x0A] // caf\xE9,1
        let path = try temporaryFile(bytes)
        let p = try Inferrer.profile(path: path, options: ParallelScanTests.parallel)
        #expect(p.dialect.encoding == .windows1252 && p.rows == 3001)
    }

    /// Many small chunks, boundaries often inside quoted line breaks: the same profile, or the
    /// same error on the same line, as the sequential scan.
    @Test(arguments: 0..<120)
    func smallChunksAgreeWithTheSequentialScan(seed: Int) throws {
        let tables = RoundTripPropertyTests()
        var rng = RoundTripPropertyTests.Random(state: UInt64(50_000 + seed))
        var table = tables.randomTable(&rng)
        table.rows.insert((0..<table.rows[0].count).map { "col\($0)" }, at: 0)
        // Multi-line quoted values in most rows, and now and then a row of the wrong width.
        for r in 1..<table.rows.count where rng.below(3) == 0 { table.rows[r][rng.below(table.rows[r].count)] = "a\nb,\"c\"\r\nd" }
        if rng.below(4) == 0 { table.rows[1 + rng.below(table.rows.count - 1)].append("extra") }
        var text = tables.write(table, &rng, lineEnding: rng.pick(["\n", "\r\n"]), quoteAll: false, finalNewline: rng.below(2) == 0)
        if rng.below(2) == 0 { text = "\u{FEFF}" + text }
        let path = try temporaryFile(Array(text.utf8))
        let sequential = Result { try Inferrer.profile(path: path, options: ParallelScanTests.sequential) }
        for chunkSize in [1, 16, 40, 100, 333] {
            let chunked = Result { try Inferrer.profile(path: path, options: InferOptions(parallelThreshold: 1, chunkSize: chunkSize)) }
            switch (sequential, chunked) {
            case let (.success(a), .success(b)): #expect(a == b, "seed \(seed), chunk \(chunkSize)")
            case let (.failure(a as InferError), .failure(b as InferError)):
                #expect(a.kind == b.kind && a.line == b.line && a.message == b.message, "seed \(seed), chunk \(chunkSize)")
            default: Issue.record("seed \(seed), chunk \(chunkSize): \(sequential) vs \(chunked)")
            }
        }
    }

    @Test func anErrorInALaterChunkNamesTheFileLine() throws {
        let text = "a,b\n" + rows(3000) { i in i % 7 == 0 ? "\(i),\"x\ny\"\n" : "\(i),\(i)\n" } + "1,2,3\n" + rows(100) { i in "\(i),\(i)\n" }
        let path = try temporaryFile(Array(text.utf8))
        let expected = 3002 + 3000 / 7 + 1
        for chunkSize in [.max, 1000, 64] {
            do {
                _ = try Inferrer.profile(path: path, options: InferOptions(parallelThreshold: 1, chunkSize: chunkSize))
                Issue.record("no error with chunk \(chunkSize)")
            } catch {
                #expect(error.line == expected && error.kind == .tooManyFields, "chunk \(chunkSize): \(error)")
            }
        }
    }
}

/// Rejected and summary rows found by the chunks of a parallel scan are the sequential scan's.
@Suite struct ParallelLeftOutRowsTests {
    @Test func chunksFindTheSameRejectedAndSummaryRows() throws {
        var text = "Campaign,Day,Clicks,Spend\n"
        for i in 0..<6000 {
            switch i % 997 {
            case 13: text += "Total: Account,,\(i),\(i).50\n"
            case 500: text += "bad,row,with,too,many,fields\n"
            case 700: text += "C\(i),2024-03-01,\"1\"2,3.25\n"
            default: text += "C\(i),2024-03-\(10 + i % 18),\(i),\(i % 100).25\n"
            }
        }
        let path = try temporaryFile(Array(text.utf8))
        let sequential = try Inferrer.profile(path: path, options: InferOptions(parallelThreshold: .max, badRows: .reject))
        for chunk in [4 << 10, 16 << 10, 64 << 10] {
            let parallel = try Inferrer.profile(path: path, options: InferOptions(parallelThreshold: 1, chunkSize: chunk, badRows: .reject))
            #expect(parallel == sequential, "chunk \(chunk)")
        }
        #expect(sequential.summaryRows.count == 7)
        #expect(sequential.rejectedRows.count == 12)
        #expect(sequential.rows == 6000 - 7 - 12)
        #expect(sequential.columns[1].type == .date)
    }
}
