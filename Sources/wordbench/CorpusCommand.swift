import ArgumentParser

/// `wordbench corpus ...`: the words to write entries for.
struct CorpusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "corpus", abstract: "Import words and see what the corpus holds.",
    subcommands: [CorpusImportCommand.self, CorpusStatsCommand.self])
}
