import Foundation
import Testing

/// `spark serve` in a real browser: headless Chromium driven by Selenium (scripts/browser-test.py),
/// both installed by scripts/bootstrap. Each case starts its own server.
@Suite struct ServeBrowserTests {
    /// Runs scripts/browser-test.py and returns the JSON it prints.
    static func browser(_ args: [String]) throws -> [String: Any] {
        guard let python = ProcessInfo.processInfo.environment["SPARK_TEST_PYTHON"] else {
            throw TestEnvironmentMissing(variable: "SPARK_TEST_PYTHON")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [CLI.repositoryRoot.appendingPathComponent("scripts/browser-test.py").path] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ServeTests.ServeFailed(message: "browser-test.py \(args.first ?? "") failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return object
    }

    static func fields(_ extra: [String: String] = [:]) -> String {
        let all = ["client": "byd", "platform": "meta", "year": "2024", "wave": "1"].merging(extra) { $1 }
        return String(decoding: try! JSONSerialization.data(withJSONObject: all, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Where the upload case leaves its screenshot, for a person to look at.
    static let screenshot = FileManager.default.temporaryDirectory.appendingPathComponent("spark-serve-preview.png")

    @Test func anAccountManagerUploadsPreviewsAndWritesWhatSparkPlanWrites() throws {
        let served = try PlannedProject(plan: false)
        let server = try ServeTests.Server(root: served.root).start()
        defer { _ = server.stop() }
        let keysShot = FileManager.default.temporaryDirectory.appendingPathComponent("spark-serve-keys-\(UUID().uuidString).png")
        let keys = try Self.browser(["upload", server.base, ServeTests.keys.path, keysShot.path, Self.fields(["table": "naming-keys"])])
        #expect(keys["form_names"] as? [String] == ["client", "csrf", "files", "platform", "table", "wave", "year"], "the form's contract")
        #expect((keys["written"] as? String)?.hasPrefix("Wrote migrations/V0001__byd_meta_2024_wave1_naming_keys.sql") == true, "\(keys)")

        let wave = try Self.browser(["upload", server.base, ServeTests.wave1.path, Self.screenshot.path, Self.fields()])
        #expect(wave["heading"] as? String == "Preview: byd meta 2024 wave 1")
        #expect(wave["preview_rows"] as? Int == 20, "the first 20 records")
        #expect((wave["inference_rows"] as? Int ?? 0) >= 10, "one row per column")
        #expect((wave["plan"] as? String)?.contains("+ load data/byd/meta/2024/byd_meta_2024_wave1.csv (80 rows") == true, "\(wave["plan"] ?? "")")
        #expect(wave["written"] as? String == "Wrote migrations/V0002__byd_meta_2024_wave1.sql")
        #expect((wave["migration_link"] as? String)?.hasSuffix("/migrations/V0002__byd_meta_2024_wave1.sql") == true)
        #expect(FileManager.default.fileExists(atPath: Self.screenshot.path))

        let planned = try PlannedProject(plan: false)
        try FileManager.default.copyItem(at: ServeTests.keys, to: planned.root.appendingPathComponent("data/keys.csv"))
        #expect(try planned.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "1", "--table", "naming-keys", "data/keys.csv"]).status == 0)
        #expect(try planned.run(["plan", "--client", "byd", "--platform", "meta", "--year", "2024", "--wave", "1", "data/byd_meta_2024_wave1.csv"]).status == 0)
        let written = { (p: PlannedProject) in p.snapshot().filter { $0.key.hasPrefix("/migrations/") || $0.key.hasPrefix("/data/byd/") } }
        #expect(written(served).count == 5)
        #expect(written(served) == written(planned), "the browser wrote what spark plan writes, byte for byte")
    }

    @Test func aHostileHeaderAndARefusedPlanAreShownAsText() throws {
        let p = try PlannedProject(plan: false)
        let server = try ServeTests.Server(root: p.root).start()
        defer { _ = server.stop() }
        let hostile = p.root.appendingPathComponent("hostile.csv")
        try "Naming Key,<script>alert(1)</script>\nK1,<img src=x onerror=alert(2)>\n".write(to: hostile, atomically: true, encoding: .utf8)
        let shot = FileManager.default.temporaryDirectory.appendingPathComponent("spark-serve-hostile-\(UUID().uuidString).png")
        // An alert would leave the browser unable to read the page: browser-test.py would fail.
        let shown = try Self.browser(["preview", server.base, hostile.path, shot.path, Self.fields(["table": "naming-keys"])])
        let html = shown["html"] as? String ?? ""
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>alert(1)"), "\(html)")

        let refused = try Self.browser(["preview", server.base, ServeTests.wave1.path, shot.path, Self.fields(["wave": "2"])])
        #expect(refused["heading"] as? String == "Refused")
        #expect((refused["html"] as? String)?.contains("hint: plan the naming keys first") == true)
        #expect(refused["write_buttons"] as? Int == 0, "a refused plan offers no write button")
        #expect(p.migrationNames().isEmpty)
    }

    @Test func anotherSitesFormIsRefusedAndATokenIsAskedOnce() throws {
        let p = try PlannedProject(plan: false)
        let server = try ServeTests.Server(root: p.root).start()
        let forged = try Self.browser(["csrf", server.base])
        #expect((forged["body"] as? String)?.contains("security token") == true, "\(forged)")
        #expect(p.migrationNames().isEmpty)
        #expect(server.stop() == 0)

        let guarded = try ServeTests.Server(root: p.root, environment: ["SPARK_SERVE_TOKEN": "browser-token"]).start()
        defer { _ = guarded.stop() }
        let token = try Self.browser(["token", guarded.base, "browser-token"])
        #expect(token["asked"] as? Bool == true && token["served"] as? Bool == true && token["files_page"] as? Bool == true, "\(token)")
    }
}
