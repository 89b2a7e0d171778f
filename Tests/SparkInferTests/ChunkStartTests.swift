@testable import SparkInfer
import Testing

/// Where the parallel scan starts its chunks: after a line feed that ends a record, not one
/// inside a multi-line quoted field. (The merge is exact either way; a start inside a field only
/// makes the chunk before it do the next one's work too, which can leave a thread idle.)
@Suite struct ChunkStartTests {
    @Test func startsSkipLineFeedsInsideQuotedNotes() throws {
        // Meta-shaped rows; every fourth has a note of three lines, one with a comma.
        var bytes = Array("id,campaign,spend,note,active\n".utf8)
        var boundaries: Set<Int> = []
        for i in 0..<20_000 {
            boundaries.insert(bytes.count)
            let note = i % 4 == 0 ? "\"Paused on \(i % 28 + 1)/03\nbudget moved, see \"\"brief\"\"\nto wave \(i % 5)\"" : ""
            bytes += Array("\(i),\"Spring Sale, wave \(i % 5)\",\(i % 997).\(i % 100),\(note),\(i % 2 == 0)\r\n".utf8)
        }
        let path = try temporaryFile(bytes)
        let input = try DecodedInput(path: path)
        let sample = UnsafeRawBufferPointer(rebasing: input.window[0..<input.filled])
        let dialect = try #require(try DialectSniffer.sniff(sample, eof: input.atEOF))
        let starts = Inferrer.chunkStarts(input, chunkSize: 16 << 10, dialect: dialect)
        #expect(starts.count > 50)
        let inside = starts.filter { !boundaries.contains($0) }
        #expect(inside.isEmpty, "chunk starts inside a record: \(inside.prefix(5))")
    }
}
