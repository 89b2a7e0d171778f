import SparkModel
import SparkPlan
import SparkState
import Testing

/// Plans waves against a real in-memory state.sqlite, recording each plan as `spark plan` does.
struct Session {
    let store: StateStore
    var version = 0

    init() throws { store = try StateStore() }

    func known(_ schema: String = "CLIENT_BYD_META_2024") throws -> KnownState {
        try store.read { try $0.load(database: "SPARK_DB", schema: schema) }
    }

    mutating func plan(wave: Int, allowRewrite: Bool = false, client: String = "byd", _ files: [FileProfile]) throws -> Plan {
        let request = PlanRequest(client: client, platform: "meta", year: 2024, wave: wave, allowRewrite: allowRewrite,
                                  inputs: files.map { PlanInput(profile: $0, path: $0.path) })
        let plan = try Planner.plan(request, state: try known("CLIENT_\(client.uppercased())_META_2024"))
        if plan.refusals.isEmpty && plan.hasChanges {
            version += 1
            let header = plan.header(version: version)
            try store.withExclusiveLock { try $0.record(header: header, fileName: header.name.fileName, checksum: "x") }
        }
        return plan
    }
}

@Suite("planner")
struct PlannerTests {
    /// A schema planned before spark counted left-out rows gets the two log columns before its next load, once.
    @Test func anOlderLogGetsTheLeftOutCountsBeforeTheNextLoad() throws {
        let store = try StateStore()
        let first = PlanRequest(client: "byd", platform: "meta", year: 2024, wave: 1, inputs: [PlanInput(profile: wave1, path: wave1.path)])
        var plan = try Planner.plan(first, state: try store.read { try $0.load(database: "SPARK_DB", schema: "CLIENT_BYD_META_2024") })
        plan.changes = plan.changes.map { change in
            guard case var .createTable(t) = change, t.kind == .processingLog else { return change }
            t.columns.removeAll { $0.name == "ROWS_SUMMARY" || $0.name == "ROWS_REJECTED" }
            return .createTable(t)
        }
        let header = plan.header(version: 1)
        try store.withExclusiveLock { try $0.record(header: header, fileName: header.name.fileName, checksum: "x") }
        var next = first
        next.wave = 2
        next.inputs = [PlanInput(profile: Profiles.file("data/w2.csv", sha: Profiles.sha2, [Profiles.text("CAMPAIGN")]), path: "data/w2.csv")]
        let second = try Planner.plan(next, state: try store.read { try $0.load(database: "SPARK_DB", schema: "CLIENT_BYD_META_2024") })
        let added = second.changes.compactMap { if case let .addColumn(a) = $0, a.table.table == "PROCESSING_LOG" { a.column.name } else { nil } }
        #expect(added == ["ROWS_SUMMARY", "ROWS_REJECTED"])
        let firstLoad = second.changes.firstIndex { $0.kind == .loadFile }!
        #expect(second.changes.lastIndex { $0.kind == .addColumn }! < firstLoad)
    }

    let wave1 = Profiles.file("data/w1.csv", sha: Profiles.sha1, [
        Profiles.date("DATE"), Profiles.text("CAMPAIGN"), Profiles.number("IMPRESSIONS", digits: 6),
        Profiles.number("SPEND", digits: 4), Profiles.number("CLICKS", digits: 3),
    ])

    @Test func firstWaveCreatesTheWholeStructure() throws {
        var s = try Session()
        let plan = try s.plan(wave: 1, [wave1])
        let kinds = plan.changes.map(\.kind)
        #expect(kinds.filter { $0 == .createDatabase }.count == 1)
        #expect(kinds.filter { $0 == .createSchema }.count == 1)
        #expect(kinds.filter { $0 == .createTable }.count == 3)
        #expect(kinds.filter { $0 == .createRole }.count == 2)
        #expect(kinds.filter { $0 == .createStage }.count == 1)
        #expect(kinds.filter { $0 == .loadFile }.count == 1)
        #expect(!kinds.contains(.addColumn))
        guard case let .createTable(campaign) = plan.changes.first(where: {
            if case let .createTable(t) = $0 { return t.kind == .campaign } else { return false }
        }) else { Issue.record("no campaign table"); return }
        #expect(campaign.columns.map(\.name) == ["DATE", "CAMPAIGN", "IMPRESSIONS", "SPEND", "CLICKS",
                                                 "SPARK_WAVE", "SPARK_SOURCE_FILE", "SPARK_FILE_SHA256", "SPARK_LOADED_AT"])
        #expect(PlanText.summary(plan).hasPrefix("Plan: 1 database, 1 schema, 2 roles, 3 tables,"))
        #expect(PlanText.summary(plan).hasSuffix("1 file to load."))
        // A second client in the same database does not create the database again.
        let other = try s.plan(wave: 1, client: "acme", [Profiles.file("data/a.csv", sha: Profiles.sha3, [Profiles.text("X")])])
        #expect(!other.changes.map(\.kind).contains(.createDatabase))
        #expect(other.changes.map(\.kind).contains(.createSchema))
    }

    @Test func reorderedWaveWithOneDroppedAndTwoAddedIsExactlyTwoAddColumns() throws {
        var s = try Session()
        _ = try s.plan(wave: 1, [wave1])
        let wave2 = Profiles.file("data/w2.csv", sha: Profiles.sha2, [
            Profiles.number("CLICKS", digits: 2), Profiles.number("VIDEO_PLAYS_75", source: "Video plays at 75%"),
            Profiles.text("CAMPAIGN"), Profiles.date("DATE"), Profiles.number("SPEND", digits: 3),
            Profiles.number("REACH"),
        ])
        let plan = try s.plan(wave: 2, [wave2])
        let kinds = plan.changes.map(\.kind)
        #expect(kinds == [.addColumn, .addColumn, .keepColumn, .loadFile])
        guard case let .addColumn(add) = plan.changes[0], case let .keepColumn(keep) = plan.changes[2],
              case let .loadFile(load) = plan.changes[3] else { Issue.record("unexpected changes"); return }
        #expect(add.column.name == "VIDEO_PLAYS_75")
        #expect(add.column.provenance == Provenance(rawHeader: "Video plays at 75%", firstFile: "data/w2.csv", firstWave: 2))
        #expect(keep.column == "IMPRESSIONS")
        // The load maps the file's order onto the table's columns.
        #expect(load.copyColumns == ["CLICKS", "VIDEO_PLAYS_75", "CAMPAIGN", "DATE", "SPEND", "REACH",
                                     "SPARK_WAVE", "SPARK_SOURCE_FILE", "SPARK_FILE_SHA256"])
        #expect(load.columns.map(\.sourceIndex) == [0, 1, 2, 3, 4, 5])
        #expect(PlanText.summary(plan) == "Plan: 2 columns to add, 1 column kept, 1 file to load.")
    }

    @Test func moneyColumnGainingDecimalsIsRefusedByDefault() throws {
        var s = try Session()
        _ = try s.plan(wave: 1, [wave1])
        let wave2 = Profiles.file("data/w2.csv", sha: Profiles.sha2, [Profiles.number("SPEND", digits: 4, scale: 2, line: 7, value: "12.50")])
        let refused = try s.plan(wave: 2, [wave2])
        #expect(refused.refusals.count == 1)
        let r = try #require(refused.refusals.first)
        #expect(r.description.hasPrefix("data/w2.csv:7: column PROCESSED_CAMPAIGN_DATA.SPEND is NUMBER(38,0) but this file needs NUMBER(38,2) (value \"12.50\")"))
        #expect(r.description.contains("--allow-rewrite"))
        #expect(try s.known().latestVersion == 1, "a refused plan records nothing")

        let rewrite = try s.plan(wave: 2, allowRewrite: true, [wave2])
        #expect(rewrite.refusals.isEmpty)
        guard case let .rewriteColumn(rw) = rewrite.changes.first(where: { $0.kind == .rewriteColumn }) else {
            Issue.record("no rewrite"); return
        }
        #expect(rw.from == .number(precision: 38, scale: 0) && rw.to == .number(precision: 38, scale: 2))
        #expect(rw.temporaryName == "SPEND__SPARK_REWRITE")
        let spend = try #require(try s.known().schema?.table("PROCESSED_CAMPAIGN_DATA")?.column("SPEND"))
        #expect(spend.type == .number(precision: 38, scale: 2))
    }

    @Test func handMadeNarrowColumnsWidenInPlace() throws {
        var s = try Session()
        let narrow = Profiles.file("data/w1.csv", sha: Profiles.sha1, [
            ColumnProfile(name: "CLICKS", source: "Clicks", type: .number(precision: 10, scale: 0), nulls: 0, facts: ValueFacts(maxIntegerDigits: 3)),
            ColumnProfile(name: "NAME", source: "Name", type: .varchar(length: 20), nulls: 0, facts: ValueFacts(maxLength: 5)),
        ])
        _ = try s.plan(wave: 1, [narrow])
        let wide = Profiles.file("data/w2.csv", sha: Profiles.sha2, [Profiles.number("CLICKS", digits: 12), Profiles.text("NAME", length: 40)])
        let plan = try s.plan(wave: 2, [wide])
        let widens = plan.changes.compactMap { if case let .widenColumn(w) = $0 { w } else { nil } }
        #expect(widens.map { "\($0.column) \($0.from)→\($0.to)" } == ["CLICKS NUMBER(10,0)→NUMBER(38,0)", "NAME VARCHAR(20)→VARCHAR"])
        guard case let .loadFile(load) = plan.changes.last else { Issue.record("no load"); return }
        #expect(load.columns.map(\.columnType) == [.number(precision: 38, scale: 0), .varchar(length: nil)])
    }

    @Test func duplicateFileIsSkipped() throws {
        var s = try Session()
        _ = try s.plan(wave: 1, [wave1])
        let again = try s.plan(wave: 2, [wave1])
        #expect(again.changes == [.skipFile(SkipFile(path: "data/w1.csv", sha256: Profiles.sha1, plannedIn: "V0001", wave: 2))])
        #expect(!again.hasChanges)
        #expect(PlanText.summary(again) == "No changes: 1 file skipped.")
        // The same file twice in one plan loads once.
        var t = try Session()
        let twice = try t.plan(wave: 1, [wave1, wave1])
        #expect(twice.changes.filter { $0.kind == .loadFile }.count == 1)
        #expect(twice.changes.last?.kind == .skipFile)
    }

    @Test func headerNamedLikeASparkColumnIsRenamed() throws {
        var s = try Session()
        let plan = try s.plan(wave: 1, [Profiles.file("data/w1.csv", sha: Profiles.sha1, [Profiles.text("SPARK_WAVE", source: "spark wave")])])
        guard case let .loadFile(load) = plan.changes.last else { Issue.record("no load"); return }
        #expect(load.copyColumns.first == "SPARK_WAVE_2")
        #expect(plan.notes.count == 1)
    }

    @Test func planningIsDeterministic() throws {
        var a = try Session(), b = try Session()
        #expect(try a.plan(wave: 1, [wave1]) == b.plan(wave: 1, [wave1]))
    }

    @Test func badRequestsAreErrors() throws {
        let known = KnownState.empty
        #expect(throws: PlanRequestError.badYear(24)) {
            try Planner.plan(PlanRequest(client: "byd", platform: "meta", year: 24, wave: 1, inputs: [PlanInput(profile: wave1, path: "x")]), state: known)
        }
        #expect(throws: PlanRequestError.badName(option: "client", value: "--")) {
            try Planner.plan(PlanRequest(client: "--", platform: "meta", year: 2024, wave: 1, inputs: [PlanInput(profile: wave1, path: "x")]), state: known)
        }
        #expect(throws: PlanRequestError.noFiles) {
            try Planner.plan(PlanRequest(client: "byd", platform: "meta", year: 2024, wave: 1, inputs: []), state: known)
        }
    }
}

@Suite("several files in one plan")
struct SeveralFilesTests {
    @Test func aColumnCreatedByThisPlanTakesATypeThatHoldsEveryFile() throws {
        var s = try Session()
        let a = Profiles.file("data/a.csv", sha: Profiles.sha1, [Profiles.number("SPEND", digits: 3), Profiles.text("NOTE")])
        var nulls = Profiles.number("EXTRA")
        nulls.nulls = 10
        let b = Profiles.file("data/b.csv", sha: Profiles.sha2, [Profiles.number("SPEND", digits: 5, scale: 2), nulls])
        let plan = try s.plan(wave: 1, [a, b])
        #expect(plan.refusals.isEmpty)
        #expect(!plan.changes.contains { $0.kind == .rewriteColumn || $0.kind == .widenColumn })
        let table = try #require(try s.known().schema?.table("PROCESSED_CAMPAIGN_DATA"))
        #expect(table.column("SPEND")?.type == .number(precision: 38, scale: 2))
        // Both loads convert to the final type.
        let loads = plan.changes.compactMap { if case let .loadFile(l) = $0 { l } else { nil } }
        #expect(loads.map { $0.columns[0].columnType } == [.number(precision: 38, scale: 2), .number(precision: 38, scale: 2)])

        // The same in a later wave: the added column is created with the holding type.
        let c = Profiles.file("data/c.csv", sha: Profiles.sha3, [Profiles.number("REACH", digits: 2)])
        let d = Profiles.file("data/d.csv", sha: String(repeating: "d", count: 64), [Profiles.number("REACH", digits: 2, scale: 1)])
        let later = try s.plan(wave: 2, [c, d])
        let adds = later.changes.compactMap { if case let .addColumn(a) = $0 { a } else { nil } }
        #expect(adds.map(\.column.type) == [.number(precision: 38, scale: 1)])
        #expect(later.refusals.isEmpty)
    }
}
