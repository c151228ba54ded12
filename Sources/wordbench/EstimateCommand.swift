import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench estimate` (alias `estimate-cost`): the cost table, offline.
struct EstimateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "estimate",
    abstract: "Estimate tokens and cost per preset and model: exact input tokens, offline, no key needed.",
    aliases: ["estimate-cost"])

  @Option(help: "none, conservative, moderate or aggressive (default: the workspace's [filter] preset).")
  var filterPreset: FilterPreset?

  @Flag(help: "Every preset.")
  var allPresets = false

  @Option(parsing: .upToNextOption, help: "Models to price (default: the workspace's model).")
  var model: [String] = []

  @Option(help: "Only the first N words of each selection.")
  var words: Int?

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if allPresets && filterPreset != nil { throw ValidationError("use --filter-preset or --all-presets, not both") }
    if let words, words < 1 { throw ValidationError("--words takes 1 or more") }
  }

  func run() async throws {
    try await CommandRuntime.run { context in
      var options = EstimateOptions()
      options.presets = allPresets ? FilterPreset.allCases : filterPreset.map { [$0] } ?? []
      options.models = model
      options.words = words
      let report = try Estimate.run(options: options, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: output.json, render: EstimateCommand.render)
    }
  }

  static func render(_ report: EstimateReport) -> String {
    var text = ""
    var lastSelection = ""
    for row in report.rows {
      if row.selection != lastSelection {
        lastSelection = row.selection
        let title = row.selection == Estimate.fullCorpus ? "Full corpus" : "Preset \(row.selection)"
        text += "\(text.isEmpty ? "" : "\n")\(title) (\(Terminal.count(row.estimate.words)) words):\n"
      }
      text += "  \(summary(row.estimate))\n"
    }
    text += "\nPrices of \(report.pricesDate) (\(report.pricesSource)).\n"
    return text
  }

  /// `gpt-4o-mini: $12.34 batch ($24.68 standard); 1,234,567 input tokens, 2,345,678 output tokens (default 600/entry)`
  static func summary(_ estimate: CostEstimate) -> String {
    "\(estimate.model): \(Money.format(estimate.batchCostUSD)) at batch prices "
      + "(\(Money.format(estimate.standardCostUSD)) standard); \(Terminal.count(estimate.inputTokens)) input tokens "
      + "(exact), \(Terminal.count(estimate.outputTokens)) output tokens (\(estimate.outputTokensSource.rawValue) "
      + "\(estimate.outputTokensPerEntry) per entry); prices of \(estimate.pricesDate)"
  }
}
