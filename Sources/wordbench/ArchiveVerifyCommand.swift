import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench archive verify RUN`: every file of the archive against its SHA256SUMS.
struct ArchiveVerifyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify", abstract: "Read a run's archive whole and check every file against its SHA256SUMS.")

  @Argument(help: "The archived run.")
  var run: String

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      let result = try RunArchiver.verify(run, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(result, json: output.json) {
        "\($0.archive): \(Terminal.count($0.files)) files, \(Terminal.megabytes($0.bytes)), every checksum matches\n"
      }
    }
  }
}
