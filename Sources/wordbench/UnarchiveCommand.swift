import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench unarchive RUN`: the run's folder back from its archive.
struct UnarchiveCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unarchive",
    abstract: "Restore a run's folder from its archive (verified first; the archive is kept; never overwrites).")

  @Argument(help: "The archived run.")
  var run: String

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var lock: LockOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      let report = try await RunArchiver.unarchive(
        run, waitForLock: lock.waitLock, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: output.json) {
        "\($0.run): \(Terminal.count($0.files)) files restored to \($0.folder)\n"
      }
    }
  }
}
