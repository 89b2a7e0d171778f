import ArgumentParser
import Foundation
import SparkProject
import SparkModel
import SparkPlan
import SparkState

/// `--user` and `--read-only`, shared by `spark grant` and `spark revoke`.
struct UserGrantOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The Snowflake user, exactly as SHOW USERS lists it (e.g. jane.doe@agency.com). Quoted as given, never upper-cased.",
                               valueName: "login"))
    var user: String

    @Flag(help: "The schema's read-only role (SELECT only) instead of its read-write role.")
    var readOnly = false

    var access: CreateRole.Access { readOnly ? .readOnly : .readWrite }
}

/// `spark grant` and `spark revoke`: one migration that grants or revokes one schema role for one user.
enum UserGrantMigration {
    static func run(grant: Bool, project: ProjectOptions, schema: SchemaOptions, options: UserGrantOptions, format: OutputFormat) throws {
        do {
            let outcome = try project.layout.changeGrant(schema.key, user: options.user, access: options.access, grant: grant)
            print(try outcome.render(format, terminal: .stdout), terminator: "")
        } catch {
            throw fail(error, json: format == .json)
        }
    }
}

struct GrantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Write a migration that grants a client schema's role to a Snowflake user.",
        discussion: """
            Grants the schema's read-write role (or, with --read-only, its read-only role) to the user: \
            writes migrations/V<NNNN>__grant_<client>_<platform>_<year>_<rw|ro>_<user>.sql, appends it to \
            spark.sum and records the grant in state.sqlite. `spark apply` runs it. The user name is \
            quoted exactly as given, so it must match the name `SHOW USERS` lists. Granting what was \
            already granted writes nothing.

            Examples:
              spark grant --client byd --platform meta --year 2024 --user jane.doe@agency.com
              spark grant --client byd --platform meta --year 2024 --user ANALYST --read-only
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var schema: SchemaOptions
    @OptionGroup var grant: UserGrantOptions
    @Option(help: "Output: text (the change and the SQL) or json.") var format: OutputFormat = .text

    func run() throws {
        try UserGrantMigration.run(grant: true, project: project, schema: schema, options: grant, format: format)
    }
}

struct RevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Write a migration that revokes a client schema's role from a Snowflake user.",
        discussion: """
            Revokes a role that `spark grant` granted: writes \
            migrations/V<NNNN>__revoke_<client>_<platform>_<year>_<rw|ro>_<user>.sql, appends it to \
            spark.sum and removes the grant from state.sqlite. A grant spark never recorded is refused.

            Examples:
              spark revoke --client byd --platform meta --year 2024 --user jane.doe@agency.com
              spark revoke --client byd --platform meta --year 2024 --user ANALYST --read-only
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var schema: SchemaOptions
    @OptionGroup var grant: UserGrantOptions
    @Option(help: "Output: text (the change and the SQL) or json.") var format: OutputFormat = .text

    func run() throws {
        try UserGrantMigration.run(grant: false, project: project, schema: schema, options: grant, format: format)
    }
}
