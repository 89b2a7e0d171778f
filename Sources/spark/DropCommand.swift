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
            let settings = try project.layout.settings()
            let target = try schema.target(settings, command: "drop")
            guard confirm else {
                // Refused before the state is even opened: nothing on disk changes.
                throw CommandError(command: "drop", message: "dropping \(target.database).\(target.schema) destroys its tables, data, stage and roles; refused without --confirm",
                                   hint: "add --confirm to write the drop migration: `spark drop --client \(schema.client) --platform \(schema.platform) --year \(schema.year) --confirm`")
            }
            let writer = MigrationWriter(project: project.layout, templates: try project.layout.templates())
            let result = try writer.write(decide: { db, version -> (Void, MigrationHeader?) in
                let known = try StateSchemaRow.require(db, target, command: "drop", options: schema)
                let drop = DropSchema(database: target.database, schema: target.schema, roles: known.roles.values.sorted())
                return ((), known.header(target, version: version, description: "drop_\(schema.slug(target))", changes: [.dropSchema(drop)]))
            })
            let report = SchemaMigrationReport(command: "drop", target: target, changes: result.migration?.header.changes ?? [],
                                               migration: result.migration, written: result.written, note: nil)
            print(try report.render(format, terminal: .stdout), terminator: "")
        } catch {
            throw fail(error, json: format == .json)
        }
    }
}
