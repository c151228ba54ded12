import Foundation

/// Everything normalization and filtering need: WordNet, word frequencies, stop words, and the lemmatizer.
public struct Lexicon: Sendable {
  public let wordNet: WordNet
  public let frequencies: WordFrequencies
  public let stopWords: StopWords
  public let lemmatizer: Lemmatizer

  public init(wordNet: WordNet, frequencies: WordFrequencies, stopWords: StopWords) {
    self.wordNet = wordNet
    self.frequencies = frequencies
    self.stopWords = stopWords
    lemmatizer = Lemmatizer(wordNet: wordNet, frequencies: frequencies)
  }

  /// Loads the lexicon a workspace is configured for (or the defaults without one). The WordNet folder is
  /// `$WORDNET_DIR`, else the workspace's `[lexicon] wordnet_dir`, else `/usr/share/wordnet`.
  public static func load(workspace: Workspace?, context: WordbenchContext) throws -> Lexicon {
    let config = workspace?.config ?? WorkspaceConfig()
    let directory =
      context.environment["WORDNET_DIR"].flatMap { $0.isEmpty ? nil : $0 }
      ?? config.lexicon.wordNetDirectory
    let base = workspace?.root ?? context.currentDirectory
    let files = config.filter.stopWordFiles.map {
      $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : base.appendingPathComponent($0)
    }
    return Lexicon(
      wordNet: try WordNet.load(
        from: context.resolve(directory), cache: LexiconCache(environment: context.environment)),
      frequencies: try frequencies(context: context),
      stopWords: try StopWords.load(lists: config.filter.stopLists, files: files))
  }

  /// The word frequencies alone, for work that needs no WordNet (filtering with the `none` preset).
  public static func frequencies(context: WordbenchContext) throws -> WordFrequencies {
    try WordFrequencies.bundled(cache: LexiconCache(environment: context.environment))
  }
}
