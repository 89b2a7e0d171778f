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

    var key: SchemaKey { SchemaKey(client: client, platform: platform, year: year) }
}

/// The output of `spark grant`, `spark revoke` and `spark drop`: the plan lines, then the migration.
extension SchemaChangeOutcome {
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
