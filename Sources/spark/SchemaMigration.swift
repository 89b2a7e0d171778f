import ArgumentParser
import Foundation
import SparkProject
import SparkEmit
import SparkModel
import SparkPlan
import SparkState

/// `--client`, `--platform`, `--year`: which client schema a command works on.
struct SchemaOptions: ParsableArguments {
    @Option(help: "The client, e.g. byd.") var client: String
    @Option(help: "The ad platform, e.g. meta.") var platform: String
    @Option(help: "The campaign year.") var year: Int

    /// The schema and role names `spark plan` gives this client (the wave plays no part in them).
    /// - Throws: a ``CommandError`` naming `command` for an unusable client, platform or year.
    func target(_ settings: PlanSettings, command: String) throws -> PlanTarget {
        do {
            return try PlanRequest(client: client, platform: platform, year: year, wave: 1, settings: settings, inputs: []).target()
        } catch let e as PlanRequestError {
            switch e {
            case let .badName(option, value):
                throw CommandError(command: command, message: "--\(option) \(PlanText.shown(value)) has no letters or digits",
                                   hint: "pass the name the client's waves were planned with, e.g. `--\(option) byd`")
            case let .badYear(y):
                throw CommandError(command: command, message: "--year \(y) is not a four-digit year",
                                   hint: "pass the campaign year, e.g. `--year 2024`")
            case .unknownPlatform:
                throw CommandError(command: command, message: e.message, hint: e.hint)
            case .badWave, .noFiles:
                throw e
            }
        }
    }

    /// `byd_meta_2024`: the part of migration names that says which schema.
    func slug(_ t: PlanTarget) -> String { "\(t.client.lowercased())_\(t.platform.lowercased())_\(t.year)" }
}

/// An error in what a command was asked to do: no file to name, so it names the command.
struct CommandError: Error, DiagnosticConvertible {
    var command: String
    var message: String
    var hint: String

    var diagnostic: Diagnostic { Diagnostic(code: "\(command).refused", message: "spark \(command): \(message)", hint: hint) }
}

/// What state.sqlite knows of one client schema, for the commands that change it after planning.
struct StateSchemaRow {
    var client: String
    var platform: String
    var year: Int
    /// Role name by access.
    var roles: [CreateRole.Access: String]

    /// - Throws: naming the schema and telling the user to plan a wave first, when state does not know it.
    static func require(_ db: StateTransaction, _ t: PlanTarget, command: String, options: SchemaOptions) throws -> StateSchemaRow {
        guard let identity = try db.schemaIdentity(database: t.database, name: t.schema) else {
            let list = "`spark schemas` lists the schemas spark knows"
            throw CommandError(command: command, message: "state.sqlite knows no schema \(t.database).\(t.schema)",
                               hint: command == "drop" ? "check --client, --platform and --year; \(list)" : "plan a wave for it first: `spark plan --client \(options.client) --platform \(options.platform) --year \(options.year) --wave 1 <files>`"
                                   + "; \(list)")
        }
        var roles: [CreateRole.Access: String] = [:]
        for r in try db.roles(database: t.database, schema: t.schema) {
            if let access = CreateRole.Access(rawValue: r.access) { roles[access] = r.name }
        }
        return StateSchemaRow(client: identity.client, platform: identity.platform, year: identity.year, roles: roles)
    }

    func header(_ t: PlanTarget, version: Int, description: String, changes: [Change]) -> MigrationHeader {
        MigrationHeader(version: version, description: description, client: client, platform: platform, year: year, wave: 0,
                        database: t.database, schema: t.schema, changes: changes)
    }
}

/// The output of `spark grant`, `spark revoke` and `spark drop`: the plan lines, then the migration.
struct SchemaMigrationReport {
    var command: String
    var target: PlanTarget
    var changes: [Change]
    var migration: EmittedMigration?
    var written: Bool
    /// Why nothing was written, when nothing was.
    var note: String?

    func render(_ format: OutputFormat, terminal: Terminal) throws -> String {
        let path = migration.map { "migrations/" + $0.fileName }
        switch format {
        case .json:
            struct JSON: Encodable {
                var command: String
                var database: String
                var schema: String
                var changes: [Change]
                var destructive: Bool
                var migration: String?
                var written: Bool
                var statements: Int
                var note: String?
            }
            return jsonText(JSON(command: command, database: target.database, schema: target.schema, changes: changes,
                              destructive: changes.contains { $0.isDestructive }, migration: path, written: written,
                              statements: migration?.statements.count ?? 0, note: note))
        case .text:
            var out = "spark \(command): \(target.client.lowercased()) \(target.platform.lowercased()) \(target.year) → \(target.database).\(target.schema)\n\n"
            for c in changes { out += "  " + PlanText.line(c) + "\n" }
            if let note { out += (changes.isEmpty ? "" : "\n") + note + "\n" }
            guard let migration, let path else { return terminal.coloringPlan(out) }
            let n = migration.statements.count
            let statements = "\(n) statement\(n == 1 ? "" : "s")"
            out += "\n" + (written ? "Wrote \(path) (\(statements))." : "Would write \(path) (\(statements)).")
            if changes.contains(where: \.isDestructive) { out += " " + terminal.red("Destructive: `spark apply` asks before running it.") }
            out += "\n"
            let body = migration.contents.components(separatedBy: "-- spark:end\n").last ?? migration.contents
            return terminal.coloringPlan(out) + body
        }
    }
}
