import Foundation
import SparkInfer
import SparkModel
import SparkPlan

/// Which client schema a use case works on: `--client`, `--platform`, `--year`.
public struct SchemaKey: Sendable, Hashable {
    public var client: String
    public var platform: String
    public var year: Int

    public init(client: String, platform: String, year: Int) {
        self.client = client
        self.platform = platform
        self.year = year
    }

    /// The schema and role names `spark plan` gives this client (the wave plays no part in them).
    /// - Throws: a ``Diagnostic`` refusing `command` for an unusable client, platform or year.
    public func target(_ settings: PlanSettings, command: String) throws -> PlanTarget {
        do {
            return try PlanRequest(client: client, platform: platform, year: year, wave: 1, settings: settings, inputs: []).target()
        } catch let e as PlanRequestError {
            switch e {
            case let .badName(option, value):
                throw Diagnostic.refused(command: command, message: "--\(option) \(PlanText.shown(value)) has no letters or digits",
                                   hint: "pass the name the client's waves were planned with, e.g. `--\(option) byd`")
            case let .badYear(y):
                throw Diagnostic.refused(command: command, message: "--year \(y) is not a four-digit year",
                                   hint: "pass the campaign year, e.g. `--year 2024`")
            case .unknownPlatform:
                throw Diagnostic.refused(command: command, message: e.message, hint: e.hint)
            case .badWave, .noFiles:
                throw e
            }
        }
    }

    /// `byd_meta_2024`: the part of migration names that says which schema.
    public static func slug(_ t: PlanTarget) -> String { "\(t.client.lowercased())_\(t.platform.lowercased())_\(t.year)" }
}

/// How to read the files: what decides what a file alone cannot (`--decimal-separator`,
/// `--date-order`, `--keep-summary-rows`, `--header-line`, `--bad-rows`). Each overrides its
/// spark.toml key.
public struct ReadOverrides: Sendable {
    public var decimalSeparator: DecimalSeparator?
    public var dateOrder: DateOrder?
    public var keepSummaryRows: Bool
    public var headerLine: Int?
    public var badRows: BadRows?

    public init(decimalSeparator: DecimalSeparator? = nil, dateOrder: DateOrder? = nil, keepSummaryRows: Bool = false,
                headerLine: Int? = nil, badRows: BadRows? = nil) {
        self.decimalSeparator = decimalSeparator
        self.dateOrder = dateOrder
        self.keepSummaryRows = keepSummaryRows
        self.headerLine = headerLine
        self.badRows = badRows
    }

    /// Inference options from these overrides over the project's settings.
    public func inferOptions(_ settings: PlanSettings) -> InferOptions {
        InferOptions(nullMarkers: settings.effectiveNullMarkers, decimalSeparator: decimalSeparator ?? settings.decimalSeparator,
                     dateOrder: dateOrder ?? settings.dateOrder, keepSummaryRows: keepSummaryRows, badRows: badRows ?? settings.badRows,
                     headerLine: headerLine, columnTypes: settings.columnTypes)
    }
}

/// What a use case tells its front end while it works: warnings, and long reads a front end
/// may show progress for. The CLI draws a bar on a terminal; the web page and tests stay quiet.
public protocol WorkObserver: Sendable {
    /// A warning about one input (`file: text`), printed by the CLI on stderr as `warning: …`.
    func warning(_ line: String)
    /// Something done that the user did not ask for, printed by the CLI as `note: …`.
    func note(_ line: String)
    /// Runs `body`, which reads about `bytes` bytes, as the step named `label`.
    func reading<T>(_ label: String, bytes: Int, _ body: () throws -> T) throws -> T
}

/// Says nothing and shows no progress.
public struct QuietObserver: WorkObserver {
    public init() {}
    public func warning(_ line: String) {}
    public func note(_ line: String) {}
    public func reading<T>(_ label: String, bytes: Int, _ body: () throws -> T) throws -> T { try body() }
}

/// The total size of `paths`, for progress over reading them all.
public func totalSize(of paths: [String]) -> Int {
    paths.reduce(0) { sum, path in
        sum + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
    }
}
