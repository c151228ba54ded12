import ArgumentParser
import Foundation
import WordbenchCore

extension ExportFormat: ExpressibleByArgument {}

/// `wordbench export --format jsonl|csv|dictd`
struct ExportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export", abstract: "Write the dictionary as JSONL, CSV (a row per sense) or a dictd database.")

  @Option(help: "jsonl, csv or dictd.")
  var format: ExportFormat

  @Option(help: "The file (for dictd the name without .index/.dict); default exports/dictionary in the workspace.")
  var output: String?

  @Option(help: "Only entries merged from this run or later ones.")
  var since: String?

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var reporting: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      let report = try Export.run(
        format: format, output: output, since: since, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: reporting.json) { report in
        "Exported \(Terminal.count(report.entries)) entries as \(report.format.rawValue): "
          + report.files.joined(separator: ", ") + "\n"
      }
    }
  }
}
