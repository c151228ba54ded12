import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench archive list RUN`: the entries of a run's archive.
struct ArchiveListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the files in a run's archive without extracting anything.")

  @Argument(help: "The archived run.")
  var run: String

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      let entries = try RunArchiver.list(run, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(entries, json: output.json) { entries in
        entries.map { "\($0.kind == .directory ? "           -" : String(format: "%12lld", $0.size))  \($0.path)\n" }
          .joined()
      }
    }
  }
}
