import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench scheduler run-once`: one cycle now (for cron).
struct SchedulerRunOnceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run-once", abstract: "Run one scheduler cycle now and exit (what a crontab line runs).")

  @Option(help: "Words of this cycle's new run (default: [scheduler] max_words_per_run).")
  var words: Int?

  @OptionGroup var limits: CycleLimitOptions
  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if let words, words < 1 { throw ValidationError("--words takes 1 or more") }
  }

  func run() async throws {
    try await CommandRuntime.run { context in
      let stop = StopRequest()
      var options = limits.cycle
      options.words = words
      options.shouldStop = { stop.isRequested }
      let report = try await SchedulerCycle.run(options: options, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: output.json, render: CycleLimitOptions.render)
    }
  }
}
