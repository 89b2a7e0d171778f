import Foundation
import SparkInfer
import SparkModel
import Testing

/// Inputs past what one record may hold get an error naming the limit, never a crash; a very
/// wide header works.
@Suite struct HugeInputTests {
    @Test func aHundredMegabyteCellIsRefusedNamingTheLimit() throws {
        var bytes = Array("id,note\n1,short\n2,".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 100 << 20)
        bytes += Array("\n3,short\n".utf8)
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for options in [InferOptions(), InferOptions(parallelThreshold: 1)] {
            do {
                _ = try Inferrer.profile(path: path, options: options)
                Issue.record("a 100 MB cell was accepted")
            } catch {
                #expect(error.kind == .recordTooLarge)
                #expect(error.line == 3)
                #expect(error.message.contains("larger than 24 MB"), "\(error)")
            }
        }
    }

    @Test func anUnclosedQuoteRunningToTheEndIsRefusedAtItsLine() throws {
        var text = "id,note\n1,\"never closed\n"
        for i in 0..<200_000 { text += "\(i),line of text that is now inside the quote\n" }
        let path = try temporaryFile(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: InferError.self) { try Inferrer.profile(path: path) }
        do { _ = try Inferrer.profile(path: path) } catch {
            #expect(error.line == 2, "\(error)")
        }
    }

    @Test func aTenThousandColumnHeaderWorks() throws {
        let width = 10_000
        var text = (0..<width).map { "Metric number \($0)" }.joined(separator: ",") + "\n"
        for r in 0..<3 { text += (0..<width).map { "\($0 * 10 + r)" }.joined(separator: ",") + "\n" }
        #expect(text.utf8.count > 64 << 10, "wider than the first read")
        let profile = try infer(text)
        #expect(profile.columns.count == width)
        #expect(profile.rows == 3)
        #expect(profile.columns.last?.name == "METRIC_NUMBER_9999")
        #expect(profile.columns.allSatisfy { $0.type == .number(precision: 38, scale: 0) })
    }
}
