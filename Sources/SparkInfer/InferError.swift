import SparkModel

/// A file spark cannot read. Always names the file and, where it has one, the physical line,
/// and says what to do next.
public struct InferError: Error, Sendable, Equatable, DiagnosticConvertible {
    public enum Kind: String, Sendable {
        case unreadable, empty, binary, encoding, unterminatedQuote, badQuote, strayQuote, tooManyFields, tooFewFields, recordTooLarge,
            ambiguousNumber, damagedHeader, tooManyBadRows, badColumnType
    }

    public var kind: Kind
    public var path: String
    /// 1-based physical line, when the problem has one.
    public var line: Int?
    public var message: String
    /// What the user should do next.
    public var hint: String

    public init(_ kind: Kind, path: String, line: Int? = nil, message: String, hint: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.message = message
        self.hint = hint
    }

    /// A record whose field count differs from the header's.
    static func width(path: String, line: Int, fields: Int, header: Int) -> InferError {
        let more = fields > header
        return InferError(more ? .tooManyFields : .tooFewFields, path: path, line: line,
                          message: "this record has \(fields) fields but the header has \(header)",
                          hint: (more ? "quote any field that contains the delimiter, or fix the row" : "fill in the missing fields or remove the row")
                            + "; or pass --bad-rows reject to load the other rows and list this one in a rejects file")
    }

    public var diagnostic: Diagnostic {
        Diagnostic(code: "infer." + Diagnostic.snakeCase(kind.rawValue), file: path, line: line, message: message, hint: hint)
    }
}
