/// What spark tells a user about a problem, whatever module found it: where (file, line,
/// column), what went wrong, what to do next, and a stable code scripts can rely on. Every error
/// type of spark gives one (``DiagnosticConvertible``); the CLI prints it as text, or under
/// `--format json` as `{"error": {…}}` on stdout, with a non-zero exit either way.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible, Encodable {
    public enum Severity: String, Sendable, Hashable, Encodable {
        case error, warning, note
    }

    public var severity: Severity
    /// Dotted and stable, e.g. `infer.stray_quote`, `plan.refused`, `apply.locked`.
    public var code: String
    /// The file the problem is in, as the user named it or relative to the project.
    public var file: String?
    /// 1-based; nil when the problem is about the file as a whole.
    public var line: Int?
    /// 1-based; nil when not known.
    public var column: Int?
    public var message: String
    /// What to do next.
    public var hint: String?

    public init(_ severity: Severity = .error, code: String, file: String? = nil, line: Int? = nil, column: Int? = nil,
                message: String, hint: String? = nil) {
        self.severity = severity
        self.code = code
        self.file = file
        self.line = line.flatMap { $0 > 0 ? $0 : nil }
        self.column = column
        self.message = message
        self.hint = hint
    }

    /// `unterminatedQuote` → `unterminated_quote`, for codes made from Swift names.
    public static func snakeCase(_ name: String) -> String {
        var out = ""
        for c in name {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }

    /// `file:line:column: message`, then `hint: …` on a line of its own.
    public var description: String {
        var location = file ?? ""
        if let line { location += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return (location.isEmpty ? "" : location + ": ") + message + (hint.map { "\nhint: \($0)" } ?? "")
    }
}

extension Diagnostic {
    /// A problem in a project's files (spark.toml, migrations/, spark.sum, state.sqlite, data/):
    /// `file:line: message`. `line` 0 means the file as a whole.
    public static func project(file: String, line: Int, message: String, hint: String) -> Diagnostic {
        Diagnostic(code: "project.error", file: file, line: line, message: message, hint: hint)
    }

    /// A refusal of what a command was asked to do, with no file to name: `spark <command>: message`.
    public static func refused(command: String, message: String, hint: String) -> Diagnostic {
        Diagnostic(code: "\(command).refused", message: "spark \(command): \(message)", hint: hint)
    }
}

/// An error that can say itself as a ``Diagnostic``. Its text is the diagnostic's.
public protocol DiagnosticConvertible: Error, CustomStringConvertible {
    var diagnostic: Diagnostic { get }
}

extension DiagnosticConvertible {
    public var description: String { diagnostic.description }
}

extension Diagnostic: DiagnosticConvertible {
    public var diagnostic: Diagnostic { self }
}
