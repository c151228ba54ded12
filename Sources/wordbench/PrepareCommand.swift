import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench prepare`: a new run folder with the word list, request shards and manifest.
struct PrepareCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prepare",
    abstract: "Make the next run: its words, JSONL request shards and manifest, with exact token counts and cost.")

  @Option(help: "How many words (default: every word still to do).")
  var words: Int?

  @Option(help: "Words per shard (also capped by the API's 50,000 lines, the byte and the token limits).")
  var batchSize: Int?

  @Option(help: "none, conservative, moderate or aggressive (default: the workspace's [filter] preset).")
  var filterPreset: FilterPreset?

  @Option(help: "Exactly the words of this file (one per line) instead of the filter's.")
  var wordsFile: String?

  @Option(help: "The model (default: the workspace's [provider] model).")
  var model: String?

  @Flag(help: "Include words whose entries are already done.")
  var forceRefresh = false

  @Option(help: "Refuse, writing nothing, when the estimate is over this many US dollars.")
  var maxCost: Double?

  @Option(help: "Rebuild this run (not yet uploaded) with the same words, after a template or model change.")
  var redo: String?

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var lock: LockOptions
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if let words, words < 1 { throw ValidationError("--words takes 1 or more") }
    if let batchSize, batchSize < 1 { throw ValidationError("--batch-size takes 1 or more") }
    if let maxCost, !(maxCost >= 0) { throw ValidationError("--max-cost takes an amount of 0 or more") }
    if redo != nil && (wordsFile != nil || words != nil || filterPreset != nil) {
      throw ValidationError("--redo keeps the run's words; it cannot take --words, --words-file or --filter-preset")
    }
  }

  func run() async throws {
    try await CommandRuntime.run { context in
      var options = PrepareOptions()
      options.words = words
      options.batchSize = batchSize
      options.preset = filterPreset
      options.wordsFile = wordsFile
      options.model = model
      options.forceRefresh = forceRefresh
      options.maxCost = maxCost
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
      text += report.unknownWords.isEmpty ? "\n" : ", \(report.unknownWords.count) not in the corpus\n"
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
