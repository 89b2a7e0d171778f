import Foundation
import SparkModel
@testable import SparkState
import Testing

/// How `grant_role_to_user`, `revoke_role_from_user` and `drop_schema` change state.sqlite.
@Suite("state.sqlite: grants to users and drops")
struct OpsStateTests {
    typealias S = StateStoreTests
    static let roles: [Change] = [
        .createRole(CreateRole(role: "CLIENT_A_META_2024_RW", schema: "CLIENT_A_META_2024", access: .readWrite, parentRole: "SYSADMIN")),
        .createRole(CreateRole(role: "CLIENT_A_META_2024_RO", schema: "CLIENT_A_META_2024", access: .readOnly, parentRole: "SYSADMIN")),
        .grant(Grant(privileges: ["USAGE"], object: .schema, objectName: ["DB", "CLIENT_A_META_2024"], role: "CLIENT_A_META_2024_RO")),
        .grant(Grant(privileges: [], object: .role, objectName: ["CLIENT_A_META_2024_RO"], role: "SYSADMIN")),
    ]
    static let userGrant = UserGrant(database: "DB", schema: "CLIENT_A_META_2024", role: "CLIENT_A_META_2024_RO", access: .readOnly,
                                     user: "jane.doe@agency.com")
    static let drop = Change.dropSchema(DropSchema(database: "DB", schema: "CLIENT_A_META_2024",
                                                   roles: ["CLIENT_A_META_2024_RO", "CLIENT_A_META_2024_RW"]))

    func record(_ store: StateStore, _ version: Int, _ changes: [Change]) throws {
        try store.withExclusiveLock { db in
            try db.record(header: S.header(version, changes), fileName: "V\(version)__x.sql", checksum: "c\(version)")
        }
    }

    func count(_ store: StateStore, _ table: String) throws -> Int {
        try store.read { try Int.fetchOne($0.db, sql: "SELECT COUNT(*) FROM \(table)") } ?? -1
    }

    @Test func grantThenRevoke() throws {
        let store = try StateStore()
        try record(store, 1, S.create + Self.roles)
        try record(store, 2, [.grantRoleToUser(Self.userGrant)])
        #expect(try store.read { try String.fetchAll($0.db, sql: "SELECT user FROM user_grants") } == ["jane.doe@agency.com"])
        // A second grant of the same role to the same user is a conflict between migrations.
        #expect(throws: StateError.self) { try record(store, 3, [.grantRoleToUser(Self.userGrant)]) }
        try record(store, 3, [.revokeRoleFromUser(Self.userGrant)])
        #expect(try count(store, "user_grants") == 0)
        let again = #expect(throws: StateError.self) { try record(store, 4, [.revokeRoleFromUser(Self.userGrant)]) }
        #expect(again.map { "\($0)".contains("was never granted") } == true)
        // The failed records left no migration row behind.
        #expect(try count(store, "migrations") == 3)
    }

    @Test func grantingARoleNoMigrationCreatedIsAConflict() throws {
        let store = try StateStore()
        try record(store, 1, S.create)
        let e = #expect(throws: StateError.self) { try record(store, 2, [.grantRoleToUser(Self.userGrant)]) }
        #expect(e.map { "\($0)".contains("no migration created it") } == true)
    }

    @Test func dropForgetsTheSchemaAndReplanningStartsOver() throws {
        let store = try StateStore()
        try record(store, 1, [.createDatabase(CreateDatabase(database: "DB"))] + S.create + Self.roles + [S.load("aa", wave: 1, digits: 3)])
        try record(store, 2, [.grantRoleToUser(Self.userGrant)])
        // Another schema's rows stay.
        try store.withExclusiveLock { db in
            try db.record(header: MigrationHeader(version: 3, description: "b", client: "B", platform: "META", year: 2024, wave: 1,
                                                              database: "DB", schema: "CLIENT_B_META_2024",
                                                              changes: [.createSchema(CreateSchema(database: "DB", schema: "CLIENT_B_META_2024", client: "B", platform: "META", year: 2024))]),
                                  fileName: "V3__b.sql", checksum: "c3")
        }
        try record(store, 4, [Self.drop])
        for table in ["tables", "columns", "roles", "grants", "files", "user_grants"] {
            #expect(try count(store, table) == 0, "\(table)")
        }
        #expect(try store.read { try String.fetchAll($0.db, sql: "SELECT name FROM schemas") } == ["CLIENT_B_META_2024"])
        #expect(try count(store, "databases") == 1)
        let known = try store.read { try $0.load(database: "DB", schema: "CLIENT_A_META_2024") }
        #expect(known.schema == nil && known.databaseKnown && known.latestVersion == 4)
        // The same schema can be created again, and the same file planned again.
        try record(store, 5, S.create + Self.roles + [S.load("aa", wave: 1, digits: 3)])
        #expect(try count(store, "files") == 1)
        // Dropping what no migration created is a conflict.
        try record(store, 6, [Self.drop])
        #expect(throws: StateError.self) { try record(store, 7, [Self.drop]) }
    }
}
