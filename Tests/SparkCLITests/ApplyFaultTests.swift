import Foundation
import SparkModel
import SparkTestSupport
import Testing

struct FaultNotReached: Error {}

/// `scripts/fault-proxy.py` between spark and fakesnow, armed by the test.
final class FaultProxy: @unchecked Sendable {
    let process = Process()
    let input = Pipe()
    let port: Int
    let python: String

    init(upstream: Int) throws {
        guard let python = ProcessInfo.processInfo.environment["SPARK_TEST_PYTHON"] else {
            throw TestEnvironmentMissing(variable: "SPARK_TEST_PYTHON")
        }
        self.python = python
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [CLI.repositoryRoot.appendingPathComponent("scripts/fault-proxy.py").path, "\(upstream)"]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else { throw TestEnvironmentMissing(variable: "a fault proxy port") }
        self.port = port
    }

    /// Arms one fault: it fires on the `nth` statement whose SQL contains `match`.
    func arm(_ mode: String, match: String, nth: Int = 1, seconds: Double = 3) throws {
        let body = try JSONSerialization.data(withJSONObject: ["mode": mode, "match": match, "nth": nth, "seconds": seconds])
        _ = try control(body)
    }

    /// How many armed faults fired.
    func fired() throws -> Int { try counter("fired") }

    /// How many answers a `delay` fault holds back now or did: statements that ran on the server.
    func held() throws -> Int { try counter("held") }

    private func counter(_ name: String) throws -> Int {
        let answer = try control(nil)
        return (try JSONSerialization.jsonObject(with: answer) as? [String: Any])?[name] as? Int ?? -1
    }

    /// Waits until the armed `delay` fault holds an answer: the statement has run on the server,
    /// and the client waits for its answer.
    func waitUntilHeld(seconds: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while try held() == 0 {
            guard Date() < deadline else { throw FaultNotReached() }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Arms a `delay` of `seconds` on statement `k` (1-based) of `migration` (a file of the
    /// project): the fault matches the statement's last 80 characters (the same as sent, local
    /// paths aside), at its place among the migration's statements that end the same way.
    func arm(holding k: Int, of migration: URL, seconds: Double) throws {
        let statements = try MigrationFile.statements(in: String(contentsOf: migration, encoding: .utf8), file: migration.lastPathComponent)
        let match = String(statements[k - 1].sql.suffix(80))
        let nth = statements[..<(k - 1)].filter { $0.sql.contains(match) }.count + 1
        try arm("delay", match: match, nth: nth, seconds: seconds)
    }

    /// `POST /__fault` with `body`, or `GET /__fault`; the answer's bytes.
    private func control(_ body: Data?) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", """
            import sys, urllib.request
            data = sys.stdin.buffer.read() or None
            print(urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:\(port)/__fault", data=data)).read().decode())
            """]
        let inPipe = Pipe()
        p.standardInput = inPipe
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        inPipe.fileHandleForWriting.write(body ?? Data())
        try inPipe.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return data
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// Faults between spark and the target, and kills at random moments. After each, a rerun
/// must end with every file loaded once, one LOADED log row per file, a complete history and no
/// lock: double loads 0, lost files 0, wedged targets 0.
@Suite(.serialized) struct ApplyFaultTests {
    static let cases: [(mode: String, match: String)] = [
        ("drop_before", "CREATE TABLE IF NOT EXISTS"), ("drop_after", "CREATE TABLE IF NOT EXISTS"),
        ("drop_after", "\"SPARK_LOCK\" (LOCK_ID"), ("drop_after", "\"SPARK_HISTORY\" (VERSION"),
        ("drop_before", "PUT "), ("drop_after", "PUT "),
        ("drop_before", "COPY INTO"), ("drop_after", "COPY INTO"), ("delay", "COPY INTO"),
        ("drop_after", "\"PROCESSING_LOG\" (\"TABLE_NAME\""), ("delay", "SET STATUS = 'APPLIED'"),
        // The target unreachable for a while, as while a server restarts: 2 s is within the
        // retries, 30 s is not (the run fails, the rerun completes).
        ("outage2", "COPY INTO"), ("outage30", "CREATE TABLE IF NOT EXISTS"),
    ]

    @Test(arguments: cases.indices)
    func aFaultOnTheWireLeavesEveryFileLoadedOnce(_ index: Int) async throws {
        let (mode, match) = Self.cases[index]
        let safety = ApplySafetyTests()
        let p = try safety.project()
        let proxy = try FaultProxy(upstream: p.port)
        defer { proxy.stop() }
        if mode.hasPrefix("outage") {
            try proxy.arm("outage", match: match, seconds: Double(mode.dropFirst("outage".count))!)
        } else {
            try proxy.arm(mode, match: match, seconds: 3)
        }
        // Through the proxy, with a 1 s request timeout so a delayed answer is retried.
        let first = try p.apply([], environment: ["SNOWFLAKE_PORT": "\(proxy.port)", "SNOWFLAKE_REQUEST_TIMEOUT": "1"])
        #expect(try proxy.fired() == 1, "\(mode) \(match) fired")
        if mode == "outage2" { #expect(first.status == 0, "a short outage is ridden out by the retries: \(first.stderr)") }
        if mode == "outage30" { #expect(first.status != 0 && first.stderr.contains("attempts"), "a long one ends the run: \(first.stderr)") }
        if first.status != 0 {
            // A fault that ends the run must leave a target the next run completes.
            let rerun = try p.apply()
            #expect(rerun.status == 0, "\(mode) \(match): \(first.stderr)\nrerun: \(rerun.stderr)")
        }
        try await safety.expectCleanEnd(p)
    }

    /// SIGKILL at random moments of an apply (20 trials, seeded, within the time an apply takes
    /// here), then a rerun.
    @Test func aKillAtARandomMomentThenARerunLoadsEveryFileOnce() async throws {
        var rng = SplitMix(state: 0x5EED_16)
        let safety = ApplySafetyTests()
        var outcomes: [String: Int] = [:]
        // The kills fall within an apply's own duration on this machine, measured first.
        let probe = try safety.project()
        let began = Date()
        #expect(try probe.apply().status == 0)
        let span = max(50, Int(Date().timeIntervalSince(began) * 900))
        for trial in 1...20 {
            let p = try safety.project()
            let run = try CLI.start(["apply"], in: p.root, environment: p.environment)
            let wait = Int(rng.next() % UInt64(span))
            try await Task.sleep(for: .milliseconds(wait))
            run.signal(SIGKILL)
            let killed = run.wait()
            outcomes[killed.status == 0 ? "finished first" : "killed", default: 0] += 1
            let rerun = try p.apply()
            #expect(rerun.status == 0, "trial \(trial) (kill after \(wait) ms): \(rerun.stderr)")
            try await safety.expectCleanEnd(p)
        }
        print("apply kill trials: \(outcomes.sorted { $0.key < $1.key })")
        // How many kills land mid-run depends on the machine's load (tests run side by side);
        // the kills at chosen statements are in ApplySafetyTests and ApplyTests.
        #expect(outcomes["killed", default: 0] >= 1, "some trials killed a running apply: \(outcomes)")
    }
}

/// A fakesnow server of the test's own that keeps its databases, global catalog and staged files
/// in `directory` (`SPARK_FAKESNOW_PERSIST`, see `scripts/fakesnow-server.py`), so it can be
/// killed and started again on the same data and port.
final class PersistentFakesnow: @unchecked Sendable {
    let directory: URL
    let port: Int
    private let python: String
    private var process: Process?

    init() throws {
        guard let python = ProcessInfo.processInfo.environment["SPARK_TEST_PYTHON"] else {
            throw TestEnvironmentMissing(variable: "SPARK_TEST_PYTHON")
        }
        self.python = python
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("spark-fakesnow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = Self.freePort()
        try start()
    }

    /// Starts the server and waits until it accepts connections.
    func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [CLI.repositoryRoot.appendingPathComponent("scripts/fakesnow-server.py").path, "-s", "--host", "127.0.0.1", "-p", "\(port)"]
        p.environment = ProcessInfo.processInfo.environment.merging(["SPARK_FAKESNOW_PERSIST": directory.path]) { $1 }
        let log = directory.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if Self.listening(port) { return }
            guard p.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw PersistentFakesnowFailed(message: "fakesnow did not start on port \(port): \(said.suffix(2000))")
    }

    /// SIGKILL, as a crash or an out-of-memory kill would end it.
    func kill() {
        guard let p = process else { return }
        Foundation.kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        process = nil
    }

    func stop() {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A port the kernel hands out now; the restarts reuse it.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func listening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

struct PersistentFakesnowFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The server killed (SIGKILL) in the middle of an apply and started again on its persistent
/// database: either at once, while the run's retries are still going, or after the run has
/// failed. The run, or else its rerun, must end with every file loaded once. The kill lands
/// while a chosen statement's answer is held by the fault proxy, so it is always mid-run.
@Suite(.serialized) struct ApplyServerRestartTests {
    static let moments = ["CREATE TABLE IF NOT EXISTS", "PUT ", "COPY INTO", "\"PROCESSING_LOG\" (\"TABLE_NAME\"", "SET STATUS = 'APPLIED'"]

    @Test func theServerKilledAndRestartedOnItsDatabaseLeavesEveryFileLoadedOnce() async throws {
        var rng = SplitMix(state: 0x5EED_DB)
        let safety = ApplySafetyTests()
        let server = try PersistentFakesnow()
        defer { server.stop() }
        let probe = try safety.project(port: server.port)
        #expect(try probe.apply().status == 0)
        var outcomes: [String: Int] = [:]
        for trial in 1...6 {
            let p = try safety.project(port: server.port)
            let proxy = try FaultProxy(upstream: server.port)
            defer { proxy.stop() }
            let match = Self.moments[Int(rng.next() % UInt64(Self.moments.count))]
            let nth = Int(rng.next() % 2) + 1
            // The statement runs on the server; its answer is held 2 s, and the server dies meanwhile.
            try proxy.arm("delay", match: match, nth: nth, seconds: 2)
            let run = try CLI.start(["apply"], in: p.root, environment: p.environment.merging(["SNOWFLAKE_PORT": "\(proxy.port)"]) { $1 })
            let deadline = Date().addingTimeInterval(60)
            while try proxy.fired() == 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(try proxy.fired() == 1, "trial \(trial): the \(nth). \(match) was reached")
            server.kill()
            let restartAtOnce = trial % 2 == 1
            // At once: the run's retries meet the new server. Otherwise the proxy goes too, so
            // the run meets a closed port, as it would the dead server, and fails at once.
            if restartAtOnce { try server.start() } else { proxy.stop() }
            let first = run.wait()
            if !restartAtOnce { try server.start() }
            outcomes["\(restartAtOnce ? "restarted at once" : "restarted after the run"): \(first.status == 0 ? "run completed" : "run failed")", default: 0] += 1
            if first.status != 0 {
                let rerun = try p.apply()
                #expect(rerun.status == 0, "trial \(trial) (killed at the \(nth). \(match)): \(first.stderr)\nrerun: \(rerun.stderr)")
            }
            try await safety.expectCleanEnd(p)
        }
        // Earlier databases are still there after six restarts.
        try await safety.expectCleanEnd(probe)
        print("server restart trials: \(outcomes.sorted { $0.key < $1.key })")
    }
}
