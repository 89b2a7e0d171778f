import ArgumentParser
import Foundation
import SparkModel
import SparkProject
import SnowflakeClient

@main
struct Spark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spark",
        abstract: "Onboard marketing clients into Snowflake: infer, plan, and apply reviewed migrations.",
        version: "spark \(SparkVersion.current)",
        subcommands: [InitCommand.self, InferCommand.self, PreviewCommand.self, PlanCommand.self, ValidateCommand.self, VerifyCommand.self, StateCommand.self, ApplyCommand.self, StatusCommand.self, UnlockCommand.self, SchemasCommand.self, GrantCommand.self, RevokeCommand.self, DropCommand.self, DiscardCommand.self, ConnectionCommand.self])

    static func main() async {
        StageTransfer.configureAllocator()
        // On a terminal, each retried request says so, with the attempt and the wait.
        if isatty(STDERR_FILENO) == 1 {
            RetryNotices.set { line in FileHandle.standardError.write(Data("retrying: \(line)\n".utf8)) }
        }
        await main(nil)
    }
}
