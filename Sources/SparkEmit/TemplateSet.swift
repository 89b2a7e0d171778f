import Foundation
import Mustache
import SparkModel

/// The SQL templates, one per change kind: the bundled defaults, each replaceable by a file of
/// the same name in the project's `templates/` folder.
public struct TemplateSet: Sendable {
    /// Parsed templates by change kind.
    let templates: [Change.Kind: MustacheTemplate]
    /// Where each template came from (`default` or the override's file name), for error messages.
    public let origins: [Change.Kind: String]

    /// The file name of a kind's template: `add_column.sql.mustache`.
    public static func fileName(_ kind: Change.Kind) -> String { kind.rawValue + ".sql.mustache" }

    /// The default templates' text, by file name: the repository's top-level `templates/`,
    /// embedded at build time (the EmbedTemplates plugin).
    public static func defaults() throws -> [String: String] {
        var out: [String: String] = [:]
        for kind in Change.Kind.allCases {
            let name = fileName(kind)
            guard let text = DefaultTemplates.text[name] else { throw EmitError.missingDefault(name) }
            out[name] = text
        }
        return out
    }

    /// - Parameter overrides: template text by file name, from the project's `templates/` folder
    ///   (e.g. `["add_column.sql.mustache": "…"]`). Names that match no change kind are an error.
    /// - Parameter overrideFolder: how to name the folder in errors.
    public init(overrides: [String: String] = [:], overrideFolder: String = "templates") throws {
        let defaults = try TemplateSet.defaults()
        let known = Set(Change.Kind.allCases.map(TemplateSet.fileName))
        for name in overrides.keys.sorted() where !known.contains(name) {
            throw EmitError.unknownTemplate(file: "\(overrideFolder)/\(name)", known: known.sorted())
        }
        var templates: [Change.Kind: MustacheTemplate] = [:]
        var origins: [Change.Kind: String] = [:]
        for kind in Change.Kind.allCases {
            let name = TemplateSet.fileName(kind)
            let (text, origin) = overrides[name].map { ($0, "\(overrideFolder)/\(name)") } ?? (defaults[name]!, "default \(name)")
            do {
                // Text, not HTML: values are already-quoted SQL and must not be entity-escaped.
                templates[kind] = try MustacheTemplate(string: "{{% CONTENT_TYPE:TEXT}}" + text)
            } catch {
                throw EmitError.badTemplate(file: origin, message: String(describing: error))
            }
            origins[kind] = origin
        }
        self.templates = templates
        self.origins = origins
    }

    func render(_ kind: Change.Kind, _ context: [String: Any]) -> String {
        templates[kind]!.render(context)
    }
}

public enum EmitError: Error, Hashable, DiagnosticConvertible {
    case missingDefault(String)
    case unknownTemplate(file: String, known: [String])
    case badTemplate(file: String, message: String)
    case badOutput(template: String, message: String)
    /// A template's statements and their `-- spark:role` lines do not fit its change.
    case badRoles(template: String, message: String)

    public var diagnostic: Diagnostic {
        switch self {
        case let .missingDefault(name):
            Diagnostic(code: "emit.missing_default", message: "spark was built without the default template \(name)",
                       hint: "restore templates/\(name) in spark's repository and build spark again")
        case let .unknownTemplate(file, known):
            Diagnostic(code: "emit.unknown_template", file: file, line: 1, message: "no change kind uses this template",
                       hint: "rename it to one of \(known.joined(separator: ", ")), or remove it")
        case let .badTemplate(file, message):
            Diagnostic(code: "emit.bad_template", file: file, line: 1, message: "template does not parse: \(message)",
                       hint: "fix the Mustache syntax, or delete the file to use the default")
        case let .badOutput(template, message):
            Diagnostic(code: "emit.bad_output", file: template, line: 1, message: "the rendered SQL cannot be split into statements: \(message)",
                       hint: "end every statement with `;` and close every quote")
        case let .badRoles(template, message):
            Diagnostic(code: "emit.bad_roles", file: template, line: 1, message: message,
                       hint: "name each statement's role with a `-- spark:role NAME` line before it, as the default templates do; docs/plan.md (\"Statement steps\") lists the roles")
        }
    }
}
