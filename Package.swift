// swift-tools-version:6.0
import PackageDescription

// Warnings are problems to fix: every spark target compiles with -warnings-as-errors.
let strict: [SwiftSetting] = [.unsafeFlags(["-warnings-as-errors"])]

let package = Package(
    name: "spark",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "spark", targets: ["spark"]),
        .executable(name: "spark-bench", targets: ["SparkBench"]),
        .library(name: "SparkModel", targets: ["SparkModel"]),
        .library(name: "SparkInfer", targets: ["SparkInfer"]),
        .library(name: "SnowflakeClient", targets: ["SnowflakeClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", exact: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
    ],
    targets: [
        // Base: identifiers, Snowflake types and their "fits into" rules, profiles, changes.
        .target(name: "SparkModel", swiftSettings: strict),
        // CSV byte scanner, dialect/encoding detection, type inference.
        .target(
            name: "SparkInfer",
            dependencies: ["SparkModel", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        // The canonical, typed, gzip'd copy of a wave file that COPY INTO loads.
        .target(
            name: "SparkLoad",
            dependencies: ["SparkModel", "SparkInfer", .product(name: "CompressNIO", package: "compress-nio"),
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        // state.sqlite (GRDB): KnownState load/save, rebuild. The value types it stores live in
        // SparkModel, so the planner and the applier do not link GRDB.
        .target(
            name: "SparkState",
            dependencies: ["SparkModel", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        // Differ and planner.
        .target(name: "SparkPlan", dependencies: ["SparkModel"], swiftSettings: strict),
        // Template rendering, migration naming, spark.sum.
        .target(
            name: "SparkEmit",
            dependencies: [
                "SparkModel",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict,
            plugins: ["EmbedTemplates"]),
        // Embeds the top-level templates/ (the default templates, one copy) into SparkEmit.
        .executableTarget(name: "EmbedTemplatesTool", path: "Plugins/EmbedTemplatesTool", swiftSettings: strict),
        .plugin(name: "EmbedTemplates", capability: .buildTool(), dependencies: ["EmbedTemplatesTool"]),
        // Snowflake connector protocol. Knows nothing of spark.
        .target(
            name: "SnowflakeClient",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // apply/resume/history/lock on top of a Driver protocol.
        .target(
            name: "SparkExecute",
            dependencies: [
                "SparkModel", "SparkInfer", "SparkLoad", "SnowflakeClient",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // The application core. Layout/: the project on disk (typed spark.toml, migrations and
        // spark.sum, writing a migration). UseCases/: what each command does (plan, validate,
        // grant, revoke, drop, discard, apply, status, schemas), returning typed results that a
        // front end (the CLI, the web page) renders.
        .target(
            name: "SparkProject",
            dependencies: [
                "SparkModel", "SparkInfer", "SparkLoad", "SparkState", "SparkPlan", "SparkEmit", "SnowflakeClient", "SparkExecute",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // `spark serve`: the upload page and its API (Hummingbird), over SparkProject's use cases.
        .target(
            name: "SparkServe",
            dependencies: [
                "SparkModel", "SparkPlan", "SparkEmit", "SparkLoad", "SparkInfer", "SparkProject",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // The command line: one file per subcommand, each parsing its arguments, calling
        // SparkProject and rendering the result as text or JSON. A library, so tests run it
        // in-process (`SparkCLI.run(arguments, stdout:, stderr:)`).
        .target(
            name: "SparkCLI",
            dependencies: [
                "SparkModel", "SparkInfer", "SparkLoad", "SparkState", "SparkPlan", "SparkEmit",
                "SnowflakeClient", "SparkExecute", "SparkProject", "SparkServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // The `spark` executable: SparkCLI's main.
        .executableTarget(name: "spark", dependencies: ["SparkCLI"], swiftSettings: strict),
        // The benchmarks (`spark-bench`), against the tools spark replaces; they run the `spark`
        // built beside them. Not shipped in `spark`.
        .executableTarget(
            name: "SparkBench",
            dependencies: [
                "SparkModel", "SparkInfer", "SparkState", "SparkPlan", "SparkEmit", "SnowflakeClient", "SparkProject",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // Helpers shared by the test targets (a seeded random generator).
        .target(name: "SparkTestSupport", path: "Tests/SparkTestSupport", swiftSettings: strict),
        .testTarget(name: "SparkModelTests", dependencies: ["SparkModel"], swiftSettings: strict),
        .testTarget(
            name: "SparkInferTests", dependencies: ["SparkInfer", "SparkModel", "SparkTestSupport"],
            exclude: ["Golden"], swiftSettings: strict),
        .testTarget(name: "SparkLoadTests", dependencies: ["SparkLoad", "SparkInfer", "SparkModel", "SparkTestSupport"], exclude: ["Adversarial"],
                    swiftSettings: strict),
        .testTarget(name: "SparkStateTests", dependencies: ["SparkState"], swiftSettings: strict),
        .testTarget(name: "SparkProjectTests", dependencies: ["SparkProject", "SparkModel", "SparkPlan"], swiftSettings: strict),
        .testTarget(name: "SparkServeTests", dependencies: ["SparkServe", "SparkTestSupport"], swiftSettings: strict),
        .testTarget(name: "SparkPlanTests", dependencies: ["SparkPlan", "SparkState"], swiftSettings: strict),
        .testTarget(name: "SparkEmitTests", dependencies: ["SparkEmit", "SparkTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "SnowflakeClientTests",
            dependencies: [
                "SnowflakeClient", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .testTarget(name: "SparkExecuteTests", dependencies: ["SparkExecute"], swiftSettings: strict),
        // Runs the built `spark` executable end to end.
        .testTarget(
            name: "SparkCLITests", dependencies: ["spark", "SparkCLI", "SnowflakeClient", "SparkEmit", "SparkState", "SparkExecute", "SparkModel", "SparkTestSupport"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)

// The scanner's fuzz target, declared only when asked for because it links libFuzzer:
//   SPARK_FUZZ=1 swift build --scratch-path .build-fuzz --product spark-fuzz -Xswiftc -sanitize=fuzzer,address
//   .build-fuzz/debug/spark-fuzz -max_total_time=300 Fuzz/corpus
if Context.environment["SPARK_FUZZ"] == "1" {
    package.products.append(.executable(name: "spark-fuzz", targets: ["InferFuzz"]))
    package.targets.append(.executableTarget(
        name: "InferFuzz", dependencies: ["SparkInfer", "SparkLoad"], path: "Fuzz/InferFuzz",
        swiftSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-parse-as-library"])],
        linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])]))
}
