import Foundation
import SparkInfer
import SparkModel
import Testing

/// One folder per case under Golden/: `input.*`, and either `expected.json` (the
/// `spark infer --format json` report) or `expected_stderr.txt` (the error).
/// `SPARK_RECORD=1 swift test --filter GoldenTests` rewrites the expected files.
@Suite struct GoldenTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let cases = (try? FileManager.default.contentsOfDirectory(atPath: root.path).filter { !$0.hasPrefix(".") }.sorted()) ?? []
    static let recording = ProcessInfo.processInfo.environment["SPARK_RECORD"] == "1"

    @Test func casesExist() {
        #expect(GoldenTests.cases.count >= 15)
    }

    @Test(arguments: GoldenTests.cases)
    func golden(_ name: String) throws {
        let dir = GoldenTests.root.appendingPathComponent(name)
        let input = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix("input.") })
        let path = dir.appendingPathComponent(input).path
        let actual: String
        let expectedFile: String
        do {
            var profile = try Inferrer.profile(path: path)
            profile.path = input
            actual = InferReport([profile]).json()
            expectedFile = "expected.json"
        } catch {
            actual = error.description.replacingOccurrences(of: dir.path + "/", with: "") + "\n"
            expectedFile = "expected_stderr.txt"
        }
        let expectedURL = dir.appendingPathComponent(expectedFile)
        if GoldenTests.recording {
            for stale in ["expected.json", "expected_stderr.txt"] { try? FileManager.default.removeItem(at: dir.appendingPathComponent(stale)) }
            try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = try? String(contentsOf: expectedURL, encoding: .utf8)
        #expect(expected != nil, "\(name): no \(expectedFile); the case produced:\n\(actual)")
        #expect(actual == expected, "\(name) differs from \(expectedFile); re-record with SPARK_RECORD=1 if the change is intended")
    }
}
