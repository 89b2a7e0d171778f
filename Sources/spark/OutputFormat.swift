import ArgumentParser

/// `--format` for reporting commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
