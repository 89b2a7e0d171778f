import Foundation
import SparkEmit
import SparkInfer
import SparkLoad
import SparkModel
import SparkPlan
import SparkState

/// What `spark plan` is asked: one wave of a client's files, and the choices its flags make.
public struct WaveRequest: Sendable {
    public var schema: SchemaKey
    public var wave: Int
    public var table: TableKind
    /// The wave's CSV files, as the user named them (messages name them so).
    public var files: [String]
    /// Plan and render; write nothing.
    public var dryRun = false
    /// Plan a rewrite through a new column where Snowflake cannot change a type in place.
    public var allowRewrite = false
    /// Load the files from where they are instead of copying them to data/.
    public var noCopy = false
    /// Plan files some of whose rows were planned in earlier waves.
    public var allowDuplicateRows = false
    /// Plan campaign rows whose naming key NAMING_KEYS does not hold.
    public var allowUnknownKeys = false
    public var read = ReadOverrides()

    public init(schema: SchemaKey, wave: Int, table: TableKind = .campaign, files: [String]) {
        self.schema = schema
        self.wave = wave
        self.table = table
        self.files = files
    }
}

/// What planning a wave gave: the plan, and the migration written (or, in a dry run, that would be).
public struct WaveOutcome: Sendable {
    public var plan: Plan
    public var migration: EmittedMigration?
    public var written: Bool
    /// Each file's profile, in the request's order: what inference found (columns, types,
    /// dialect, summary and rejected rows), for a front end to show.
    public var profiles: [FileProfile]

    public init(plan: Plan, migration: EmittedMigration?, written: Bool, profiles: [FileProfile] = []) {
        self.plan = plan
        self.migration = migration
        self.written = written
        self.profiles = profiles
    }
}

extension WaveOutcome {
    /// `spark plan --format json`'s document, which `spark serve`'s API answers too.
    public struct Document: Encodable, Sendable {
        public var plan: Plan
        /// `migrations/<name>`, when there is a migration.
        public var migration: String?
        public var written: Bool
        public var statements: Int
        /// For a refused plan, the refusal, beside the plan.
        public var errors: [Diagnostic]?
    }

    public func document(errors: [Diagnostic] = []) -> Document {
        Document(plan: plan, migration: migration.map { "migrations/" + $0.fileName }, written: written,
                 statements: migration?.statements.count ?? 0, errors: errors.isEmpty ? nil : errors)
    }
}

/// The plan refused one or more changes: nothing was written. Carries the plan, whose `!` lines
/// show what else it would have done.
public struct PlanRefused: Error, DiagnosticConvertible {
    public var plan: Plan
    public var refusals: [Refusal] { plan.refusals }
    public var diagnostic: Diagnostic {
        Diagnostic(code: "plan.refused",
                   message: refusals.map(\.description).joined(separator: "\n") + "\nspark plan: \(refusals.count) change\(refusals.count == 1 ? "" : "s") refused; nothing written")
    }
}

extension Project {
    /// `spark plan`: infers the wave's files, diffs them against state.sqlite and writes one
    /// migration with the data copies it loads, as one transaction: an error leaves no file and
    /// no state change. Throws ``PlanRefused`` (with the plan) when the plan refuses a change.
    public func planWave(_ wave: WaveRequest, observer: some WorkObserver = QuietObserver()) throws -> WaveOutcome {
        try WavePlanning(project: self, wave: wave).run(observer)
    }
}

/// One run of `spark plan`.
private struct WavePlanning {
    let project: Project
    let wave: WaveRequest
    var files: [String] { wave.files }

    func run(_ observer: some WorkObserver) throws -> WaveOutcome {
        let settings = try project.settings()
        let templates = try project.templates()
        var request = PlanRequest(client: wave.schema.client, platform: wave.schema.platform, year: wave.schema.year, wave: wave.wave,
                                  table: wave.table, allowRewrite: wave.allowRewrite, settings: settings, inputs: [])
        let target = try request.target()
        let destinations = DataCopies.destinations(for: target, count: files.count)
        if !wave.dryRun, let first = destinations.first, let slash = first.lastIndex(of: "/") {
            let folder = String(first[..<slash])
            LeftoverFiles.remove(in: project.root.appendingPathComponent(folder), shownAs: folder + "/", observer: observer)
            LeftoverFiles.remove(in: project.migrationsDir, shownAs: "migrations/", observer: observer)
            LeftoverFiles.remove(in: URL(fileURLWithPath: project.statePath).deletingLastPathComponent(), shownAs: "", observer: observer)
        }
        let copies = wave.noCopy ? [] : zip(files, destinations).map { DataCopy(source: $0, destination: $1) }
        // Scans happen before the lock: they are the slow part, and read only the files.
        let options = wave.read.inferOptions(settings)
        try observer.reading("scanning", bytes: totalSize(of: files)) {
            for (i, file) in files.enumerated() {
                let profile = try Inferrer.profile(path: file, options: options)
                for w in profile.warnings { observer.warning("\(file): \(w)") }
                let keys = wave.table == .namingKeys ? try NamingKeys.values(of: file, profile: profile, settings: settings) : nil
                request.inputs.append(PlanInput(profile: profile, path: wave.noCopy ? project.relativePath(file) : copies[i].destination, namingKeys: keys))
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

        let writer = MigrationWriter(project: project, templates: templates)
        let result = try writer.write(dryRun: wave.dryRun, decide: { db, version in
            let state = try db.load(database: target.database, schema: target.schema)
            var plan = try Planner.plan(request, state: state)
            if options.badRows == .reject && !plan.refusals.isEmpty && !wave.allowRewrite {
                // Values a known column cannot take: reject their rows instead, then plan again.
                try rejectMisfits(plan.refusals, in: &request, options: options, settings: settings)
                try digest()
                plan = try Planner.plan(request, state: state)
            }
            guard plan.refusals.isEmpty else { throw PlanRefused(plan: plan) }
            rejects = RejectsFiles.attach(to: &request, destinations: destinations)
            if !rejects.isEmpty { plan = try Planner.plan(request, state: state) }
            if !wave.allowDuplicateRows {
                try ContentChecks.refuseOverlaps(plan, digests: digests, sources: Dictionary(uniqueKeysWithValues: zip(request.inputs.map(\.path), files)), db: db)
            }
            if wave.table == .campaign {
                let notes = try checkNamingKeys(plan, in: &request, settings: settings, known: try db.namingKeys(database: target.database, schema: target.schema))
                if request.inputs.contains(where: { $0.keysUnmatched != nil }) { plan = try Planner.plan(request, state: state) }
                plan.notes += notes
            }
            if plan.hasChanges && !wave.dryRun { try ContentChecks.record(plan, digests: digests, db: db) }
            return (plan, plan.hasChanges ? plan.header(version: version) : nil)
        }, beforeWriting: { migration in
            let loads = migration.header.changes.compactMap { if case let .loadFile(l) = $0 { l } else { nil } }
            let loaded = Set(loads.map(\.path))
            let needed = copies.enumerated().filter { loaded.contains($0.element.destination) }
            var created = try DataCopies.materialize(needed.map(\.element), sha256: needed.map { request.inputs[$0.offset].profile.sha256 },
                                                     root: project.root, observer: observer)
            do {
                created += try RejectsFiles.write(loads.compactMap(\.rejects), contents: rejects, root: project.root)
            } catch {
                for url in created { unlink(url.path) }
                throw error
            }
            return created
        })
        return WaveOutcome(plan: result.value, migration: result.migration, written: result.written, profiles: request.inputs.map(\.profile))
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
    /// the schema's NAMING_KEYS holds. Refuses otherwise, unless `allowUnknownKeys`, which
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
            if wave.allowUnknownKeys {
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
            // Campaign rows whose naming key NAMING_KEYS does not hold: nothing is written.
            throw Diagnostic(code: "plan.unknown_keys", message: refusals.joined(separator: "\n") + "\nspark plan: naming keys refused; nothing written", hint: "plan the naming keys first (spark plan --client \(request.client) --platform \(request.platform) --year \(request.year) --wave \(request.wave) --table naming-keys FILE), correct the file, or pass --allow-unknown-keys to load the rows anyway (PROCESSING_LOG counts them in KEYS_UNMATCHED); the keys of \(t.schema) are checked against NAMING_KEYS as planned")
        }
        return notes
    }
}
