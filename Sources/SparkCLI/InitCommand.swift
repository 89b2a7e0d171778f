import ArgumentParser
import Foundation
import SparkModel
import SparkProject
import SparkEmit

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a spark project: migrations/, templates/, spark.toml and .gitignore.",
        discussion: """
            Writes nothing if any of those already exists in DIR.

            Examples:
              spark init                 # the current directory
              spark init clients/byd
            """)

    @Argument(help: "The project directory (created if missing).")
    var directory = "."

    static let sparkToml = """
        # spark project settings. Every key is optional; the values shown are the defaults.

        # The database the client schemas live in. Used exactly as written and always quoted,
        # so case matters.
        # database = "SPARK_DB"

        # Platforms --platform accepts besides meta, linkedin, google_ads, tiktok, snapchat,
        # pinterest, x, reddit, amazon_ads, dv360, the_trade_desk and microsoft_ads.
        # platforms = ["taboola"]

        # The role the schemas' read-write and read-only roles are granted to.
        # parent_role = "SYSADMIN"

        # The schema, in the database above, where `spark apply` keeps SPARK_HISTORY and SPARK_LOCK.
        # history_schema = "SPARK"

        # Cell values that mean NULL, compared after trimming spaces. An empty cell is always NULL.
        # null_markers = ["--", "-", "N/A", "n/a", "null", "NULL"]

        # The column, in NAMING_KEYS and in the campaign data, that holds the naming key.
        # `spark validate` checks every campaign row's key against the NAMING_KEYS planned so far.
        # naming_key_column = "NAMING_KEY"

        # The decimal mark of the exports' numbers: "auto" decides it per file from values only one
        # mark reads (1.234,56 or 12.5); a file whose numbers could be read both ways (294.481) is
        # refused until this, --decimal-separator or a [column_types] entry decides. "." or ",".
        # decimal_separator = "auto"

        # For dates such as 5/3/2024 when no value in the file shows the order: "DMY" or "MDY".
        # "auto" assumes MM/DD/YYYY for slashes and DD-MM-YYYY for dashes, with a warning.
        # date_order = "auto"

        # Rows of the wrong width or with bad quoting, and values an existing column cannot take:
        # "refuse" stops the plan at the first; "reject" loads the other rows and lists these in
        # data/<client>/<platform>/<year>/<file>.rejects.csv, which apply keeps in the stage.
        # bad_rows = "refuse"

        # Header aliases: an exported header (as written, surrounding spaces ignored) and the
        # column it loads into. Use them when an export renames a column, so the renamed header
        # does not become a new column.
        # [header_aliases]
        # "Amount Spent (USD)" = "AMOUNT_SPENT_USD"
        # "Amount spent" = "AMOUNT_SPENT_USD"

        # Column types, by header (or column name), when inference should not decide: checked
        # against the data like an inferred type.
        # [column_types]
        # "Reichweite" = "NUMBER(38,0)"

        """

    static let gitignore = """
        # Local index of migrations/; `spark state rebuild` recreates it.
        state.sqlite
        state.sqlite-*
        # Canonical copies spark apply writes before loading.
        .spark/
        # The standardized copies of the wave files that spark plan makes are the files the
        # migrations load; keep them, in git (or git-lfs) or in shared storage. Uncomment to
        # keep client data out of git:
        # data/

        """

    func run() throws {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        let fm = FileManager.default
        let entries = ["migrations", "templates", "spark.toml", ".gitignore"]
        let existing = entries.filter { fm.fileExists(atPath: root.appendingPathComponent($0).path) }
        guard existing.isEmpty else {
            throw Diagnostic.project(file: root.appendingPathComponent(existing[0]).path, line: 1, message: "already exists; spark init writes nothing over an existing project",
                               hint: "run spark init in an empty directory, or remove \(existing.joined(separator: ", ")) first")
        }
        let templates = try TemplateSet.defaults()
        try fm.createDirectory(at: root.appendingPathComponent("migrations"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("templates"), withIntermediateDirectories: true)
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            try text.write(to: root.appendingPathComponent("templates").appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try (ProjectConfig.projectIdLines(ProjectConfig.newProjectId()) + Self.sparkToml)
            .write(to: root.appendingPathComponent("spark.toml"), atomically: true, encoding: .utf8)
        try Self.gitignore.write(to: root.appendingPathComponent(".gitignore"), atomically: true, encoding: .utf8)
        print("Created a spark project in \(root.path): migrations/, templates/ (\(templates.count) templates to customise), spark.toml, .gitignore.")
        print("Next: spark plan --client C --platform P --year YYYY --wave 1 FILE.csv")
    }
}
