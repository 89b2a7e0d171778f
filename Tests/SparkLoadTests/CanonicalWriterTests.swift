import Foundation
import SparkInfer
import SparkLoad
import SparkModel
import Testing

func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spark-load-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// gunzip through the system's gzip: an independent reader of what spark wrote.
func gunzip(_ path: String) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/gzip")
    p.arguments = ["-dc", path]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    return String(decoding: data, as: UTF8.self)
}

/// The spec a migration would carry for a file, straight from inference.
func spec(for path: String, wave: Int = 1) throws -> CanonicalSpec {
    let profile = try Inferrer.profile(path: path)
    return CanonicalSpec(profile: profile, source: path,
                         constants: [("SPARK_WAVE", "\(wave)"), ("SPARK_SOURCE_FILE", (path as NSString).lastPathComponent), ("SPARK_FILE_SHA256", profile.sha256)])
}

@Suite struct CanonicalWriterTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    @Test func writesTypedCanonicalValues() throws {
        let dir = try temporaryDirectory()
        let source = dir.appendingPathComponent("in.csv").path
        try Data("Day;Spend;CTR;Clicks;Active;Note\n15/1/2024;\"$1,234.50\";3.45%;--;TRUE;\"a \"\"b\"\", c\"\n2/3/2024;$7;0.5%;1,200;false;N/A\n".utf8)
            .write(to: URL(fileURLWithPath: source))
        let out = dir.appendingPathComponent("out.csv.gz").path
        let result = try CanonicalWriter.write(try spec(for: source), to: out)
        #expect(result.rows == 2)
        let text = try gunzip(out)
        let sha = try Inferrer.profile(path: source).sha256
        #expect(text == """
            DAY,SPEND,CTR,CLICKS,ACTIVE,NOTE,SPARK_WAVE,SPARK_SOURCE_FILE,SPARK_FILE_SHA256
            2024-01-15,1234.50,3.45,\\N,TRUE,"a ""b"", c",1,in.csv,\(sha)
            2024-03-02,7,0.5,1200,FALSE,\\N,1,in.csv,\(sha)

            """)
    }

    /// What inference reads from the canonical copy is what it read from the original.
    @Test(arguments: ["byd_google_ads_2024_wave1.csv", "byd_linkedin_2024_wave1.csv", "byd_meta_2024_wave2.csv"])
    func canonicalCopyInfersTheSameTypes(_ name: String) throws {
        let source = CanonicalWriterTests.examples.appendingPathComponent(name).path
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("out.csv.gz").path
        let s = try spec(for: source)
        let result = try CanonicalWriter.write(s, to: out)
        let plain = dir.appendingPathComponent("plain.csv")
        try Data(try gunzip(out).utf8).write(to: plain)
        let again = try Inferrer.profile(path: plain.path, options: InferOptions(nullMarkers: [CanonicalWriter.nullMarker]))
        let original = try Inferrer.profile(path: source)
        #expect(again.rows == original.rows && result.rows == original.rows)
        for (a, b) in zip(original.columns, again.columns) {
            #expect(a.name == b.name)
            #expect(a.type == b.type, "\(a.name)")
            #expect(a.nulls == b.nulls, "\(a.name)")
        }
        #expect(again.columns.first { $0.name == "SPARK_FILE_SHA256" }?.type == .varchar(length: nil))
    }

    @Test func aChangedFileIsRefusedAndLeavesNothing() throws {
        let dir = try temporaryDirectory()
        let source = dir.appendingPathComponent("in.csv").path
        try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: source))
        var s = try spec(for: source)
        try Data("a,b\n1,3\n".utf8).write(to: URL(fileURLWithPath: source))
        s.sha256 = String(s.sha256)
        let out = dir.appendingPathComponent("out.csv.gz").path
        #expect(throws: LoadError.self) { try CanonicalWriter.write(s, to: out) }
        do { _ = try CanonicalWriter.write(s, to: out) } catch {
            #expect(error.message.contains("changed since it was planned"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["in.csv"])
    }

    @Test func aValueThatDoesNotFitNamesTheLine() throws {
        let dir = try temporaryDirectory()
        let source = dir.appendingPathComponent("in.csv").path
        try Data("id,spend\n1,1.50\n2,2.125\n".utf8).write(to: URL(fileURLWithPath: source))
        var s = try spec(for: source)
        s.columns[1].type = .number(precision: 38, scale: 2)
        let out = dir.appendingPathComponent("out.csv.gz").path
        do {
            _ = try CanonicalWriter.write(s, to: out)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.line == 3)
            #expect(error.description.contains("column SPEND: value \"2.125\" has 3 decimals but the column holds 2"))
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["in.csv"], "no partial copy is left")
    }

    @Test func largeFilesStreamThroughBoundedChunks() throws {
        let dir = try temporaryDirectory()
        let source = dir.appendingPathComponent("in.csv").path
        var text = "id,note,amount\n"
        for i in 0..<200_000 { text += "\(i),\"row \(i), with comma\",\(i).5\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: source))
        let out = dir.appendingPathComponent("out.csv.gz").path
        let result = try CanonicalWriter.write(try spec(for: source), to: out)
        #expect(result.rows == 200_000)
        let lines = try gunzip(out).split(separator: "\n")
        #expect(lines.count == 200_001)
        #expect(lines[200_000].hasPrefix("199999,\"row 199999, with comma\",199999.5,1,in.csv,"))
    }
}
