#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import SnowflakeClient

@main
struct Spark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spark",
        abstract: "Onboard marketing clients into Snowflake: infer, plan, and apply reviewed migrations.",
        subcommands: [InitCommand.self, InferCommand.self, PreviewCommand.self, PlanCommand.self, ValidateCommand.self, VerifyCommand.self, StateCommand.self, ApplyCommand.self, StatusCommand.self, UnlockCommand.self, SchemasCommand.self, GrantCommand.self, RevokeCommand.self, DropCommand.self, DiscardCommand.self, ConnectionCommand.self, Bench.self])

    static func main() async {
        #if canImport(Glibc)
        // Blocks of 5 MiB and more (the parts of stage uploads) are mmapped, so freeing one gives it back
        // to the system. glibc's default raises this threshold after the first such free, and parts
        // freed on other threads then stay cached in its per-thread arenas: a 1 GiB upload peaked at
        // 71 MiB instead of 46 MiB.
        _ = glibcMallopt(-3 /* M_MMAP_THRESHOLD */, 5 << 20)
        #endif
        // On a terminal, each retried request says so, with the attempt and the wait.
        if isatty(STDERR_FILENO) == 1 {
            RetryNotices.set { line in FileHandle.standardError.write(Data("retrying: \(line)\n".utf8)) }
        }
        await main(nil)
    }
}

#if canImport(Glibc)
/// glibc's `mallopt`, which the Glibc module does not export (it lives in <malloc.h>).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
