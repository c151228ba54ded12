import ArgumentParser
import Foundation
import WordbenchCore

extension FilterPreset: ExpressibleByArgument {}

/// `wordbench filter` (alias `filter-words`): preview normalization and filtering of the corpus.
struct FilterCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "filter", abstract: "Preview normalization and filtering of the corpus: counts, kept words, reasons.",
    aliases: ["filter-words"])

  @Option(help: "none, conservative, moderate or aggressive (default: the workspace's [filter] preset).")
  var filterPreset: FilterPreset?

  @Option(help: "Keep only the most frequent fraction F (0 to 1) of what the other rules keep.")
  var retention: Double?

  @Option(help: "Keep words with at least this Zipf frequency, instead of the preset's floor.")
  var minZipf: Double?

  @Option(help: "How many kept words to preview.")
  var limit = 20

  @Option(parsing: .upToNextOption, help: "Explain why each of these words is kept, merged or dropped.")
  var explain: [String] = []

  @Option(help: "Write the kept words, one per line, to this file.")
  var output: String?

  @Flag(help: "Keep words whose entries are already done in the store.")
  var forceRefresh = false

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var reporting: OutputOptions

  func validate() throws {
    if let retention, !(retention > 0 && retention <= 1) {
      throw ValidationError("--retention takes a fraction from 0 (excluded) to 1")
    }
    if limit < 0 { throw ValidationError("--limit takes 0 or more") }
  }

  func run() async throws {
    try await CommandRuntime.run { context in
      let preset =
        try filterPreset ?? Workspace.locate(explicit: workspace.workspace, context: context).config.filter.preset
      let options = FilterOptions(
        preset: preset, retention: retention, minimumZipf: minZipf, forceRefresh: forceRefresh)
      let report = try CorpusFilter.run(
        options: options, limit: limit, explain: explain, output: output, workspace: workspace.workspace,
        context: context)
      try CommandRuntime.emit(report, json: reporting.json, render: FilterCommand.render)
    }
  }

  static func render(_ report: FilterReport) -> String {
    var text = "Preset \(report.preset)"
    if let floor = report.zipfFloor { text += String(format: " (Zipf ≥ %.2f)", floor) }
    if let retention = report.retention { text += String(format: ", retention %.0f %%", retention * 100) }
    text += "\n"
    for stage in report.stages {
      text += "  " + stage.stage.padding(toLength: 22, withPad: " ", startingAt: 0) + Terminal.count(stage.count) + "\n"
    }
    text += String(
      format: "Kept %@ words, %.1f %% of the input\n", Terminal.count(report.kept), report.retentionPercent)
    if !report.preview.isEmpty {
      text += "\nFirst \(report.preview.count) kept:\n"
      for word in report.preview {
        let merged = word.words.filter { $0 != word.lemma }
        text +=
          "  " + word.lemma.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "%5.2f", word.zipf)
        if !merged.isEmpty { text += "  ← " + merged.joined(separator: ", ") }
        text += "\n"
      }
    }
    for fate in report.explanations {
      text += "\n\(fate.word): \(fate.outcome.rawValue) (\(fate.stage))"
      if let lemma = fate.lemma, lemma != fate.word { text += " → \(lemma)" }
      text += "\n  \(fate.reason)\n"
    }
    if let output = report.output { text += "\nWrote the kept words to \(output)\n" }
    return text
  }
}
