import Foundation
import SparkModel
import SparkProject
import SparkExecute

/// `spark apply`'s question before it runs a migration that drops a schema.
///
/// The destructive pending migrations are listed; `--yes` runs them without asking. On a
/// terminal the user types each dropped schema's name (a mismatch aborts, nothing runs). Without
/// a terminal and without `--yes` the apply is refused.
enum DestructiveConfirmation {
    static func refused(message: String, hint: String) -> Diagnostic {
        Diagnostic(code: "apply.not_confirmed", message: "spark apply: \(message)", hint: hint)
    }

    /// - Parameters:
    ///   - pending: the migrations about to run.
    ///   - isTerminal: whether standard input is a terminal to ask on.
    ///   - say: writes to the user (standard error).
    ///   - ask: shows a prompt and reads one line; nil at end of input.
    static func check(_ pending: [LocalMigration], yes: Bool, isTerminal: Bool, terminal: Terminal,
                      say: (String) -> Void, ask: (String) -> String?) throws {
        let destructive = pending.filter(\.isDestructive)
        guard !destructive.isEmpty else { return }
        say(terminal.red("Destructive migration\(destructive.count == 1 ? "" : "s") pending:") + "\n")
        for m in destructive {
            say(terminal.red("  - migrations/\(m.fileName) drops schema \(m.droppedSchemas.joined(separator: ", ")) with all its data, and its roles") + "\n")
        }
        if yes { return }
        guard isTerminal else {
            let names = destructive.map { "migrations/" + $0.fileName }.joined(separator: ", ")
            throw refused(message: "\(names) \(destructive.count == 1 ? "is" : "are") destructive and there is no terminal to confirm on; nothing was run",
                          hint: "review \(destructive.count == 1 ? "it" : "them"), then run `spark apply --yes` to apply without the question")
        }
        for schema in destructive.flatMap(\.droppedSchemas) {
            let answer = ask("Type the schema name \(schema) to drop it: ")?.trimmingCharacters(in: .whitespaces)
            guard answer == schema else {
                throw refused(message: "the name typed does not match \(schema); nothing was run",
                              hint: "run `spark apply` again and type \(schema) exactly, or remove the drop migration before it is applied")
            }
        }
    }
}
