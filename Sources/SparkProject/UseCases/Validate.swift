import Foundation
import SparkInfer
import SparkLoad
import SparkModel
import SparkPlan
import SparkState

/// What `spark validate` is asked: would these files load into the known schema?
public struct ValidateRequest: Sendable {
    public var schema: SchemaKey
    public var table: TableKind
    public var files: [String]
    /// How many problems to keep per file; the rest are counted.
    public var maxErrors = 20
    public var read = ReadOverrides()

    public init(schema: SchemaKey, table: TableKind = .campaign, files: [String]) {
        self.schema = schema
        self.table = table
        self.files = files
    }
}

/// The answer of `spark validate`, per file.
public struct ValidationReport: Encodable, Sendable {
    public struct File: Encodable, Sendable {
        public var path: String
        public var rows: Int
        public var problems: Int
        public var violations: [Violation]
        /// Columns the file has and the table does not: the next plan adds them.
        public var newColumns: [String]
        /// Data columns the table has and the file does not: they stay NULL for this file.
        public var missingColumns: [String]
        /// `passed`, `failed`, or why it was not run.
        public var namingKeyCheck: String
        /// Records left out as totals of other rows.
        public var summaryRows: [SummaryRow]
        /// Records `--bad-rows reject` would leave out.
        public var rejectedRows: [RejectedRow]
    }

    public var schema: String
    public var files: [File]
    public var problems: Int
}

extension Project {
    /// `spark validate`: reads each file fully and checks, with the code the loader uses, that
    /// every value fits its known column's type and every naming key of a campaign file is in
    /// NAMING_KEYS as planned. Writes nothing; a missing state is an empty one.
    public func validate(_ request: ValidateRequest, observer: some WorkObserver = QuietObserver()) throws -> ValidationReport {
        guard request.maxErrors >= 0 else {
            throw Diagnostic.refused(command: "validate", message: "--max-errors must be 0 or more", hint: "pass how many problems to show per file, e.g. `--max-errors 20`")
        }
        let settings = try settings()
        let target = try PlanRequest(client: request.schema.client, platform: request.schema.platform, year: request.schema.year, wave: 1,
                                     table: request.table, settings: settings, inputs: []).target()
        let store = try existingOrEmptyState()
        let (known, keys) = try store.read { db in
            (try db.load(database: target.database, schema: target.schema),
             try db.namingKeys(database: target.database, schema: target.schema))
        }
        let knownColumns = (known.schema?.table(request.table.tableName)?.columns ?? []).filter { $0.provenance != nil }
        // Each file is read twice: inference, then the value checks.
        return try observer.reading("validating", bytes: 2 * totalSize(of: request.files)) {
            var files: [ValidationReport.File] = []
            for file in request.files {
                files.append(try Self.validate(file, request, settings: settings, target: target, knownColumns: knownColumns, keys: keys))
            }
            return ValidationReport(schema: target.schema, files: files, problems: files.map(\.problems).reduce(0, +))
        }
    }

    private static func validate(_ file: String, _ request: ValidateRequest, settings: PlanSettings, target: PlanTarget,
                                 knownColumns: [KnownColumn], keys: Set<String>) throws -> ValidationReport.File {
        let profile = try Inferrer.profile(path: file, options: request.read.inferOptions(settings))
        let columns = try settings.applyingAliases(to: profile, path: file).columns
        var typed: [CanonicalColumn] = []
        var newColumns: [String] = []
        for (i, c) in columns.enumerated() {
            if let k = knownColumns.first(where: { $0.name == c.name }) {
                typed.append(CanonicalColumn(sourceIndex: i, name: c.name, type: k.type, dateFormat: c.facts.dateFormat,
                                             nullMarkers: settings.effectiveNullMarkers, decimalSeparator: profile.dialect.decimalSeparator ?? .point))
            } else {
                newColumns.append(c.name)
            }
        }
        let present = Set(columns.map(\.name))
        let missing = knownColumns.map(\.name).filter { !present.contains($0) }

        var keyCheck = "not run: only campaign files reference naming keys"
        var extra: [Violation] = []
        let campaign = request.table == .campaign
        let check = try NamingKeys.check(path: file, profile: profile, settings: settings, known: campaign ? keys : [],
                                         typed: typed, keep: request.maxErrors)
        let result = check.result
        if campaign {
            if let column = check.keyColumn {
                if check.noKeysYet {
                    extra.append(Violation(line: profile.dialect.headerLine, column: column, value: "",
                                           reason: "cannot be checked: \(target.schema).NAMING_KEYS has no keys yet; plan the naming-keys file first (spark plan --table naming-keys …)"))
                    keyCheck = "failed"
                } else {
                    keyCheck = check.unmatched == 0 ? "passed" : "failed: \(check.unmatched) row\(check.unmatched == 1 ? "" : "s") with empty or unknown keys"
                }
            } else {
                keyCheck = "not run: the file has no \(settings.namingKeyColumn) column"
            }
        }
        return ValidationReport.File(path: file, rows: result.rows, problems: extra.count + result.total,
                                     violations: Array((extra + result.violations).prefix(request.maxErrors)),
                                     newColumns: newColumns, missingColumns: missing, namingKeyCheck: keyCheck,
                                     summaryRows: profile.summaryRows, rejectedRows: profile.rejectedRows)
    }
}
