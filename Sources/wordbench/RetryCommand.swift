import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench retry [RUN] [--max-attempts N]`
struct RetryCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "retry",
    abstract: "Prepare a new run from a merged run's failed and rejected words; quarantine those out of attempts.")

  @Argument(help: "The merged run; the newest when left out.")
  var run: String?

  @Option(help: "Attempts a word gets before it is quarantined.")
  var maxAttempts = Retry.defaultMaxAttempts

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if maxAttempts < 1 { throw ValidationError("--max-attempts takes 1 or more") }
  }

  func run() async throws {
    try await CommandRuntime.run { context in
      let report = try await Retry.run(
        run, maxAttempts: maxAttempts, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: output.json) { report in
        var text =
          "From \(report.run): \(Terminal.count(report.retried.count)) to retry, \(Terminal.count(report.quarantined.count)) quarantined"
        text += report.alreadyDone.isEmpty ? "\n" : ", \(Terminal.count(report.alreadyDone.count)) done meanwhile\n"
        for (word, reason) in report.quarantined.sorted(by: { $0.key < $1.key }) {
          text += "  quarantined: \(word) (\(reason))\n"
        }
        return text + (report.prepared.map(PrepareCommand.render) ?? "")
      }
    }
  }
}
