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

            Example:
              spark plan --client byd --platform meta --year 2024 --wave 3 data/byd_meta_2024_wave3.csv
            """)

    enum TableChoice: String, ExpressibleByArgument, CaseIterable {
        case campaign
        case namingKeys = "naming-keys"

        var kind: TableKind { self == .campaign ? .campaign : .namingKeys }
    }

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, sql, json }

    @OptionGroup var project: ProjectOptions
    @OptionGroup var schema: SchemaOptions
    @Option(help: "The wave number, from 1.") var wave: Int
    @Option(help: "The table the files load into.") var table: TableChoice = .campaign
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
            let outcome = try plan()
            print(render(outcome), terminator: "")
            if detailedExitcode && outcome.plan.hasChanges { throw ExitCode(2) }
        } catch let e as ExitCode {
            throw e
        } catch let refused as Refused {
            // The plan still shows, with its `!` lines, so the reviewer sees what else it would do;
            // under --format json in the same document as the error.
            print(render(Outcome(plan: refused.plan, migration: nil, written: false), errors: format == .json ? [refused] : []), terminator: "")
            if format == .json { throw ExitCode.failure }
            throw fail(refused)
        } catch {
            throw fail(error, json: format == .json)
        }
    }

    struct Outcome {
        var plan: Plan
        var migration: EmittedMigration?
        var written: Bool
    }

    func plan() throws -> Outcome {
        let settings = try project.layout.settings()
        let templates = try project.layout.templates()
        var request = PlanRequest(client: schema.client, platform: schema.platform, year: schema.year, wave: wave, table: table.kind,
                                  allowRewrite: allowRewrite, settings: settings, inputs: [])
        let target = try request.target()
        let destinations = DataCopies.destinations(for: target, count: files.count)
        if !dryRun, let first = destinations.first, let slash = first.lastIndex(of: "/") {
            let folder = String(first[..<slash])
            LeftoverFiles.remove(in: project.root.appendingPathComponent(folder), shownAs: folder + "/")
            LeftoverFiles.remove(in: project.migrationsDir, shownAs: "migrations/")
            LeftoverFiles.remove(in: URL(fileURLWithPath: project.statePath).deletingLastPathComponent(), shownAs: "")
        }
        let copies = noCopy ? [] : zip(files, destinations).map { DataCopy(source: $0, destination: $1) }
        // Scans happen before the lock: they are the slow part, and read only the files.
        let options = read.inferOptions(settings)
        try ProgressBar.run("scanning", bytes: ProgressBar.size(of: files)) {
            for (i, file) in files.enumerated() {
                let profile = try Inferrer.profile(path: file, options: options)
                for w in profile.warnings { FileHandle.standardError.write(Data("warning: \(file): \(w)\n".utf8)) }
                let keys = table == .namingKeys ? try NamingKeys.values(of: file, profile: profile, settings: settings) : nil
                request.inputs.append(PlanInput(profile: profile, path: noCopy ? project.layout.relativePath(file) : copies[i].destination, namingKeys: keys))
            }
        }
        try DataCopies.checkExisting(copies, sha256: request.inputs.map(\.profile.sha256), root: project.root)
        var rejects: [String: Data] = [:]
        var digests: [String: ContentDigest] = [:]
        func digest() throws {
            let all = try ContentChecks.digests(request, sources: files, nullMarkers: settings.effectiveNullMarkers)
            digests = Dictionary(uniqueKeysWithValues: zip(request.inputs.map(\.path), all))
            for i in request.inputs.indices { request.inputs[i].fingerprint = all[i].fingerprint }
        }
        try digest()

        let writer = MigrationWriter(project: project.layout, templates: templates)
        let result = try writer.write(dryRun: dryRun, decide: { db, version in
            let state = try db.load(database: target.database, schema: target.schema)
            var plan = try Planner.plan(request, state: state)
            if options.badRows == .reject && !plan.refusals.isEmpty && !allowRewrite {
                // Values a known column cannot take: reject their rows instead, then plan again.
                try rejectMisfits(plan.refusals, in: &request, options: options, settings: settings)
                try digest()
                plan = try Planner.plan(request, state: state)
            }
            try refuse(plan)
            rejects = RejectsFiles.attach(to: &request, destinations: destinations)
            if !rejects.isEmpty { plan = try Planner.plan(request, state: state) }
            if !allowDuplicateRows {
                try ContentChecks.refuseOverlaps(plan, digests: digests, sources: Dictionary(uniqueKeysWithValues: zip(request.inputs.map(\.path), files)), db: db)
            }
            if table == .campaign {
                let notes = try checkNamingKeys(plan, in: &request, settings: settings, known: try db.namingKeys(database: target.database, schema: target.schema))
                if request.inputs.contains(where: { $0.keysUnmatched != nil }) { plan = try Planner.plan(request, state: state) }
                plan.notes += notes
            }
            if plan.hasChanges && !dryRun { try ContentChecks.record(plan, digests: digests, db: db) }
            return (plan, plan.hasChanges ? plan.header(version: version) : nil)
        }, beforeWriting: { migration in
            let loads = migration.header.changes.compactMap { if case let .loadFile(l) = $0 { l } else { nil } }
            let loaded = Set(loads.map(\.path))
            let needed = copies.enumerated().filter { loaded.contains($0.element.destination) }
            var created = try DataCopies.materialize(needed.map(\.element), sha256: needed.map { request.inputs[$0.offset].profile.sha256 },
                                                     root: project.root)
            do {
                created += try RejectsFiles.write(loads.compactMap(\.rejects), contents: rejects, root: project.root)
            } catch {
                for url in created { unlink(url.path) }
                throw error
            }
            return created
        })
        return Outcome(plan: result.value, migration: result.migration, written: result.written)
    }

    /// Under `--bad-rows reject`: finds the rows whose values the refused columns cannot take,
    /// and infers those files again without them, so they are rejected and listed.
    func rejectMisfits(_ refusals: [Refusal], in request: inout PlanRequest, options: InferOptions, settings: PlanSettings) throws {
        for (i, input) in request.inputs.enumerated() {
            let mine = refusals.filter { $0.file == input.path }
            guard !mine.isEmpty else { continue }
            let profile = try settings.applyingAliases(to: input.profile, path: input.path)
            var typed: [CanonicalColumn] = []
            for r in mine {
                guard let k = profile.columns.firstIndex(where: { $0.name == r.column }) else { continue }
                typed.append(CanonicalColumn(sourceIndex: k, name: r.column, type: r.from, dateFormat: profile.columns[k].facts.dateFormat,
                                             nullMarkers: settings.effectiveNullMarkers, decimalSeparator: profile.dialect.decimalSeparator ?? .point))
            }
            var check = ValueCheckSpec(path: files[i], dialect: profile.dialect, skippedLines: profile.skippedLines, typed: typed,
                                       nullMarkers: settings.effectiveNullMarkers, keep: 0)
            check.collectLines = true
            let misfits = try ValueChecker.check(check).misfitLines
            guard !misfits.isEmpty else { continue }
            var again = options
            again.rejectLines = misfits
            var reread = try Inferrer.profile(path: files[i], options: again)
            reread.path = input.profile.path
            request.inputs[i].profile = reread
        }
    }

    /// The naming-key gate: each campaign file the plan loads must give every row a naming key
    /// the schema's NAMING_KEYS holds. Refuses otherwise, unless `--allow-unknown-keys`, which
    /// records the count in the file's load. Returns notes for files without a naming-key column.
    func checkNamingKeys(_ plan: Plan, in request: inout PlanRequest, settings: PlanSettings, known: Set<String>) throws -> [String] {
        let loaded = Set(plan.changes.compactMap { if case let .loadFile(l) = $0 { l.path } else { nil } })
        var notes: [String] = []
        var refusals: [String] = []
        for (i, input) in request.inputs.enumerated() where loaded.contains(input.path) {
            let check = try NamingKeys.check(path: files[i], profile: input.profile, settings: settings, known: known, keep: 20)
            guard let column = check.keyColumn else {
                notes.append("\(files[i]) has no \(settings.namingKeyColumn) column: its rows name no naming keys, so none were checked")
                continue
            }
            guard check.unmatched > 0 else { continue }
            if allowUnknownKeys {
                request.inputs[i].keysUnmatched = check.unmatched
                notes.append("\(files[i]): \(check.unmatched) of \(check.result.rows) rows have an empty naming key or one NAMING_KEYS does not hold; planned under --allow-unknown-keys")
            } else if check.noKeysYet {
                refusals.append("\(files[i]):\(input.profile.dialect.headerLine): \(request.settings.database).\(try request.target().schema).NAMING_KEYS has no naming keys yet, so the \(column) of the file's \(check.result.rows) rows cannot be checked")
            } else {
                let r = check.result
                refusals += r.violations.map { v in "\(files[i]):\(v.line): \(v.column) \(v.value.isEmpty ? "" : "\(PlanText.shown(v.value)) ")\(v.reason)" }
                let shown = r.violations.count < check.unmatched ? " (the first \(r.violations.count) shown)" : ""
                refusals.append("\(files[i]): \(check.unmatched) of \(r.rows) rows have an empty naming key or one NAMING_KEYS does not hold\(shown)")
            }
        }
        guard refusals.isEmpty else {
            let t = try request.target()
            throw UnknownKeys(lines: refusals, hint: "plan the naming keys first (spark plan --client \(request.client) --platform \(request.platform) --year \(request.year) --wave \(request.wave) --table naming-keys FILE), correct the file, or pass --allow-unknown-keys to load the rows anyway (PROCESSING_LOG counts them in KEYS_UNMATCHED); the keys of \(t.schema) are checked against NAMING_KEYS as planned")
        }
        return notes
    }

    struct UnknownKeys: Error, DiagnosticConvertible {
        var lines: [String]
        var hint: String
        var diagnostic: Diagnostic {
            Diagnostic(code: "plan.unknown_keys", message: lines.joined(separator: "\n") + "\nspark plan: naming keys refused; nothing written", hint: hint)
        }
    }

    func refuse(_ plan: Plan) throws {
        guard plan.refusals.isEmpty else { throw Refused(plan: plan) }
    }

    struct Refused: Error, DiagnosticConvertible {
        var plan: Plan
        var refusals: [Refusal] { plan.refusals }
        var diagnostic: Diagnostic {
            Diagnostic(code: "plan.refused",
                       message: refusals.map(\.description).joined(separator: "\n") + "\nspark plan: \(refusals.count) change\(refusals.count == 1 ? "" : "s") refused; nothing written")
        }
    }

    /// - Parameter errors: for a refused plan under --format json, the refusal, in the same document.
    func render(_ o: Outcome, errors: [any Error] = []) -> String {
        let path = o.migration.map { "migrations/" + $0.fileName }
        switch format {
        case .sql:
            return o.migration?.contents ?? ""
        case .json:
            struct Report: Encodable {
                var plan: Plan
                var migration: String?
                var written: Bool
                var statements: Int
                var errors: [Diagnostic]?
            }
            return jsonText(Report(plan: o.plan, migration: path, written: o.written, statements: o.migration?.statements.count ?? 0,
                                   errors: errors.isEmpty ? nil : errors.map(Diagnostic.of)))
        case .text:
            var out = Terminal.stdout.coloringPlan(PlanText.render(o.plan))
            guard let m = o.migration, let path else { return out + (o.plan.refusals.isEmpty ? "Nothing to write.\n" : "") }
            out += o.written ? "Wrote \(path) (\(m.statements.count) statements).\n" : "Dry run: would write \(path) (\(m.statements.count) statements).\n"
            let body = m.contents.components(separatedBy: "-- spark:end\n").last ?? m.contents
            return out + body
        }
    }
}
