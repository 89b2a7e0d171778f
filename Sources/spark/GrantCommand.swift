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

    /// The user name, refused when it cannot be a Snowflake user name.
    func checkedUser(command: String) throws -> String {
        guard !user.isEmpty else {
            throw CommandError(command: command, message: "--user is empty",
                               hint: "pass the user's name exactly as `SHOW USERS` lists it, e.g. `--user jane.doe@agency.com`")
        }
        if let bad = user.unicodeScalars.first(where: { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            throw CommandError(command: command, message: "--user \(PlanText.shown(user)) contains the control character U+\(String(format: "%04X", bad.value))",
                               hint: "pass the user's name exactly as `SHOW USERS` lists it; a pasted name may carry a stray newline or tab")
        }
        guard user.count <= Identifier.maxLength else {
            throw CommandError(command: command, message: "--user is \(user.count) characters long; Snowflake names have at most \(Identifier.maxLength)",
                               hint: "pass the user's name exactly as `SHOW USERS` lists it")
        }
        return user
    }

    /// `jane_doe_agency_com`: the user's part of the migration's name.
    var slug: String {
        let n = Identifier.normalize(user, position: 0)
        return String((n == "COL_0" ? "user" : n.lowercased()).prefix(60))
    }
}

/// `spark grant` and `spark revoke`: one migration that grants or revokes one schema role for one user.
enum UserGrantMigration {
    static func run(grant: Bool, project: ProjectOptions, schema: SchemaOptions, options: UserGrantOptions, format: OutputFormat) throws {
        let command = grant ? "grant" : "revoke"
        do {
            let user = try options.checkedUser(command: command)
            let settings = try project.layout.settings()
            let target = try schema.target(settings, command: command)
            let writer = MigrationWriter(project: project.layout, templates: try project.layout.templates())
            let result = try writer.write(decide: { db, version -> (String?, MigrationHeader?) in
                let known = try StateSchemaRow.require(db, target, command: command, options: schema)
                guard let role = known.roles[options.access] else {
                    throw CommandError(command: command, message: "state.sqlite has no \(options.access.rawValue) role for schema \(target.schema)",
                                       hint: "run `spark state rebuild` to recreate the state from migrations/")
                }
                let granted = try db.isGranted(role: role, user: user)
                let change = UserGrant(database: target.database, schema: target.schema, role: role, access: options.access, user: user)
                if grant && granted {
                    return ("Nothing to do: role \(role) is already granted to user \(PlanText.shown(user)).", nil)
                }
                if !grant && !granted {
                    throw CommandError(command: command, message: "spark never granted role \(role) to user \(PlanText.shown(user))",
                                       hint: "`spark schemas` lists the users spark granted each schema to; check --user and --read-only, "
                                           + "and revoke grants made outside spark by hand")
                }
                let access = options.readOnly ? "ro" : "rw"
                let description = "\(command)_\(schema.slug(target))_\(access)_\(options.slug)"
                return (nil, known.header(target, version: version, description: description,
                                          changes: [grant ? .grantRoleToUser(change) : .revokeRoleFromUser(change)]))
            })
            let report = SchemaMigrationReport(command: command, target: target, changes: result.migration?.header.changes ?? [],
                                               migration: result.migration, written: result.written, note: result.value)
            print(try report.render(format, terminal: .stdout), terminator: "")
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
