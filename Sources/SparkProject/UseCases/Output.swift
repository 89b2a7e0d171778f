import Foundation
import SnowflakeClient
import SparkModel

/// spark's JSON, for the CLI's `--format json` and `spark serve`'s API alike: keys in
/// snake_case (`namingKeyCheck` → `naming_key_check`) and sorted, indented, slashes unescaped,
/// ending in a newline.
public enum JSONOutput {
    public static func text<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Encoding plain structs of strings and numbers cannot fail.
        return String(decoding: try! encoder.encode(value), as: UTF8.self) + "\n"
    }
}

extension Diagnostic {
    /// Any error as a diagnostic: spark's own say themselves; the Snowflake client's carry the
    /// server's code and the client's hint.
    public static func of(_ error: any Error) -> Diagnostic {
        switch error {
        case let d as any DiagnosticConvertible:
            return d.diagnostic
        case let e as SnowflakeError:
            var text = e
            text.hint = nil
            return Diagnostic(code: "snowflake." + Diagnostic.snakeCase(e.kind.rawValue.replacingOccurrences(of: " ", with: "_")),
                              message: text.description, hint: e.hint)
        default:
            return Diagnostic(code: "spark.error", message: String(describing: error))
        }
    }
}
