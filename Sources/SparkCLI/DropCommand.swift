import ArgumentParser
import Foundation
import SparkProject
import SparkModel
import SparkPlan
import SparkState

struct DropCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop",
        abstract: "Write a destructive migration that drops a client schema, its data and its roles.",
        discussion: """
            Refused without --confirm, and then changes nothing. With --confirm it writes \
            migrations/V<NNNN>__drop_<client>_<platform>_<year>.sql (DROP SCHEMA IF EXISTS … CASCADE, \
            then DROP ROLE IF EXISTS for the schema's two roles), appends it to spark.sum, and removes \
            the schema, its tables, columns, roles, grants, stage and planned files from state.sqlite. \
            A later `spark plan` for the client starts from nothing and loads its files again. \
            `spark apply` lists destructive migrations and asks for the schema name before running \
            them (or needs --yes when not on a terminal).

            Example:
              spark drop --client byd --platform meta --year 2024 --confirm
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var schema: SchemaOptions
    @Flag(help: "Really write the drop migration.") var confirm = false
    @Option(help: "Output: text (the change and the SQL) or json.") var format: OutputFormat = .text

    func run() throws {
        do {
            let outcome = try project.layout.drop(schema.key, confirm: confirm)
            print(try outcome.render(format, terminal: .stdout), terminator: "")
        } catch {
            throw fail(error, json: format == .json)
        }
    }
}
