import Foundation
import SparkProject

/// Whether to colour a stream, and the ANSI colours spark uses.
///
/// Colour only when the stream is a terminal, `NO_COLOR` is unset (https://no-color.org: any
/// value, even empty, turns colour off) and `TERM` is not `dumb`.
struct Terminal: Sendable {
    let colored: Bool

    init(colored: Bool) { self.colored = colored }

    /// The decision, from explicit inputs.
    static func shouldColor(isTTY: Bool, environment: [String: String]) -> Bool {
        isTTY && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    /// For the run's standard output or standard error.
    static var stdout: Terminal { Terminal(colored: shouldColor(isTTY: Invocation.current.stdoutIsTerminal, environment: Invocation.current.environment)) }
    static var stderr: Terminal { Terminal(colored: shouldColor(isTTY: Invocation.current.stderrIsTerminal, environment: Invocation.current.environment)) }

    func red(_ s: String) -> String { wrap(s, "31") }
    func green(_ s: String) -> String { wrap(s, "32") }
    func yellow(_ s: String) -> String { wrap(s, "33") }
    func bold(_ s: String) -> String { wrap(s, "1") }

    private func wrap(_ s: String, _ code: String) -> String {
        colored ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }

    /// Plan text in terraform's colours: `+` green, `~` yellow, destructive `-` and refused `!` red.
    func coloringPlan(_ planText: String) -> String {
        guard colored else { return planText }
        return planText.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let text = String(line)
            switch line.prefix(4) {
            case "  + ": return green(text)
            case "  ~ ": return yellow(text)
            case "  - ", "  ! ": return red(text)
            default: return text
            }
        }.joined(separator: "\n")
    }
}
