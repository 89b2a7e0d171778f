import Foundation
import PackagePlugin

/// Embeds the repository's top-level `templates/*.sql.mustache`, the one copy of spark's default
/// templates, into the target as Swift source (`DefaultTemplates.swift`). The binary then needs
/// no resource bundle beside it, and `templates/` stays the only place the defaults are written.
@main
struct EmbedTemplates: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let folder = context.package.directoryURL.appendingPathComponent("templates")
        let inputs = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".sql.mustache") }.sorted()
            .map { folder.appendingPathComponent($0) }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("DefaultTemplates.swift")
        return [.buildCommand(
            displayName: "Embedding the default templates from templates/",
            executable: try context.tool(named: "EmbedTemplatesTool").url,
            arguments: [output.path] + inputs.map(\.path),
            inputFiles: inputs,
            outputFiles: [output])]
    }
}
