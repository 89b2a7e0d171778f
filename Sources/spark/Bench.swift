import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks against the tools spark replaces (not tests; run them in release mode).",
        subcommands: [BenchInfer.self, BenchPlan.self, BenchValidate.self, BenchApply.self, BenchUpload.self])
}
