import ArgumentParser
import Foundation
import SparkProject

/// `--format` for reporting commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Every command's JSON: keys in snake_case (`namingKeyCheck` → `naming_key_check`) and sorted,
/// indented, slashes unescaped, ending in a newline.
func jsonText<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    // Encoding plain structs of strings and numbers cannot fail.
    return String(decoding: try! encoder.encode(value), as: UTF8.self) + "\n"
}
