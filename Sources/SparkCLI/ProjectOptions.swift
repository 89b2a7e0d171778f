import ArgumentParser
import Foundation
import SnowflakeClient
import SparkEmit
import SparkInfer
import SparkModel
import SparkPlan
import SparkProject
import SparkState

/// `--project DIR` and `--state PATH`, shared by the commands that read a project.
@dynamicMemberLookup
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The project directory, holding migrations/, templates/, state.sqlite and spark.toml.", valueName: "dir"))
    var project: String = "."

    @Option(name: .long, help: ArgumentHelp("Where the state lives (default: <project>/state.sqlite).", valueName: "path"))
    var state: String?

    /// The project these options name.
    var layout: Project { Project(directory: project, state: state) }

    subscript<T>(dynamicMember keyPath: KeyPath<Project, T>) -> T { layout[keyPath: keyPath] }
}

/// `--history-schema`, shared by apply and status.
struct HistorySchemaOption: ParsableArguments {
    @Option(help: ArgumentHelp("Schema (in the project's database) that holds SPARK_HISTORY and SPARK_LOCK (default: spark.toml's history_schema, else SPARK).", valueName: "name"))
    var historySchema: String?
}

/// Prints `errors` the way every spark command does and returns exit code 1: as text on
/// stderr, or with `json`, as `{"errors": [ … ]}` (each a ``Diagnostic``) on stdout.
func fail(_ errors: [any Error], json: Bool) -> ExitCode {
    // What was printed first comes first: a plan's output is buffered, the error is not, and
    // on one terminal or file the error would otherwise land inside the plan's last line.
    fflush(nil)
    let diagnostics = errors.map(Diagnostic.of)
    if json {
        print(jsonText(["errors": diagnostics]), terminator: "")
    } else {
        for d in diagnostics { printError((d.description + "\n")) }
    }
    return ExitCode.failure
}

func fail(_ error: any Error, json: Bool = false) -> ExitCode {
    fail([error], json: json)
}
