import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench scheduler reset-state [--yes]`
struct SchedulerResetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reset-state",
    abstract: "Clear the scheduler's progress tracking (runs, entries and the ledger stay).")

  @Flag(help: "Do not ask.")
  var yes = false

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      if !yes {
        guard isatty(STDIN_FILENO) == 1 else { throw SchedulerError.needsConfirmation }
        let current = try await Scheduler.status(workspace: workspace.workspace, context: context).state
        Terminal.standardError(
          "This clears \(Terminal.count(current.totalWordsProcessed)) words processed, "
            + "\(Money.format(current.totalCostIncurred)) of cost, \(current.successfulRuns + current.failedRuns) "
            + "cycles and \(current.processingErrors.count) errors from the scheduler's tracking.\n"
            + "Runs, entries and the ledger are kept. Go on? [y/N] ")
        guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
          Terminal.standardError("Nothing changed.\n")
          return
        }
      }
      let report = try await Scheduler.reset(workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: output.json) { report in
        "Cleared the scheduler's tracking (\(Terminal.count(report.cleared.totalWordsProcessed)) words, "
          + "\(Money.format(report.cleared.totalCostIncurred))); counting again from now.\n"
      }
    }
  }
}
