import ArgumentParser
import Foundation
import SnowflakeClient

/// `spark-bench`: the benchmarks, kept out of the `spark` binary users run. Each measures spark
/// against the tool it replaces, in the same run on the same machine; run them on release builds.
@main
struct SparkBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spark-bench",
        abstract: "Benchmarks against the tools spark replaces (not tests; run them in release mode).",
        subcommands: [BenchInfer.self, BenchPlan.self, BenchValidate.self, BenchApply.self, BenchUpload.self, BenchServe.self])

    static func main() async {
        // The upload benchmark measures the transfer's memory as `spark` would use it.
        StageTransfer.configureAllocator()
        await main(nil)
    }
}
