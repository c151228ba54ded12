import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench corpus stats`
struct CorpusStatsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats", abstract: "Count the corpus words, by status, and the imports.")

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      let stats = try Corpus.stats(workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(stats, json: output.json, render: CorpusStatsCommand.render)
    }
  }

  static func render(_ stats: CorpusStats) -> String {
    var text = "Corpus words: \(Terminal.count(stats.words))\n"
    for status in WordStatus.allCases {
      text +=
        "  \(status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))"
        + "\(Terminal.count(stats.byStatus[status.rawValue] ?? 0))\n"
    }
    text += "Imports: \(stats.imports) (\(Terminal.count(stats.rejectedLines)) lines rejected)"
    if let last = stats.lastImportAt { text += ", last at \(last)" }
    return text + "\n"
  }
}
