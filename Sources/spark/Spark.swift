import ArgumentParser

@main
struct Spark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spark",
        abstract: "Onboard marketing clients into Snowflake: infer, plan, and apply reviewed migrations.",
        subcommands: [InitCommand.self, InferCommand.self, PlanCommand.self, ValidateCommand.self, VerifyCommand.self, StateCommand.self, ApplyCommand.self, StatusCommand.self, SchemasCommand.self, GrantCommand.self, RevokeCommand.self, DropCommand.self, ConnectionCommand.self, Bench.self])
}
