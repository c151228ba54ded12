import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench prepare`: a new run folder with the word list, request shards and manifest.
struct PrepareCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prepare",
    abstract: "Make the next run: its words, JSONL request shards and manifest, with exact token counts and cost.")

  @OptionGroup var selection: RunSelectionOptions

  @Option(help: "Exactly the words of this file (one per line) instead of the filter's.")
  var wordsFile: String?

  @Option(help: "Rebuild this run (not yet uploaded) with the same words, after a template or model change.")
  var redo: String?

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var lock: LockOptions
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if redo != nil && (wordsFile != nil || selection.words != nil || selection.filterPreset != nil) {
      throw ValidationError("--redo keeps the run's words; it cannot take --words, --words-file or --filter-preset")
    }
  }

  func run() async throws {
    try await CommandRuntime.run { context in
      var options = PrepareOptions()
      selection.apply(to: &options)
      options.wordsFile = wordsFile
      options.redo = redo
      options.waitForLock = lock.waitLock
      let report = try await Prepare.run(options: options, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: output.json, render: PrepareCommand.render)
    }
  }

  static func render(_ report: PrepareReport) -> String {
    var text = "\(report.redone ? "Rebuilt" : "Prepared") \(report.run): \(Terminal.count(report.words)) words"
    text += report.preset.map { " (preset \($0))" } ?? report.wordsFile.map { " from \($0)" } ?? ""
    text += ", model \(report.model)\n"
    if report.skippedDone + report.skippedInFlight + report.unknownWords.count > 0 {
      text += "Skipped: \(Terminal.count(report.skippedDone)) done, \(Terminal.count(report.skippedInFlight)) in flight"
      text += report.unknownWords.isEmpty ? "\n" : ", \(Terminal.count(report.unknownWords.count)) not in the corpus\n"
    }
    text += "\n  shard  requests        bytes   input tokens   est. output     est. cost\n"
    for shard in report.shards {
      text += "  \(pad(String(shard.index), 5))  \(pad(Terminal.count(shard.lines), 8))  "
      text += "\(pad(Terminal.count(shard.bytes), 11))  \(pad(Terminal.count(shard.inputTokens), 13))  "
      text +=
        "\(pad(Terminal.count(shard.estimatedOutputTokens), 12))  \(pad(Money.format(shard.estimatedCostUSD), 12))\n"
    }
    text += "\n" + EstimateCommand.summary(report.estimate) + "\n"
    return text
  }

  static func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }
}
