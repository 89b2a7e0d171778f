import SparkInfer
import SparkLoad
import SparkModel
import SparkPlan

/// The naming-key column of a file, as spark.toml names it (after header aliases).
enum NamingKeys {
    /// The column's position and name in `profile`, or nil when the file has no such column.
    static func column(in profile: FileProfile, path: String, settings: PlanSettings) throws -> (sourceIndex: Int, name: String)? {
        let aliased = try settings.applyingAliases(to: profile, path: path)
        guard let i = aliased.columns.firstIndex(where: { $0.name == settings.namingKeyColumn }) else { return nil }
        return (i, settings.namingKeyColumn)
    }

    /// The distinct naming keys of a naming-keys file, sorted; state.sqlite keeps them.
    static func values(of path: String, profile: FileProfile, settings: PlanSettings) throws -> [String] {
        guard let key = try column(in: profile, path: path, settings: settings) else {
            throw ProjectError(file: path, line: profile.dialect.headerLine,
                               message: "the naming-keys file has no \(settings.namingKeyColumn) column (its columns: \(profile.columns.map(\.name).joined(separator: ", ")))",
                               hint: "set naming_key_column in spark.toml to the column that holds the keys, or map its header in [header_aliases]")
        }
        let result = try ValueChecker.check(ValueCheckSpec(path: path, dialect: profile.dialect, skippedLines: profile.skippedLines, keyColumn: key,
                                                           nullMarkers: settings.effectiveNullMarkers))
        return result.keys
    }
}
