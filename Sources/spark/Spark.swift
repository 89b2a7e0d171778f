import ArgumentParser
@main
struct Spark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spark",
        subcommands: [ConnectionCommand.self])
}
