import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SparkEmit
import SparkLoad
import SparkModel
import SparkPlan
import SparkProject

/// How `spark serve` runs.
public struct ServeOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8501
    /// Required of every request when set (`SPARK_SERVE_TOKEN`); a host other than loopback needs one.
    public var token: String?
    /// Commit migrations/ and data/ after each write, in a git work tree.
    public var gitCommit = false
    public var maxUploadBytes = 2048 * 1_048_576
    /// With `--apply`: the apply to run after each write (its connection resolved at start).
    public var apply: ApplyRequest?

    public init() {}

    public var isLoopback: Bool { ["127.0.0.1", "localhost", "::1"].contains(host) }
}

/// `spark serve`: the upload page and its API, over SparkProject's use cases. It plans and
/// writes exactly what `spark plan` would; nothing here decides anything about a wave.
public struct SparkServer: Sendable {
    let project: Project
    let options: ServeOptions
    /// The token every form carries (a cross-site page cannot read it), new at each start.
    let csrf: String

    public init(project: Project, options: ServeOptions) throws {
        guard options.isLoopback || options.token != nil else {
            throw Diagnostic.refused(command: "serve", message: "--host \(options.host) is not loopback, and no SPARK_SERVE_TOKEN is set",
                                     hint: "set SPARK_SERVE_TOKEN to a long random secret that every request must carry, or serve on 127.0.0.1")
        }
        try project.requireProject()
        self.project = project
        self.options = options
        csrf = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).map { String(format: "%02x", $0) }.joined() }
    }

    /// Runs until SIGINT or SIGTERM; `listening` is told the address once the port is open.
    public func run(listening: @escaping @Sendable (String) -> Void) async throws {
        removeStaleUploads()
        var logger = Logger(label: "spark.serve")
        logger.logLevel = .warning
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "spark"),
            onServerRunning: { channel in
                listening("http://\(options.host.contains(":") ? "[\(options.host)]" : options.host):\(channel.localAddress?.port ?? options.port)/")
            },
            logger: logger)
        try await app.runService()
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: Guard(token: options.token))
        router.get("/") { _, _ in try Self.page(Pages.upload, self.formContext()) }
        router.get("/login") { _, _ in try Self.page(Pages.login, [:]) }
        router.post("/login") { request, _ in try await self.login(request) }
        router.post("/upload") { request, _ in try await self.upload(request) }
        router.post("/write") { request, _ in try await self.writeUpload(request) }
        router.get("/files") { _, _ in try self.filesPage() }
        router.get("/migrations/:name") { _, context in try self.migrationText(context.parameters.get("name") ?? "") }
        router.post("/api/plan") { request, _ in try await self.apiPlan(request) }
        router.get("/api/files") { _, _ in Self.json(try self.project.files()) }
        router.get("/api/schemas") { _, _ in Self.json(try await self.project.schemas(connection: nil)) }
        return router
    }

    // MARK: uploads

    /// An upload: the wave its form names and its files under their standardized names.
    struct Upload {
        var id: String
        var request: WaveRequest
        var folder: URL
        var originalNames: [String]
    }

    /// What an upload's result page needs to write it later: stored beside its files.
    struct StoredRequest: Codable {
        var client: String
        var platform: String
        var year: Int
        var wave: Int
        var namingKeys: Bool
        var files: [String]
        var originalNames: [String]
    }

    /// Receives a form upload into `.spark/uploads/<id>/`, the files renamed to the standardized
    /// names `spark plan` gives their data copies (the uploaded names are never used as paths).
    /// - Parameter csrf: for the page's form, the token it must carry (checked before anything else is).
    func receive(_ request: Request, csrf: String? = nil) async throws -> Upload {
        let id = UUID().uuidString.lowercased()
        let folder = uploadsFolder.appendingPathComponent(id)
        let form = try await ReceivedForm.receive(request, into: folder, maxBytes: options.maxUploadBytes)
        do {
            if let csrf, form.fields["csrf"] != csrf {
                throw HTTPError(.forbidden, message: "the form's security token is missing or stale: reload the page and upload again")
            }
            return try Self.upload(form, id: id, settings: try project.settings())
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    var uploadsFolder: URL { project.root.appendingPathComponent(".spark/uploads") }

    /// Uploads previewed a day ago and never written are dropped: their pages are long closed.
    func removeStaleUploads() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: uploadsFolder.path)) ?? []
        for name in names {
            let url = uploadsFolder.appendingPathComponent(name)
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date,
                  modified < Date().addingTimeInterval(-24 * 3600) else { continue }
            try? FileManager.default.removeItem(at: url)
        }
    }

    static func upload(_ form: ReceivedForm, id: String, settings: PlanSettings) throws -> Upload {
        func field(_ name: String) throws -> String {
            guard let v = form.fields[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else {
                throw HTTPError(.badRequest, message: "the form has no \(name): fill in client, platform, year and wave")
            }
            return v
        }
        func number(_ name: String) throws -> Int {
            guard let n = Int(try field(name)) else { throw HTTPError(.badRequest, message: "\(name) must be a number") }
            return n
        }
        guard !form.files.isEmpty, form.files.allSatisfy({ $0.bytes > 0 }) else {
            throw HTTPError(.badRequest, message: "the form has no file, or an empty one: choose one or more CSV exports")
        }
        let table: TableKind
        switch form.fields["table"] ?? "campaign" {
        case "", "campaign": table = .campaign
        case "naming-keys", "naming_keys": table = .namingKeys
        case let other: throw HTTPError(.badRequest, message: "table must be campaign or naming-keys, not \(PlanText.shown(other))")
        }
        let schema = SchemaKey(client: try field("client"), platform: try field("platform"), year: try number("year"))
        let wave = try number("wave")
        let target = try PlanRequest(client: schema.client, platform: schema.platform, year: schema.year, wave: wave, table: table,
                                     settings: settings, inputs: []).target()
        var paths: [String] = []
        for (file, destination) in zip(form.files, DataCopies.destinations(for: target, count: form.files.count)) {
            let standardized = form.folder.appendingPathComponent(String(destination.split(separator: "/").last!))
            guard rename(file.url.path, standardized.path) == 0 else {
                throw HTTPError(.internalServerError, message: "cannot rename the upload: \(String(cString: strerror(errno)))")
            }
            paths.append(standardized.path)
        }
        return Upload(id: id, request: WaveRequest(schema: schema, wave: wave, table: table, files: paths), folder: form.folder,
                      originalNames: form.files.map(\.originalName))
    }

    /// An earlier upload, by the id its result page carries.
    func storedUpload(_ id: String) throws -> Upload {
        guard id.count == 36, id.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { throw HTTPError(.badRequest, message: "no such upload") }
        let folder = uploadsFolder.appendingPathComponent(id)
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("request.json").path),
              let stored = try? JSONDecoder().decode(StoredRequest.self, from: data) else {
            throw HTTPError(.badRequest, message: "this upload was written already, or is gone: upload the files again")
        }
        let request = WaveRequest(schema: SchemaKey(client: stored.client, platform: stored.platform, year: stored.year), wave: stored.wave,
                                  table: stored.namingKeys ? .namingKeys : .campaign, files: stored.files.map { folder.appendingPathComponent($0).path })
        return Upload(id: id, request: request, folder: folder, originalNames: stored.originalNames)
    }

    func store(_ upload: Upload) throws {
        let r = upload.request
        let stored = StoredRequest(client: r.schema.client, platform: r.schema.platform, year: r.schema.year, wave: r.wave,
                                   namingKeys: r.table == .namingKeys, files: r.files.map { URL(fileURLWithPath: $0).lastPathComponent },
                                   originalNames: upload.originalNames)
        try JSONEncoder().encode(stored).write(to: upload.folder.appendingPathComponent("request.json"))
    }

    /// Plans `upload` (a dry run unless `write`). A refusal is returned as the diagnostic, with
    /// the plan when the planner refused.
    func plan(_ upload: Upload, write: Bool) -> (outcome: WaveOutcome?, refusal: Diagnostic?) {
        var request = upload.request
        request.dryRun = !write
        do {
            return (try project.planWave(request), nil)
        } catch {
            let plan = (error as? PlanRefused)?.plan
            return (plan.map { WaveOutcome(plan: $0, migration: nil, written: false) }, Diagnostic.of(error))
        }
    }

    /// Commits what a write added to migrations/ and data/ (the migration, spark.sum, the data
    /// copies it loads and their rejects files) after a write, with `--git-commit`: never
    /// anything else, never a push. Returns what to tell the user.
    func commit(_ upload: Upload, migration emitted: EmittedMigration) -> String? {
        guard options.gitCommit else { return nil }
        let migration = "migrations/" + emitted.fileName
        var paths = [migration, "migrations/" + MigrationSum.fileName]
        for case let .loadFile(load) in emitted.header.changes where load.path.hasPrefix("data/") {
            paths.append(load.path)
            if let rejects = load.rejects { paths.append(rejects.path) }
        }
        let r = upload.request
        let names = upload.request.files.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ")
        let message = "spark: \(r.schema.client) \(r.schema.platform) \(r.schema.year) wave \(r.wave)\(r.table == .namingKeys ? " naming keys" : ""): \(names)\n\n\(migration), written by spark serve"
        func git(_ args: [String]) -> (Int32, String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git", "-C", project.root.path] + args
            let out = Pipe()
            p.standardOutput = out
            p.standardError = out
            do { try p.run() } catch { return (127, "\(error)") }
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        guard git(["rev-parse", "--is-inside-work-tree"]).0 == 0 else { return "not committed: the project is not in a git work tree" }
        let add = git(["add", "--"] + paths)
        guard add.0 == 0 else { return "not committed: git add failed: \(add.1)" }
        let done = git(["commit", "-q", "-m", message, "--"] + paths)
        return done.0 == 0 ? "committed \(migration) and its data copies (not pushed)" : "not committed: git commit failed: \(done.1)"
    }

    // MARK: handlers

    func upload(_ request: Request) async throws -> Response {
        let upload = try await receive(request, csrf: csrf)
        let (outcome, refusal) = plan(upload, write: false)
        if refusal == nil, outcome?.migration != nil { try store(upload) } else { try? FileManager.default.removeItem(at: upload.folder) }
        return try Self.page(Pages.result, Pages.result(upload: upload, outcome: outcome, refusal: refusal, csrf: csrf, nullMarkers: try project.settings().effectiveNullMarkers),
                        status: refusal == nil ? .ok : .unprocessableContent)
    }

    func writeUpload(_ request: Request) async throws -> Response {
        let form = try await Self.urlEncodedForm(request)
        guard form["csrf"] == csrf else {
            throw HTTPError(.forbidden, message: "the form's security token is missing or stale: reload the page and upload again")
        }
        let upload = try storedUpload(form["upload"] ?? "")
        defer { try? FileManager.default.removeItem(at: upload.folder) }
        let (outcome, refusal) = plan(upload, write: true)
        if let refusal {
            return try Self.page(Pages.result, Pages.result(upload: upload, outcome: outcome, refusal: refusal, csrf: csrf, nullMarkers: try project.settings().effectiveNullMarkers), status: .unprocessableContent)
        }
        let name = outcome?.migration?.fileName
        let committed = outcome?.migration.flatMap { commit(upload, migration: $0) }
        var context: [String: Any] = ["migration": name ?? "", "nothing": name == nil, "commit": committed ?? ""]
        if let migration = outcome?.migration, let apply = options.apply {
            context["apply"] = Pages.applied(await project.applyAfterWrite(migration, request: apply))
        }
        return try Self.page(Pages.written, context)
    }

    func apiPlan(_ request: Request) async throws -> Response {
        let write = request.uri.queryParameters["write"] == "1"
        let upload: Upload
        do { upload = try await receive(request) } catch let e as HTTPError {
            return Self.json(["errors": [Diagnostic(code: "serve.bad_request", message: e.body ?? "bad request")]], status: e.status)
        }
        defer { try? FileManager.default.removeItem(at: upload.folder) }
        let (outcome, refusal) = plan(upload, write: write)
        if let refusal {
            if let outcome { return Self.json(outcome.document(errors: [refusal]), status: .unprocessableContent) }
            return Self.json(["errors": [refusal]], status: .unprocessableContent)
        }
        guard let outcome else { return Self.json(["errors": [Diagnostic(code: "serve.error", message: "no plan")]], status: .internalServerError) }
        guard write, let migration = outcome.migration else { return Self.json(outcome.document()) }
        _ = commit(upload, migration: migration)
        guard let apply = options.apply else { return Self.json(outcome.document()) }
        struct Written: Encodable {
            var plan: WaveOutcome.Document
            var apply: ApplyOnWrite
            // The plan's keys at the top level, as without --apply, and the apply beside them.
            func encode(to encoder: any Encoder) throws {
                try plan.encode(to: encoder)
                var c = encoder.container(keyedBy: Key.self)
                try c.encode(apply, forKey: .apply)
            }
            enum Key: String, CodingKey { case apply }
        }
        let applied = await project.applyAfterWrite(migration, request: apply)
        return Self.json(Written(plan: outcome.document(), apply: applied), status: applied.status == "ok" ? .ok : .badGateway)
    }

    func login(_ request: Request) async throws -> Response {
        let form = try await Self.urlEncodedForm(request)
        guard let token = options.token, let given = form["token"], Guard<BasicRequestContext>.same(given, token) else {
            return try Self.page(Pages.login, ["wrong": true], status: .unauthorized)
        }
        var headers = HTTPFields()
        headers[.location] = "/"
        headers[.setCookie] = "spark_token=\(token); HttpOnly; SameSite=Strict; Path=/"
        return Response(status: .seeOther, headers: headers)
    }

    func filesPage() throws -> Response {
        try Self.page(Pages.files, Pages.files(try project.files(), schemas: try project.schemasFromStateIfAny()))
    }

    func migrationText(_ name: String) throws -> Response {
        guard name.hasPrefix("V"), name.hasSuffix(".sql"), !name.contains("/"), !name.hasPrefix("."),
              let data = FileManager.default.contents(atPath: project.migrationsDir.appendingPathComponent(name).path) else {
            throw HTTPError(.notFound, message: "no such migration")
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: rendering

    func formContext() throws -> [String: Any] {
        let schemas = try project.schemasFromStateIfAny()
        let clients = Set(schemas.compactMap { $0.client?.lowercased() }).sorted()
        let platforms = (Platforms.known + (try project.settings().platforms)).sorted()
        return ["csrf": csrf, "clients": clients, "platforms": platforms]
    }

    static func page(_ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
        let html = try Pages.render(template, context)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: JSONOutput.text(value))))
    }

    /// A small `application/x-www-form-urlencoded` body (the write and login forms).
    static func urlEncodedForm(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 16 * 1024)
        var components = URLComponents()
        components.percentEncodedQuery = String(buffer: buffer).replacingOccurrences(of: "+", with: "%20")
        var out: [String: String] = [:]
        for item in components.queryItems ?? [] { out[item.name] = item.value ?? "" }
        return out
    }
}

extension Project {
    /// The schemas state.sqlite knows; none before the first plan.
    func schemasFromStateIfAny() throws -> [SchemasReport.Schema] {
        guard FileManager.default.fileExists(atPath: statePath) else { return [] }
        return try schemasFromState().schemas
    }
}

/// Checks every request: the token, when one is set, and the `X-Spark-Request` header on the API.
struct Guard<Context: RequestContext>: RouterMiddleware {
    let token: String?
    static var apiHeader: HTTPField.Name { HTTPField.Name("X-Spark-Request")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let api = request.uri.path.hasPrefix("/api/")
        if let token, request.uri.path != "/login" {
            let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            let cookie = request.headers[.cookie].flatMap { header in
                header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                    .first { $0.hasPrefix("spark_token=") }.map { String($0.dropFirst(12)) }
            }
            guard let given = bearer ?? cookie, Self.same(given, token) else {
                if api { throw HTTPError(.unauthorized, message: "this server needs its token: send Authorization: Bearer <SPARK_SERVE_TOKEN>") }
                var response = try SparkServer.page(Pages.login, [:], status: .unauthorized)
                response.headers[.location] = "/login"
                return response
            }
        }
        if api, request.headers[Self.apiHeader] != "1" {
            throw HTTPError(.forbidden, message: "API requests must carry the header X-Spark-Request: 1")
        }
        do {
            return try await next(request, context)
        } catch let e as HTTPError {
            throw e
        } catch {
            // spark's own refusals (an unknown platform, no state.sqlite yet): 422 with the
            // diagnostic, as JSON on the API and as a page otherwise, never a bare 500.
            let d = Diagnostic.of(error)
            if api { return SparkServer.json(["errors": [d]], status: .unprocessableContent) }
            return try SparkServer.page(Pages.failure, Pages.shown(d), status: .unprocessableContent)
        }
    }

    /// Compares in time that does not depend on where the strings differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
