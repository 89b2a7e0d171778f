import Foundation
import SparkModel
import SparkPlan

/// What `spark plan`'s flags said of a wave; nil where a flag was not given.
public struct WaveFlags: Sendable {
    public var client: String?
    public var platform: String?
    public var year: Int?
    public var wave: Int?
    public var table: TableKind?

    public init(client: String? = nil, platform: String? = nil, year: Int? = nil, wave: Int? = nil, table: TableKind? = nil) {
        self.client = client
        self.platform = platform
        self.year = year
        self.wave = wave
        self.table = table
    }
}

/// The wave a set of files makes: flags and file names together.
public struct WaveIdentity: Sendable, Equatable {
    public var schema: SchemaKey
    public var wave: Int
    public var table: TableKind

    public init(schema: SchemaKey, wave: Int, table: TableKind) {
        self.schema = schema
        self.wave = wave
        self.table = table
    }

    /// Fills what `flags` leave out from the files' standard names (``StandardName``). Refused
    /// when a flag and a name, or two names, disagree (the file would load as a wave it is not),
    /// or when neither says a value. Files not named by the nomenclature say nothing.
    /// - Parameter command: the command refusing, for the messages.
    public static func resolve(_ flags: WaveFlags, files: [String], settings: PlanSettings, command: String = "plan") throws -> WaveIdentity {
        let named = files.compactMap { f in StandardName.parse(f, platforms: settings.platforms).map { (file: f, name: $0) } }
        func same(_ a: String, _ b: String) -> Bool {
            Identifier.normalize(a, position: 0).lowercased() == Identifier.normalize(b, position: 0).lowercased()
        }
        /// One value: the flag's, else the names' (which must agree with each other and the flag).
        func value<T>(_ option: String, _ flag: T?, _ part: (StandardName) -> T?, shown: (T) -> String, equal: (T, T) -> Bool) throws -> T? {
            var chosen = flag
            var source = flag.map { _ in "--\(option)" }
            for n in named {
                guard let v = part(n.name) else { continue }
                if let c = chosen, !equal(c, v) {
                    throw Diagnostic(code: "\(command).name_mismatch", file: n.file,
                                     message: "its name says \(option) \(shown(v)), but \(source ?? "") says \(shown(c))",
                                     hint: "a file named by the standard nomenclature (<client>_<platform>_<year>_wave<N>.csv) must hold what its name says: rename it, or leave out the flag its name gives")
                }
                if chosen == nil {
                    chosen = v
                    source = n.file
                }
            }
            return chosen
        }
        let client = try value("client", flags.client, { $0.client }, shown: { $0 }, equal: same)
        let platform = try value("platform", flags.platform, { $0.platform }, shown: { $0 }, equal: same)
        let year = try value("year", flags.year, { $0.year }, shown: { String($0) }, equal: ==)
        let wave = try value("wave", flags.wave, { $0.wave }, shown: { String($0) }, equal: ==)
        let table = try value("table", flags.table, { $0.table }, shown: { $0 == .namingKeys ? "naming-keys" : "campaign" }, equal: ==)
        func missing(_ option: String, _ example: String) -> Diagnostic {
            let names = "<client>_<platform>_<year>_wave<N>.csv (…_wave<N>_naming_keys.csv for naming keys)"
            // `spark watch` has no flags for it: only the name can say.
            return command == "plan"
                ? Diagnostic.refused(command: command, message: "--\(option) is needed: no file name says it",
                                     hint: "pass --\(option) \(example), or name the file by the standard nomenclature: \(names)")
                : Diagnostic.refused(command: command, message: "the file's name does not say its \(option)",
                                     hint: "name it by the standard nomenclature: \(names)")
        }
        guard let client else { throw missing("client", "byd") }
        guard let platform else { throw missing("platform", "meta") }
        guard let year else { throw missing("year", "2024") }
        guard let wave else { throw missing("wave", "1") }
        return WaveIdentity(schema: SchemaKey(client: client, platform: platform, year: year), wave: wave, table: table ?? .campaign)
    }
}
