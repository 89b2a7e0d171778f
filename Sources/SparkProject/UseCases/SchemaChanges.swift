import Foundation
import SparkEmit
import SparkModel
import SparkPlan
import SparkState

/// What `spark grant`, `spark revoke` and `spark drop` produce: the change, then the migration.
public struct SchemaChangeOutcome: Sendable {
    /// grant, revoke or drop.
    public var command: String
    public var target: PlanTarget
    public var changes: [Change]
    public var migration: EmittedMigration?
    public var written: Bool
    /// Why nothing was written, when nothing was.
    public var note: String?
}

extension Project {
    /// `spark grant` / `spark revoke`: one migration that grants or revokes one schema role for
    /// one user. Granting what is granted writes nothing (the outcome's note says so); revoking
    /// what spark never granted is refused.
    public func changeGrant(_ key: SchemaKey, user: String, access: CreateRole.Access, grant: Bool) throws -> SchemaChangeOutcome {
        let command = grant ? "grant" : "revoke"
        let user = try UserName.check(user, command: command)
        let target = try key.target(try settings(), command: command)
        let writer = MigrationWriter(project: self, templates: try templates())
        let result = try writer.write(decide: { db, version -> (String?, MigrationHeader?) in
            let known = try KnownSchema.require(db, target, command: command, key: key)
            guard let role = known.roles[access] else {
                throw Diagnostic.refused(command: command, message: "state.sqlite has no \(access.rawValue) role for schema \(target.schema)",
                                   hint: "run `spark state rebuild` to recreate the state from migrations/")
            }
            let granted = try db.isGranted(role: role, user: user)
            let change = UserGrant(database: target.database, schema: target.schema, role: role, access: access, user: user)
            if grant && granted {
                return ("Nothing to do: role \(role) is already granted to user \(PlanText.shown(user)).", nil)
            }
            if !grant && !granted {
                throw Diagnostic.refused(command: command, message: "spark never granted role \(role) to user \(PlanText.shown(user))",
                                   hint: "`spark schemas` lists the users spark granted each schema to; check --user and --read-only, "
                                       + "and revoke grants made outside spark by hand")
            }
            let description = "\(command)_\(SchemaKey.slug(target))_\(access == .readOnly ? "ro" : "rw")_\(UserName.slug(user))"
            return (nil, known.header(target, version: version, description: description,
                                      changes: [grant ? .grantRoleToUser(change) : .revokeRoleFromUser(change)]))
        })
        return SchemaChangeOutcome(command: command, target: target, changes: result.migration?.header.changes ?? [],
                                   migration: result.migration, written: result.written, note: result.value)
    }

    /// `spark drop`: a destructive migration that drops the schema and its roles. Refused, before
    /// the state is even opened, unless `confirm`.
    public func drop(_ key: SchemaKey, confirm: Bool) throws -> SchemaChangeOutcome {
        let target = try key.target(try settings(), command: "drop")
        guard confirm else {
            throw Diagnostic.refused(command: "drop", message: "dropping \(target.database).\(target.schema) destroys its tables, data, stage and roles; refused without --confirm",
                               hint: "add --confirm to write the drop migration: `spark drop --client \(key.client) --platform \(key.platform) --year \(key.year) --confirm`")
        }
        let writer = MigrationWriter(project: self, templates: try templates())
        let result = try writer.write(decide: { db, version -> (Void, MigrationHeader?) in
            let known = try KnownSchema.require(db, target, command: "drop", key: key)
            let drop = DropSchema(database: target.database, schema: target.schema, roles: known.roles.values.sorted())
            return ((), known.header(target, version: version, description: "drop_\(SchemaKey.slug(target))", changes: [.dropSchema(drop)]))
        })
        return SchemaChangeOutcome(command: "drop", target: target, changes: result.migration?.header.changes ?? [],
                                   migration: result.migration, written: result.written, note: nil)
    }
}

/// A Snowflake user name as `spark grant --user` takes it: quoted as given, never upper-cased.
public enum UserName {
    /// The name, refused when it cannot be a Snowflake user name.
    public static func check(_ user: String, command: String) throws -> String {
        guard !user.isEmpty else {
            throw Diagnostic.refused(command: command, message: "--user is empty",
                               hint: "pass the user's name exactly as `SHOW USERS` lists it, e.g. `--user jane.doe@agency.com`")
        }
        if let bad = user.unicodeScalars.first(where: { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            throw Diagnostic.refused(command: command, message: "--user \(PlanText.shown(user)) contains the control character U+\(String(format: "%04X", bad.value))",
                               hint: "pass the user's name exactly as `SHOW USERS` lists it; a pasted name may carry a stray newline or tab")
        }
        guard user.count <= Identifier.maxLength else {
            throw Diagnostic.refused(command: command, message: "--user is \(user.count) characters long; Snowflake names have at most \(Identifier.maxLength)",
                               hint: "pass the user's name exactly as `SHOW USERS` lists it")
        }
        return user
    }

    /// `jane_doe_agency_com`: the user's part of the migration's name.
    public static func slug(_ user: String) -> String {
        let n = Identifier.normalize(user, position: 0)
        return String((n == "COL_0" ? "user" : n.lowercased()).prefix(60))
    }
}

/// What state.sqlite knows of one client schema, for the use cases that change it after planning.
struct KnownSchema {
    var client: String
    var platform: String
    var year: Int
    /// Role name by access.
    var roles: [CreateRole.Access: String]

    /// - Throws: naming the schema and telling the user to plan a wave first, when state does not know it.
    static func require(_ db: StateTransaction, _ t: PlanTarget, command: String, key: SchemaKey) throws -> KnownSchema {
        guard let identity = try db.schemaIdentity(database: t.database, name: t.schema) else {
            let list = "`spark schemas` lists the schemas spark knows"
            throw Diagnostic.refused(command: command, message: "state.sqlite knows no schema \(t.database).\(t.schema)",
                               hint: command == "drop" ? "check --client, --platform and --year; \(list)" : "plan a wave for it first: `spark plan --client \(key.client) --platform \(key.platform) --year \(key.year) --wave 1 <files>`"
                                   + "; \(list)")
        }
        var roles: [CreateRole.Access: String] = [:]
        for r in try db.roles(database: t.database, schema: t.schema) {
            if let access = CreateRole.Access(rawValue: r.access) { roles[access] = r.name }
        }
        return KnownSchema(client: identity.client, platform: identity.platform, year: identity.year, roles: roles)
    }

    func header(_ t: PlanTarget, version: Int, description: String, changes: [Change]) -> MigrationHeader {
        MigrationHeader(version: version, description: description, client: client, platform: platform, year: year, wave: 0,
                        database: t.database, schema: t.schema, changes: changes)
    }
}
