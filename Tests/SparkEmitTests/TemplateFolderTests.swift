import Foundation
import SparkEmit
import SparkModel
import Testing

/// The default templates are written down once, in the repository's top-level `templates/`, and
/// embedded at build time: what spark renders with is exactly what that folder holds.
@Suite struct TemplateFolderTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("templates")

    @Test func theEmbeddedDefaultsAreTheTemplatesFolderByteForByte() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(names == Change.Kind.allCases.map(TemplateSet.fileName).sorted(), "one template per change kind, nothing else")
        let defaults = try TemplateSet.defaults()
        for name in names {
            let onDisk = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            #expect(defaults[name] == onDisk, "\(name)")
        }
    }
}
