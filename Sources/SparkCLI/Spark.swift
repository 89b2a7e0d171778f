import ArgumentParser
import SparkModel

/// The root command: its subcommands are spark's commands.
struct Spark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spark",
        abstract: "Onboard marketing clients into Snowflake: infer, plan, and apply reviewed migrations.",
        version: "spark \(SparkVersion.current)",
        subcommands: [InitCommand.self, InferCommand.self, PreviewCommand.self, PlanCommand.self, ValidateCommand.self, VerifyCommand.self, StateCommand.self, ApplyCommand.self, StatusCommand.self, UnlockCommand.self, SchemasCommand.self, GrantCommand.self, RevokeCommand.self, DropCommand.self, DiscardCommand.self, FilesCommand.self, WatchCommand.self, ServeCommand.self, ConnectionCommand.self])
}
