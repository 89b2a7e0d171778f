import ArgumentParser
import SparkInfer
import SparkModel
import SparkPlan
import SparkProject

extension DecimalSeparator: ExpressibleByArgument {}
extension DateOrder: ExpressibleByArgument {}
extension BadRows: ExpressibleByArgument {}

/// How to read the files: the flags that decide what a file alone cannot, shared by `infer`,
/// `preview`, `validate` and `plan`. Each overrides its spark.toml key.
struct ReadOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The decimal mark of the files' numbers: `.` or `,` (default: spark.toml's decimal_separator, else decided from each file's values).", valueName: "mark"))
    var decimalSeparator: DecimalSeparator?

    @Option(help: ArgumentHelp("DMY or MDY, for dates such as 5/3/2024 when nothing in the file shows the order (default: spark.toml's date_order).", valueName: "order"))
    var dateOrder: DateOrder?

    @Flag(help: "Load rows that total other rows (`Total: Account`, `Gesamt`) as data instead of leaving them out.")
    var keepSummaryRows = false

    @Option(help: ArgumentHelp("The physical line of the header, when spark finds another (lines before it are preamble).", valueName: "line"))
    var headerLine: Int?

    @Option(help: ArgumentHelp("refuse (stop at the first bad row) or reject (leave bad rows out of the load and list them) (default: spark.toml's bad_rows, else refuse).", valueName: "mode"))
    var badRows: BadRows?

    func validate() throws {
        if let h = headerLine, h < 1 { throw ValidationError("--header-line must be 1 or more") }
    }

    /// The overrides these flags give.
    var overrides: ReadOverrides {
        ReadOverrides(decimalSeparator: decimalSeparator, dateOrder: dateOrder, keepSummaryRows: keepSummaryRows, headerLine: headerLine,
                      badRows: badRows)
    }

    /// Inference options from these flags over the project's settings.
    func inferOptions(_ settings: PlanSettings) -> InferOptions { overrides.inferOptions(settings) }
}
