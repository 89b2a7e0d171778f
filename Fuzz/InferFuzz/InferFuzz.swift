import Foundation
import SparkInfer

// libFuzzer target for the scanner: every input is written to a file and inferred. A crash,
// hang or sanitizer report is a bug; a thrown InferError is the expected answer to bad input.

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

private func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("spark-fuzz-\(getpid()).csv").path
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    guard FileManager.default.createFile(atPath: path, contents: bytes) else { fatalError("cannot write \(path)") }
    // A tiny parallel threshold also exercises the two-thread scan.
    for options in [InferOptions(), InferOptions(parallelThreshold: 64)] {
        _ = try? Inferrer.profile(path: path, options: options)
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
