import ArgumentParser
import Foundation
import SparkModel
import SparkProject
import Logging
import SnowflakeClient
import SparkExecute

/// `spark unlock --lock-id ID`: removes an apply lock whose holder will never release it, as
/// `terraform force-unlock` does. Shows the holder and asks first.
struct UnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Remove the target's apply lock, naming its id, when its holder will never release it.",
        discussion: """
            Shows who holds the lock (host, pid, OS and Snowflake user, since when) and asks you to \
            type the lock id again; without a terminal it needs --yes. Only the row with that id is \
            removed, so a lock taken by another run in the meantime stays. A holder on the same host \
            whose process is gone is taken over by the next apply anyway; use this for a holder on \
            another machine that died (`spark status --connection NAME` shows the lock id).

            Example:
              spark unlock --connection prod --lock-id 6f1c0e9a-…
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var history: HistorySchemaOption
    @Option(help: "The id of the lock to remove, as `spark status` or the refused apply shows it.") var lockId: String
    @Flag(help: "Remove it without asking.") var yes = false

    func run() async throws {
        do { try await unlock() } catch let e as ExitCode { throw e } catch { throw fail(error) }
    }

    func unlock() async throws {
        let config = try connection.resolve()
        let apply = try project.layout.applySettings(user: config.user, historySchema: history.historySchema)
        let session = try await SnowflakeSession.connect(config, logger: Logger(label: "spark.unlock"))
        do {
            try await unlock(session, apply)
            await session.close()
        } catch {
            await session.close()
            throw error
        }
    }

    func unlock(_ session: SnowflakeSession, _ apply: ApplySettings) async throws {
        let applier = Applier(driver: SnowflakeDriver(session: session), migrations: [], settings: apply,
                              reporter: SilentReporter())
        let holders = try await applier.lockHolders()
        guard let holder = holders.first(where: { $0.id == lockId }) else {
            let now = holders.isEmpty ? "the target is not locked" : "it is held by \(holders.map(\.described).joined(separator: "; "))"
            throw Diagnostic.refused(command: "unlock", message: "no lock with id \(lockId): \(now)", hint: "pass the lock id `spark status --connection NAME` shows")
        }
        let say = { (s: String) in printError(s) }
        say("The target's lock is held by \(holder.described).\n")
        if holder.host == ProcessInfo.processInfo.hostName && !holder.isDeadOnThisHost {
            say("Its process is still running on this host: removing the lock lets another apply run beside it.\n")
        }
        if !yes {
            guard Invocation.current.stdinIsTerminal else {
                throw Diagnostic.refused(command: "unlock", message: "there is no terminal to confirm on; the lock stays",
                                   hint: "make sure its holder is gone, then run `spark unlock --lock-id \(lockId) --yes`")
            }
            say("Type the lock id to remove it: ")
            guard readLine()?.trimmingCharacters(in: .whitespaces) == lockId else {
                throw Diagnostic.refused(command: "unlock", message: "the id typed does not match; the lock stays", hint: "run it again and type \(lockId) exactly")
            }
        }
        try await applier.forceUnlock(id: lockId)
        print("Removed the lock \(lockId).")
    }
}
