import Foundation
import SparkExecute
import SparkModel
import Testing

/// The rules apply checks before anything runs, on real migration files.
@Suite struct ApplierRulesTests {
    static func migration(_ version: Int, _ statements: [String]) throws -> LocalMigration {
        let header = MigrationHeader(version: version, description: "m\(version)", client: "C", platform: "P", year: 2024, wave: version,
                                     database: "DB", schema: "S", changes: [])
        let text = try MigrationFile.renderHeader(header) + "\n" + statements.map { $0 + ";\n" }.joined()
        return try LocalMigration(fileName: MigrationName(version: version, description: "m\(version)").fileName, contents: Data(text.utf8))
    }

    static func applier(_ migrations: [LocalMigration], upTo: Int? = nil) -> Applier {
        var settings = ApplySettings(database: "DB", holder: LockHolder.current(snowflakeUser: "T", sparkVersion: "test"), projectRoot: URL(fileURLWithPath: "/tmp"), nullMarkers: [])
        settings.upTo = upTo
        struct Silent: ApplyReporter {
            func started(_ migration: LocalMigration, resumeAt: Int) {}
            func statement(_ migration: LocalMigration, index: Int, of total: Int) {}
            func finished(_ outcome: MigrationOutcome) {}
        }
        return Applier(driver: DryRunDriver(reading: nil) { _ in }, migrations: migrations, settings: settings, reporter: Silent())
    }

    func applied(_ m: LocalMigration, status: MigrationStatus = .applied, at: Int? = nil) -> AppliedMigration {
        AppliedMigration(version: m.version, checksum: m.checksum, status: status, statementsApplied: at ?? m.statements.count, statementsTotal: m.statements.count)
    }

    @Test func pendingStartsAfterTheAppliedOnesAndResumesAFailedOne() throws {
        let ms = try (1...3).map { try Self.migration($0, ["CREATE SCHEMA IF NOT EXISTS A\($0)", "SELECT \($0)"]) }
        let todo = try Self.applier(ms).pending(history: [applied(ms[0]), applied(ms[1], status: .failed, at: 1)])
        #expect(todo.map(\.0.version) == [2, 3])
        #expect(todo.map(\.start) == [1, 0])
        #expect(todo.map(\.resumed) == [true, false])
        #expect(try Self.applier(ms, upTo: 2).pending(history: []).map(\.0.version) == [1, 2])
    }

    @Test func anAppliedMigrationThatChangedIsRefused() throws {
        let before = try Self.migration(1, ["SELECT 1"])
        let after = try Self.migration(1, ["SELECT 2"])
        #expect(throws: ApplyError.self) { try Self.applier([after]).pending(history: [applied(before)]) }
    }

    @Test func aFailedMigrationMayBeFixedBeforeTheRerun() throws {
        let before = try Self.migration(1, ["SELEC 1", "SELECT 2"])
        let after = try Self.migration(1, ["SELECT 1", "SELECT 2"])
        let todo = try Self.applier([after]).pending(history: [applied(before, status: .failed, at: 0)])
        #expect(todo.first?.start == 0)
    }

    @Test func aMissingMigrationOrAHoleIsRefused() throws {
        let ms = try (1...3).map { try Self.migration($0, ["SELECT \($0)"]) }
        do {
            _ = try Self.applier([ms[0], ms[2]]).pending(history: [applied(ms[0]), applied(ms[1])])
            Issue.record("a migration missing locally must be refused")
        } catch let e as ApplyError {
            #expect(e.description.contains("V2"))
        }
        do {
            _ = try Self.applier(ms).pending(history: [applied(ms[0]), applied(ms[2])])
            Issue.record("a hole must be refused")
        } catch let e as ApplyError {
            #expect(e.description.contains("V2 was never applied but V3 already was"))
        }
    }
}
