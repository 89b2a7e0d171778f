import SparkInfer
import SparkLoad
import SparkModel
import SparkPlan

/// The naming-key column of a file, as spark.toml names it (after header aliases).
public enum NamingKeys {
    /// The column's position and name in `profile`, or nil when the file has no such column.
    public static func column(in profile: FileProfile, path: String, settings: PlanSettings) throws -> (sourceIndex: Int, name: String)? {
        let aliased = try settings.applyingAliases(to: profile, path: path)
        guard let i = aliased.columns.firstIndex(where: { $0.name == settings.namingKeyColumn }) else { return nil }
        return (i, settings.namingKeyColumn)
    }

    /// What checking a campaign file found.
    public struct FileCheck {
        /// The values of `typed` columns that do not fit, and the rows whose naming key is empty
        /// or unknown, with their lines (the first `keep`) and counts.
        public var result: ValueCheckResult
        /// The naming-key column; nil when the file has none, and its keys were not checked.
        public var keyColumn: String?
        /// True when the schema has no naming keys yet: no row's key could match.
        public var noKeysYet: Bool
        /// Rows whose naming key is empty or not in NAMING_KEYS (every row with no keys yet).
        public var unmatched: Int { noKeysYet ? result.rows : result.unknownKeys }
    }

    /// The check `spark plan` and `spark validate` share: one read of the file that checks the
    /// `typed` columns' values against their types and each row's naming key against `known`
    /// (the schema's NAMING_KEYS as planned).
    public static func check(path: String, profile: FileProfile, settings: PlanSettings, known: Set<String>,
                      typed: [CanonicalColumn] = [], keep: Int) throws -> FileCheck {
        let key = try column(in: profile, path: path, settings: settings)
        // With no keys yet every row fails alike; that is said once, not per row.
        let checking = key != nil && !known.isEmpty
        let result = try ValueChecker.check(ValueCheckSpec(
            path: path, dialect: profile.dialect, skippedLines: profile.skippedLines, typed: typed, keyColumn: checking ? key : nil,
            knownKeys: checking ? known : nil, nullMarkers: settings.effectiveNullMarkers, keep: keep))
        return FileCheck(result: result, keyColumn: key?.name, noKeysYet: key != nil && known.isEmpty)
    }

    /// The distinct naming keys of a naming-keys file, sorted; state.sqlite keeps them.
    public static func values(of path: String, profile: FileProfile, settings: PlanSettings) throws -> [String] {
        guard let key = try column(in: profile, path: path, settings: settings) else {
            throw Diagnostic.project(file: path, line: profile.dialect.headerLine,
                               message: "the naming-keys file has no \(settings.namingKeyColumn) column (its columns: \(profile.columns.map(\.name).joined(separator: ", ")))",
                               hint: "set naming_key_column in spark.toml to the column that holds the keys, or map its header in [header_aliases]")
        }
        let result = try ValueChecker.check(ValueCheckSpec(path: path, dialect: profile.dialect, skippedLines: profile.skippedLines, keyColumn: key,
                                                           nullMarkers: settings.effectiveNullMarkers))
        return result.keys
    }
}
