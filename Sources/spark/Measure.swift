#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation

/// Wall time and peak memory of one child process.
struct Measured {
    var seconds: Double
    var peakRSSKiB: Int
    var status: Int32
    var stdout: String
}

/// Runs `argv` as a child, capturing stdout, and measures it with wait4's rusage.
func runMeasured(_ argv: [String]) throws -> Measured {
    var pipe: [Int32] = [0, 0]
    guard Glibc.pipe(&pipe) == 0 else { throw CocoaError(.fileReadUnknown) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
    posix_spawn_file_actions_addclose(&actions, pipe[0])
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    let rc = posix_spawnp(&pid, argv[0], &actions, nil, cArgs, environ)
    posix_spawn_file_actions_destroy(&actions)
    close(pipe[1])
    guard rc == 0 else {
        close(pipe[0])
        throw BenchError("cannot start \(argv[0]): \(String(cString: strerror(rc)))")
    }
    var output = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(pipe[0], &buffer, buffer.count)
        if n <= 0 { break }
        output.append(contentsOf: buffer[0..<n])
    }
    close(pipe[0])
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return Measured(seconds: seconds, peakRSSKiB: Int(usage.ru_maxrss), status: exit, stdout: String(decoding: output, as: UTF8.self))
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// A benchmark that could not run; printed without usage text.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
