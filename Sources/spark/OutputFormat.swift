import ArgumentParser
import Foundation
import SparkProject

/// `--format` for reporting commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Every command's JSON: keys sorted, indented, slashes unescaped, ending in a newline.
/// `snakeCase` converts Swift property names (`namingKeyCheck` → `naming_key_check`).
func jsonText<T: Encodable>(_ value: T, snakeCase: Bool = false) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
    // Encoding plain structs of strings and numbers cannot fail.
    return String(decoding: try! encoder.encode(value), as: UTF8.self) + "\n"
}
