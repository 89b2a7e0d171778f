import ArgumentParser
import Foundation
import SparkModel
import SnowflakeClient
import SparkProject

/// `spark watch INBOX`: plans (and with --apply, applies) exports as they are dropped into a folder.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Plan (and with --apply, load) exports as they arrive in a folder.",
        discussion: """
            Takes the .csv files dropped into INBOX (an SFTP drop, a shared folder) that are named \
            by the standard nomenclature: <client>_<platform>_<year>_wave<N>.csv, or \
            <client>_<platform>_<year>_wave<N>_naming_keys.csv. A file is taken once its size has \
            stayed the same for --settle seconds, so a file still being written waits. Each is \
            planned as `spark plan` plans it (naming keys first) and moved to INBOX/done/; one that \
            plan refuses goes to INBOX/refused/, beside <name>.why.txt with the diagnostic. A file \
            whose rows are all planned already (the same export dropped again) goes to done/ \
            without a migration. With --apply, every pending migration is applied after each \
            round, as `spark apply` applies it (the same lock, checks and resume), so nothing is \
            loaded twice. Without --once it looks again every --interval seconds until stopped.

            Examples:
              spark watch inbox/ --once
              spark watch /srv/sftp/exports --apply --connection prod
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var history: HistorySchemaOption
    @Flag(help: "Apply the pending migrations after each round (needs a connection).") var apply = false
    @Flag(help: "Take what the inbox holds, then exit: 1 when a file was refused or the apply failed.") var once = false
    @Option(help: ArgumentHelp("How long a file's size must hold still before it is taken.", valueName: "seconds")) var settle: Double = 2
    @Option(help: ArgumentHelp("How long to wait between looks at the inbox.", valueName: "seconds")) var interval: Double = 5
    @OptionGroup var read: ReadOptions
    @Argument(help: "The folder exports are dropped into.") var inbox: String

    func run() async throws {
        do {
            guard settle >= 0, interval > 0 else {
                throw Diagnostic.refused(command: "watch", message: "--settle must be 0 or more and --interval more than 0", hint: "pass seconds, e.g. `--settle 2 --interval 5`")
            }
            try project.layout.requireProject()
            // Resolved before anything is taken: a missing connection is an error now, not after a plan.
            let connection = apply ? try self.connection.resolve() : nil
            let box = Inbox(path: inbox, settle: .milliseconds(Int(settle * 1000)))
            repeat {
                let ok = try await round(box, connection: connection)
                if once { if !ok { throw ExitCode.failure }; return }
                try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            } while true
        } catch let e as ExitCode {
            throw e
        } catch {
            throw fail(error)
        }
    }

    /// Takes the inbox's settled files, then applies when asked. False when a file was refused or
    /// the apply failed.
    func round(_ box: Inbox, connection: ConnectionConfig?) async throws -> Bool {
        var ok = true
        var planned = 0
        for name in try await box.settledFiles() {
            let outcome = try box.take(name, project: project.layout, read: read.overrides, observer: CLIObserver())
            switch outcome.result {
            case let .planned(migration):
                planned += 1
                print("planned \(name) → migrations/\(migration.fileName); moved to \(outcome.movedTo)")
            case .alreadyPlanned:
                print("already planned \(name): nothing new to load; moved to \(outcome.movedTo)")
            case let .refused(diagnostic):
                ok = false
                print("refused \(name): \(diagnostic.message.split(separator: "\n").first ?? ""); moved to \(outcome.movedTo) (why: \(outcome.movedTo).why.txt)")
            }
        }
        guard let connection, planned > 0 || once else { return ok }
        var request = ApplyRequest()
        request.connection = connection
        request.historySchema = history.historySchema
        let (run, signal) = try await ApplyCommand.execute(request, project: project.layout, json: false, yes: false)
        if let signal { throw ExitCode(128 + signal) }
        return ok && run.failure == nil
    }
}
