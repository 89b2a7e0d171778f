import Foundation
import SparkModel
import SparkPlan
import SparkProject
import Testing

/// The use cases called as a library, as `spark serve` calls them: typed requests in, typed
/// results out, nothing printed, every refusal a ``Diagnostic`` that leaves the project as it was.
@Suite struct UseCaseTests {
    /// A project folder with a spark.toml and the BYD Meta exports under data/.
    struct Folder {
        let project: Project
        let root: URL

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("spark-usecase-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root.appendingPathComponent("data"), withIntermediateDirectories: true)
            try "# defaults\n".write(to: root.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
            let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("examples")
            for name in ["byd_meta_2024_naming_keys.csv", "byd_meta_2024_wave1.csv", "byd_meta_2024_wave2.csv"] {
                try FileManager.default.copyItem(at: examples.appendingPathComponent(name), to: root.appendingPathComponent("data/\(name)"))
            }
            project = Project(directory: root.path)
        }

        func path(_ name: String) -> String { root.appendingPathComponent("data/\(name)").path }

        /// Every file but the data/ originals, with its bytes.
        func files() -> [String: Data] {
            var out: [String: Data] = [:]
            guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return out }
            for case let url as URL in e where !url.hasDirectoryPath {
                let rel = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count))
                if let data = FileManager.default.contents(atPath: url.path) { out[rel] = data }
            }
            return out
        }
    }

    /// Collects what a use case tells its front end.
    final class Observer: WorkObserver, @unchecked Sendable {
        private let lock = NSLock()
        private(set) var lines: [String] = []
        private(set) var steps: [String] = []
        func warning(_ line: String) { lock.withLock { lines.append("warning: " + line) } }
        func note(_ line: String) { lock.withLock { lines.append("note: " + line) } }
        func reading<T>(_ label: String, bytes: Int, _ body: () throws -> T) throws -> T {
            lock.withLock { steps.append("\(label) \(bytes)") }
            return try body()
        }
    }

    static let byd = SchemaKey(client: "byd", platform: "meta", year: 2024)

    @Test func aWaveIsPlannedThroughTheLibraryAndADryRunWritesNothing() throws {
        let f = try Folder()
        let before = f.files()
        var keys = WaveRequest(schema: Self.byd, wave: 1, table: .namingKeys, files: [f.path("byd_meta_2024_naming_keys.csv")])
        keys.dryRun = true
        let observer = Observer()
        let dry = try f.project.planWave(keys, observer: observer)
        #expect(dry.written == false)
        #expect(dry.migration?.fileName == "V0001__byd_meta_2024_wave1_naming_keys.sql")
        let loads = dry.plan.changes.compactMap { if case let .loadFile(l) = $0 { l.path } else { nil } }
        #expect(loads == ["data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv"])
        #expect(f.files() == before, "a dry run writes nothing")
        let size = try FileManager.default.attributesOfItem(atPath: f.path("byd_meta_2024_naming_keys.csv"))[.size] as? Int
        #expect(observer.steps == ["scanning \(size ?? -1)"], "the scan is reported as one step over the files' bytes")

        keys.dryRun = false
        let written = try f.project.planWave(keys)
        #expect(written.written)
        let migration = try #require(written.migration)
        let onDisk = try String(contentsOf: f.root.appendingPathComponent("migrations/" + migration.fileName), encoding: .utf8)
        #expect(onDisk == migration.contents, "the outcome's migration is the file written")
        #expect(FileManager.default.fileExists(atPath: f.root.appendingPathComponent(loads[0]).path), "the data copy is written")

        // The campaign wave after its keys: planned, its naming keys checked.
        let wave = try f.project.planWave(WaveRequest(schema: Self.byd, wave: 1, files: [f.path("byd_meta_2024_wave1.csv")]))
        #expect(wave.migration?.fileName == "V0002__byd_meta_2024_wave1.sql")
    }

    @Test func refusalsAreDiagnosticsAndChangeNothing() throws {
        let f = try Folder()
        // A campaign wave before any naming keys: the gate refuses it.
        let before = f.files()
        let noKeys = #expect(throws: Diagnostic.self) {
            try f.project.planWave(WaveRequest(schema: Self.byd, wave: 1, files: [f.path("byd_meta_2024_wave1.csv")]))
        }
        #expect(noKeys?.code == "plan.unknown_keys")
        #expect(noKeys?.hint?.contains("--allow-unknown-keys") == true)
        #expect(f.files() == before)

        // Grant and drop for a schema state.sqlite does not know.
        let grant = #expect(throws: Diagnostic.self) {
            try f.project.changeGrant(Self.byd, user: "jane", access: .readWrite, grant: true)
        }
        #expect(grant?.code == "grant.refused")
        #expect(grant?.message.contains("state.sqlite knows no schema SPARK_DB.CLIENT_BYD_META_2024") == true, "\(String(describing: grant))")
        let drop = #expect(throws: Diagnostic.self) { try f.project.drop(Self.byd, confirm: false) }
        #expect(drop?.code == "drop.refused")
        let user = #expect(throws: Diagnostic.self) {
            try f.project.changeGrant(Self.byd, user: "jane\n", access: .readWrite, grant: true)
        }
        #expect(user?.message.contains("control character U+000A") == true)
        #expect(f.files() == before)
    }

    @Test func grantsDropsAndDiscardsReturnWhatTheyWrote() throws {
        let f = try Folder()
        var keys = WaveRequest(schema: Self.byd, wave: 1, table: .namingKeys, files: [f.path("byd_meta_2024_naming_keys.csv")])
        _ = try f.project.planWave(keys)
        let grant = try f.project.changeGrant(Self.byd, user: "jane.doe@agency.com", access: .readOnly, grant: true)
        #expect(grant.written && grant.note == nil)
        #expect(grant.migration?.fileName == "V0002__grant_byd_meta_2024_ro_jane_doe_agency_com.sql", "\(String(describing: grant.migration?.fileName))")
        guard case let .grantRoleToUser(g)? = grant.changes.first else { Issue.record("not a grant: \(grant.changes)"); return }
        #expect(g.role == "CLIENT_BYD_META_2024_RO" && g.user == "jane.doe@agency.com")
        let again = try f.project.changeGrant(Self.byd, user: "jane.doe@agency.com", access: .readOnly, grant: true)
        #expect(!again.written && again.migration == nil)
        #expect(again.note?.hasPrefix("Nothing to do") == true)

        let drop = try f.project.drop(Self.byd, confirm: true)
        #expect(drop.changes.allSatisfy(\.isDestructive) && drop.written)

        let dry = try f.project.discard(from: "2", dryRun: true)
        #expect(dry.migrations == ["V0002__grant_byd_meta_2024_ro_jane_doe_agency_com.sql", "V0003__drop_byd_meta_2024.sql"])
        #expect(dry.kept == 1)
        let discarded = try f.project.discard(from: "2", dryRun: false)
        #expect(discarded.migrations == dry.migrations)
        #expect(try f.project.verify().files == 1)
        keys.wave = 2
        #expect(try f.project.planWave(keys).migration == nil, "the keys planned in V0001 are still known after the discard")
    }

    @Test func validateReportsProblemsAsData() throws {
        let f = try Folder()
        _ = try f.project.planWave(WaveRequest(schema: Self.byd, wave: 1, table: .namingKeys, files: [f.path("byd_meta_2024_naming_keys.csv")]))
        var request = ValidateRequest(schema: Self.byd, files: [f.path("byd_meta_2024_wave1.csv")])
        let report = try f.project.validate(request)
        #expect(report.schema == "CLIENT_BYD_META_2024")
        #expect(report.files.count == 1 && report.files[0].rows > 0)
        #expect(report.files[0].namingKeyCheck == "passed", "\(report.files[0].namingKeyCheck)")
        request.maxErrors = -1
        let bad = #expect(throws: Diagnostic.self) { try f.project.validate(request) }
        #expect(bad?.code == "validate.refused")
    }
}

@Suite struct WaveIdentityTests {
    let settings = PlanSettings()

    @Test func namesFillTheFlagsAndMustAgree() throws {
        let both = try WaveIdentity.resolve(WaveFlags(), files: ["in/byd_meta_2024_wave2.csv", "in/byd_meta_2024_wave2_2.csv"], settings: settings)
        #expect(both == WaveIdentity(schema: SchemaKey(client: "byd", platform: "meta", year: 2024), wave: 2, table: .campaign))
        // A flag the name agrees with (case and punctuation aside) is fine; one file outside the nomenclature says nothing.
        let agreed = try WaveIdentity.resolve(WaveFlags(client: "BYD", wave: 2), files: ["x.csv", "byd_meta_2024_wave2.csv"], settings: settings)
        #expect(agreed.schema.client == "BYD" && agreed.wave == 2)
        let keys = try WaveIdentity.resolve(WaveFlags(wave: 4), files: ["byd_meta_2024_naming_keys.csv"], settings: settings)
        #expect(keys.table == .namingKeys && keys.wave == 4)

        let disagree = #expect(throws: Diagnostic.self) {
            try WaveIdentity.resolve(WaveFlags(), files: ["byd_meta_2024_wave2.csv", "byd_meta_2024_wave3.csv"], settings: settings)
        }
        #expect(disagree?.file == "byd_meta_2024_wave3.csv")
        #expect(disagree?.message == "its name says wave 3, but byd_meta_2024_wave2.csv says 2")
        let table = #expect(throws: Diagnostic.self) {
            try WaveIdentity.resolve(WaveFlags(table: .campaign), files: ["byd_meta_2024_wave1_naming_keys.csv"], settings: settings)
        }
        #expect(table?.message == "its name says table naming-keys, but --table says campaign")
        let none = #expect(throws: Diagnostic.self) { try WaveIdentity.resolve(WaveFlags(client: "byd"), files: ["export.csv"], settings: settings) }
        #expect(none?.message == "spark plan: --platform is needed: no file name says it")
    }
}

@Suite struct InboxTests {
    @Test func aFileStillBeingWrittenIsLeftForALaterRound() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spark-inbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "a,b\n1,2\n".write(to: folder.appendingPathComponent("byd_meta_2024_wave2.csv"), atomically: true, encoding: .utf8)
        try "a\n".write(to: folder.appendingPathComponent("byd_meta_2024_wave1_naming_keys.csv"), atomically: true, encoding: .utf8)
        // A platform only spark.toml knows: its keys still come before its wave.
        try "a\n".write(to: folder.appendingPathComponent("byd_taboola_2024_wave1.csv"), atomically: true, encoding: .utf8)
        try "a\n".write(to: folder.appendingPathComponent("byd_taboola_2024_wave1_naming_keys.csv"), atomically: true, encoding: .utf8)
        try "not a csv\n".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let growing = folder.appendingPathComponent("byd_meta_2024_wave3.csv")
        #expect(FileManager.default.createFile(atPath: growing.path, contents: Data("a,b\n".utf8)))
        let writer = try FileHandle(forWritingTo: growing)
        writer.seekToEndOfFile()
        let appending = Task.detached {
            for i in 0..<40 {
                writer.write(Data("\(i),x\n".utf8))
                try? await Task.sleep(for: .milliseconds(25))
            }
        }
        let inbox = Inbox(path: folder.path, settle: .milliseconds(300))
        let whileWriting = try await inbox.settledFiles()
        #expect(whileWriting == ["byd_meta_2024_wave1_naming_keys.csv", "byd_taboola_2024_wave1_naming_keys.csv", "byd_meta_2024_wave2.csv",
                                 "byd_taboola_2024_wave1.csv"], "naming keys first; the growing file waits")
        await appending.value
        try writer.close()
        #expect(try await inbox.settledFiles() == ["byd_meta_2024_wave1_naming_keys.csv", "byd_taboola_2024_wave1_naming_keys.csv",
                                                   "byd_meta_2024_wave2.csv", "byd_meta_2024_wave3.csv", "byd_taboola_2024_wave1.csv"])
    }
}

@Suite struct FilesTests {
    @Test func filesListWhatTheMigrationsLoad() throws {
        let f = try UseCaseTests.Folder()
        #expect(try f.project.files().files.isEmpty)
        _ = try f.project.planWave(WaveRequest(schema: UseCaseTests.byd, wave: 1, table: .namingKeys, files: [f.path("byd_meta_2024_naming_keys.csv")]))
        _ = try f.project.planWave(WaveRequest(schema: UseCaseTests.byd, wave: 1, files: [f.path("byd_meta_2024_wave1.csv")]))
        let files = try f.project.files().files
        #expect(files.map(\.path) == ["data/byd/meta/2024/byd_meta_2024_wave1.csv", "data/byd/meta/2024/byd_meta_2024_wave1_naming_keys.csv"])
        #expect(files.map(\.migration) == ["V0002__byd_meta_2024_wave1.sql", "V0001__byd_meta_2024_wave1_naming_keys.sql"])
        #expect(files.map(\.rows) == [80, 12])
        #expect(files.allSatisfy { $0.status == .planned && $0.client == "BYD" && $0.wave == 1 && $0.sha256.count == 64 })
    }
}
