import Foundation
import SparkInfer
import SparkLoad

// libFuzzer target for the scanner, inference and the loader: every input is written to a file
// and inferred under several options. A crash, hang or sanitizer report is a bug; a thrown
// InferError is the expected answer to bad input. A file inference accepts must also be
// written by the canonical writer with the same row count: if the two disagree, inference
// typed a value the loader cannot write, and the target stops with a fatal error.

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

private let options: [InferOptions] = [
    InferOptions(),
    // A tiny parallel threshold also exercises the two-thread scan.
    InferOptions(parallelThreshold: 64),
    InferOptions(badRows: .reject),
    InferOptions(decimalSeparator: .comma, dateOrder: .dayFirst, keepSummaryRows: true),
    InferOptions(decimalSeparator: .point, badRows: .reject, headerLine: 2),
]

private func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let dir = FileManager.default.temporaryDirectory
    let path = dir.appendingPathComponent("spark-fuzz-\(getpid()).csv").path
    let out = dir.appendingPathComponent("spark-fuzz-\(getpid()).csv.gz").path
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    guard FileManager.default.createFile(atPath: path, contents: bytes) else { fatalError("cannot write \(path)") }
    for o in options {
        guard let profile = try? Inferrer.profile(path: path, options: o) else { continue }
        do {
            let written = try CanonicalWriter.write(CanonicalSpec(profile: profile, source: path), to: out)
            if written.rows != profile.rows { fatalError("inference counted \(profile.rows) rows, the canonical writer wrote \(written.rows)") }
        } catch {
            fatalError("inference accepted the file but the canonical writer refused it: \(error)")
        }
    }
    return 0
}

// SwiftPM links an executable's entry point as `<module>_main`; defining it here lets libFuzzer's
// driver run without libFuzzer's own main.
@_cdecl("InferFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { fuzzOne($0, $1) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzOne(data, size)
}
