import ArgumentParser
import Foundation
import SparkModel
import SparkProject
import SparkServe

/// `spark serve`: the upload page for the people who receive the exports.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the upload page: drop an export, see its plan, write its migration.",
        discussion: """
            Account managers upload a platform export with its client, platform, year and wave; \
            the page shows the standardized name, the inferred columns, the first 20 records as \
            they will load, and the plan with its SQL, and writes the migration and the data copy \
            exactly as `spark plan` does. /files lists every planned file. Beside the page: \
            POST /api/plan (multipart, ?write=1 to write), GET /api/files and GET /api/schemas, \
            each needing the header X-Spark-Request: 1.

            It listens on 127.0.0.1 by default. Another --host needs SPARK_SERVE_TOKEN (never a \
            flag): the page asks for it once, and every request must carry it. Ctrl-C stops it.

            Examples:
              spark serve
              spark serve --port 8600 --git-commit
              spark serve --apply --connection prod      (load each upload right after its write)
              SPARK_SERVE_TOKEN=… spark serve --host 0.0.0.0
            """)

    @OptionGroup var project: ProjectOptions
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port (0: any free one; the address is printed).") var port = 8501
    @Flag(help: "After each write, commit migrations/ and data/ (in a git work tree; never pushes).") var gitCommit = false
    @Option(help: ArgumentHelp("The largest upload accepted, in MB.", valueName: "mb")) var maxUploadMb = 2048
    @Flag(help: "After each write, apply it to Snowflake as `spark apply` does (needs a connection).") var apply = false
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var history: HistorySchemaOption

    func run() async throws {
        do {
            var options = ServeOptions()
            options.host = host
            options.port = port
            options.gitCommit = gitCommit
            options.maxUploadBytes = maxUploadMb * 1_048_576
            options.token = Invocation.current.environment["SPARK_SERVE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            if apply {
                // Resolved now: a missing connection stops the server from starting, not a write later.
                var request = ApplyRequest()
                request.connection = try connection.resolve()
                request.historySchema = history.historySchema
                options.apply = request
            }
            let server = try SparkServer(project: project.layout, options: options)
            try await server.run(listening: { address in
                print("spark serve: listening on \(address) (Ctrl-C stops)")
                fflush(nil)
            })
        } catch {
            throw fail(error)
        }
    }
}
