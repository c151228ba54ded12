import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench scheduler start|run-once|status|reset-state|install`
struct SchedulerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scheduler",
    abstract: "Run the pipeline unattended on a schedule, under word and cost limits.",
    subcommands: [
      SchedulerStartCommand.self, SchedulerRunOnceCommand.self, SchedulerStatusCommand.self,
      SchedulerResetCommand.self, SchedulerInstallCommand.self,
    ])
}

/// The limits a scheduler cycle takes, shared by `start` and `run-once`.
struct CycleLimitOptions: ParsableArguments {
  @Option(help: "Words to process in all (kept in scheduler/state.json until reset-state).")
  var maxWords: Int?

  @Option(help: "US dollars to spend in all (kept in scheduler/state.json until reset-state).")
  var maxCost: Double?

  @Option(help: "Requests per shard of new runs (auto-scaled when [scheduler] auto_scale is on).")
  var batchSize: Int?

  @Option(help: "none, conservative, moderate or aggressive (default: the workspace's [filter] preset).")
  var filterPreset: FilterPreset?

  func validate() throws {
    if let maxWords, maxWords < 1 { throw ValidationError("--max-words takes 1 or more") }
    if let maxCost, !(maxCost >= 0) { throw ValidationError("--max-cost takes an amount of 0 or more") }
    if let batchSize, batchSize < 1 { throw ValidationError("--batch-size takes 1 or more") }
  }

  var cycle: CycleOptions {
    var options = CycleOptions()
    options.maxWords = maxWords
    options.maxCost = maxCost
    options.batchSize = batchSize
    options.filterPreset = filterPreset
    return options
  }

  static func render(_ report: CycleReport) -> String {
    var text = "Cycle at \(report.time.formatted(.iso8601)):\n"
    for (run, what) in report.runs.sorted(by: { $0.key < $1.key }) { text += "  \(run): \(what)\n" }
    for run in report.retries { text += "  \(run): made from the words that failed, to try again\n" }
    for run in report.archived { text += "  \(run): archived\n" }
    if let reason = report.noNewRun { text += "  No new run: \(reason)\n" }
    for error in report.errors { text += "  error: \(error)\n" }
    if report.stopped { text += "  Stopped on request before the cycle's end; the next cycle goes on from here.\n" }
    return text
  }
}
