import Foundation
import SparkModel
import SparkState

/// What `spark files` lists: every planned file with its standardized name and status.
public struct FilesReport: Encodable, Sendable {
    public enum Status: String, Encodable, Sendable {
        /// Its migration has not run on any target state.sqlite knows.
        case planned
        /// Its migration was applied on a target.
        case applied
        /// Its migration failed (or stopped) on a target and was not applied on any.
        case failed
    }

    public struct File: Encodable, Sendable {
        public var client: String
        public var platform: String
        public var year: Int
        public var wave: Int
        public var table: String
        /// The standardized copy's path (or the file's, under --no-copy).
        public var path: String
        public var rows: Int
        public var sha256: String
        public var migration: String
        public var status: Status
    }

    public var files: [File]
}

extension Project {
    /// `spark files`: every file the migrations load, by client, platform, year and wave, from
    /// state.sqlite; the status is what `spark apply` and `spark status --connection` last
    /// recorded of its migration.
    public func files() throws -> FilesReport {
        try requireProject()
        let store = try existingOrEmptyState()
        return FilesReport(files: try store.plannedFiles().map { f in
            let status: FilesReport.Status = f.appliedStatuses.contains("APPLIED") ? .applied : f.appliedStatuses.isEmpty ? .planned : .failed
            return FilesReport.File(client: f.client, platform: f.platform, year: f.year, wave: f.wave, table: f.table, path: f.path,
                                    rows: f.rows, sha256: f.sha256, migration: f.migration, status: status)
        })
    }
}
