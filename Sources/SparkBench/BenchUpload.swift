#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import SparkProject
import SnowflakeClient

struct BenchUpload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "An encrypted S3 stage upload of a large file to moto on loopback: time and peak memory.",
        discussion: """
            Starts moto's S3 server (.venv/bin/moto_server, from scripts/bootstrap) on a free loopback port, \
            writes a file of incompressible bytes, uploads it the way PUT does to an S3 stage with client-side \
            encryption (multipart, SigV4), optionally downloads it back, and prints the time of each and the \
            peak resident memory of the process that did the transfer (a child `spark-bench upload --file … \
            --endpoint …`, measured like the other benchmarks). The file is streamed: memory stays near one \
            part whatever its size.

            Example:
              .build/release/spark-bench upload --size-mb 1024 --download
            """)

    @Option(name: .customLong("size-mb"), help: "Size of the generated file in MiB.") var megabytes = 1024
    @Option(help: "Working directory.") var workDir = ".bench/upload"
    @Option(help: "moto_server executable.") var moto = ".venv/bin/moto_server"
    @Flag(help: "Also download the object back (GET) and compare its size.") var download = false
    @Option(help: .hidden) var file: String?
    @Option(help: .hidden) var endpoint: String?

    func run() async throws {
        if let file, let endpoint { return try await transfer(file: file, endpoint: endpoint) }
        let fm = FileManager.default
        let root = URL(fileURLWithPath: workDir).standardizedFileURL
        try? fm.removeItem(at: root)
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        // Random-looking bytes starting like gzip, so PUT sends them as they are (as spark's canonical .gz files).
        let file = root.appendingPathComponent("upload.csv.gz")
        _ = fm.createFile(atPath: file.path, contents: nil)
        let out = try FileHandle(forWritingTo: file)
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for i in 0..<megabytes {
            for j in stride(from: 0, to: chunk.count, by: 8) {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                withUnsafeBytes(of: state) { chunk.replaceSubrange(j..<j + 8, with: $0) }
            }
            if i == 0 { chunk[0] = 0x1F; chunk[1] = 0x8B }
            try out.write(contentsOf: chunk)
        }
        try out.close()

        let port = try freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: moto)
        server.arguments = ["-H", "127.0.0.1", "-p", "\(port)"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        do { try server.run() } catch { throw BenchError("cannot start \(moto): run scripts/bootstrap first") }
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        try waitForPort(port, what: "moto_server")

        let me = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        let child = try runMeasured(
            [me, "upload", "--file", file.path, "--endpoint", "http://127.0.0.1:\(port)"] + (download ? ["--download"] : []))
        guard child.status == 0 else { throw BenchError("the transfer failed (exit \(child.status)): \(child.stdout)") }
        print(child.stdout, terminator: "")
        print(String(format: "peak RSS of the transfer process: %.1f MiB", Double(child.peakRSSKiB) / 1024))
        try? fm.removeItem(at: file)
    }

    /// The measured child: one encrypted PUT of `file` to a new bucket at `endpoint`, then the GET.
    private func transfer(file: String, endpoint: String) async throws {
        var key = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for i in key.indices { key[i] = generator.next() }
        let location = StageLocation(
            locationType: "S3", location: "bench-bucket/stage/", region: "us-east-1", endpoint: endpoint,
            credentials: ["AWS_KEY_ID": "AKIDBENCH", "AWS_SECRET_KEY": "bench-secret", "AWS_TOKEN": "bench-token"],
            encryptionMaterial: ["queryStageMasterKey": Data(key).base64EncodedString(), "queryId": "bench", "smkId": "1"])
        try await StageTransfer.createBucket(location)
        let start = DispatchTime.now().uptimeNanoseconds
        let staged = try await StageTransfer.put(file, to: location)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let mib = Double(staged.uploadSize) / 1_048_576
        print(String(format: "upload: %.0f MiB encrypted to S3 (moto) in %.2fs, %.1f MiB/s", mib, seconds, mib / seconds))
        if download {
            let back = (file as NSString).deletingLastPathComponent + "/back.csv.gz"
            let t0 = DispatchTime.now().uptimeNanoseconds
            let bytes = try await StageTransfer.get(staged.destinationName, from: location, to: back)
            let s = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            try? FileManager.default.removeItem(atPath: back)
            guard bytes == staged.uploadSize else { throw BenchError("downloaded \(bytes) bytes, uploaded \(staged.uploadSize)") }
            print(String(format: "download: %.0f MiB decrypted in %.2fs, %.1f MiB/s", mib, s, mib / s))
        }
    }
}
