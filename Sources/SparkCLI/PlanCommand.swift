import ArgumentParser
import Foundation
import SparkProject
import SparkEmit
import SparkInfer
import SparkLoad
import SparkModel
import SparkPlan
import SparkState

/// `spark plan`: infer the wave's files, diff them against state.sqlite, write one migration.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a wave: write the next migration for a client's CSV files.",
        discussion: """
            Infers each file, diffs it against state.sqlite and writes \
            migrations/V<NNNN>__<client>_<platform>_<year>_wave<N>.sql, appends it to \
            migrations/spark.sum and records it in state.sqlite. An error leaves no file and no \
            state change. Lines: + create, ~ change, = kept or skipped, ! refused.

            A file named by the standard nomenclature says the flags itself: \
            <client>_<platform>_<year>_wave<N>.csv, or <client>_<platform>_<year>_wave<N>_naming_keys.csv \
            for the naming keys. A flag it does not say is still needed; a flag that contradicts \
            the name is refused.

            Examples:
              spark plan --client byd --platform meta --year 2024 --wave 3 exports/wave3.csv
              spark plan data/byd_meta_2024_wave3.csv
            """)

    enum TableChoice: String, ExpressibleByArgument, CaseIterable {
        case campaign
        case namingKeys = "naming-keys"

        var kind: TableKind { self == .campaign ? .campaign : .namingKeys }
    }

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, sql, json }

    @OptionGroup var project: ProjectOptions
    @Option(help: "The client, e.g. byd (default: the files' standard names).") var client: String?
    @Option(help: "The ad platform, e.g. meta (default: the files' standard names).") var platform: String?
    @Option(help: "The campaign year (default: the files' standard names).") var year: Int?
    @Option(help: "The wave number, from 1 (default: the files' standard names).") var wave: Int?
    @Option(help: "The table the files load into (default: the files' standard names, else campaign).") var table: TableChoice?
    @Flag(help: "Print the plan and the SQL; write nothing.") var dryRun = false
    @Flag(help: "Plan a rewrite through a new column where Snowflake cannot change a type in place.") var allowRewrite = false
    @Option(help: "text (the plan, then the SQL), sql (the migration file) or json.") var format: Format = .text
    @Flag(help: "Exit 2 when the plan has changes, 0 when it has none (as terraform plan).") var detailedExitcode = false
    @Flag(help: "Load the files from where they are instead of copying them to data/<client>/<platform>/<year>/.") var noCopy = false
    @Flag(help: "Plan a file even when some of its rows were already planned for the table in earlier waves.") var allowDuplicateRows = false
    @Flag(help: "Plan campaign rows whose naming key is empty or not in NAMING_KEYS (counted in PROCESSING_LOG's KEYS_UNMATCHED).") var allowUnknownKeys = false
    @OptionGroup var read: ReadOptions
    @Argument(help: "The wave's CSV files.") var files: [String]

    func run() throws {
        do {
            let outcome = try project.layout.planWave(try request(), observer: CLIObserver())
            print(render(outcome), terminator: "")
            if detailedExitcode && outcome.plan.hasChanges { throw ExitCode(2) }
        } catch let e as ExitCode {
            throw e
        } catch let refused as PlanRefused {
            // The plan still shows, with its `!` lines, so the reviewer sees what else it would do;
            // under --format json in the same document as the error.
            print(render(WaveOutcome(plan: refused.plan, migration: nil, written: false), errors: format == .json ? [refused] : []), terminator: "")
            if format == .json { throw ExitCode.failure }
            throw fail(refused)
        } catch {
            throw fail(error, json: format == .json)
        }
    }

    func request() throws -> WaveRequest {
        let flags = WaveFlags(client: client, platform: platform, year: year, wave: wave, table: table?.kind)
        let identity = try WaveIdentity.resolve(flags, files: files, settings: try project.layout.settings())
        var r = WaveRequest(schema: identity.schema, wave: identity.wave, table: identity.table, files: files)
        r.dryRun = dryRun
        r.allowRewrite = allowRewrite
        r.noCopy = noCopy
        r.allowDuplicateRows = allowDuplicateRows
        r.allowUnknownKeys = allowUnknownKeys
        r.read = read.overrides
        return r
    }

    /// - Parameter errors: for a refused plan under --format json, the refusal, in the same document.
    func render(_ o: WaveOutcome, errors: [any Error] = []) -> String {
        let path = o.migration.map { "migrations/" + $0.fileName }
        switch format {
        case .sql:
            return o.migration?.contents ?? ""
        case .json:
            return jsonText(o.document(errors: errors.map(Diagnostic.of)))
        case .text:
            var out = Terminal.stdout.coloringPlan(PlanText.render(o.plan))
            guard let m = o.migration, let path else { return out + (o.plan.refusals.isEmpty ? "Nothing to write.\n" : "") }
            out += o.written ? "Wrote \(path) (\(m.statements.count) statements).\n" : "Dry run: would write \(path) (\(m.statements.count) statements).\n"
            let body = m.contents.components(separatedBy: "-- spark:end\n").last ?? m.contents
            return out + body
        }
    }
}
