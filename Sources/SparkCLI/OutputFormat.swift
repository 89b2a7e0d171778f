import ArgumentParser
import Foundation
import SparkProject

/// `--format` for reporting commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Every command's JSON (``JSONOutput``).
func jsonText<T: Encodable>(_ value: T) -> String { JSONOutput.text(value) }
