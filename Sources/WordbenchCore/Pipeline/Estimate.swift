import Foundation

/// What `wordbench estimate` takes.
public struct EstimateOptions: Sendable {
  /// Presets to estimate; empty means the workspace's preset.
  public var presets: [FilterPreset] = []
  /// Models to price; empty means the workspace's model.
  public var models: [String] = []
  public var words: Int?

  public init() {}
}

/// The cost table of `wordbench estimate`: the full corpus first, then each preset, for each model.
public struct EstimateReport: Codable, Sendable {
  /// One row: a selection of words priced for one model.
  public struct Row: Codable, Sendable {
    /// `full corpus` or the preset's name.
    public var selection: String
    public var estimate: CostEstimate
  }

  public var corpusWords: Int
  public var pricesDate: String
  public var pricesSource: String
  public var rows: [Row]

  enum CodingKeys: String, CodingKey {
    case rows
    case corpusWords = "corpus_words"
    case pricesDate = "prices_date"
    case pricesSource = "prices_source"
  }
}

/// `wordbench estimate`: exact input tokens of every request a selection would make (the same builder as
/// prepare, so the same count), estimated output tokens, and the cost at batch and standard prices. Offline; every
/// word is counted whatever its status, so the figure is the cost of the whole job.
public enum Estimate {
  public static let fullCorpus = "full corpus"

  public static func run(options: EstimateOptions, workspace path: String?, context: WordbenchContext) throws
    -> EstimateReport
  {
    let workspace = try Workspace.locate(explicit: path, context: context)
    let store = try DictionaryStore(workspace: workspace)
    let recipe = try RequestRecipe.load(workspace: workspace, context: context)
    let corpus = try Corpus.words(of: workspace, store: store)
    let models = options.models.isEmpty ? [workspace.config.provider.model] : options.models
    let builders = try models.map { try recipe.builder(model: $0, requests: workspace.config.requests) }
    let presets = options.presets.isEmpty ? [workspace.config.filter.preset] : options.presets

    var selections: [(String, [RunWord])] = [
      (fullCorpus, runWords(corpus.strings.map { ($0, $0) }, limit: options.words))
    ]
    for preset in presets {
      let kept = WordFilter(lexicon: recipe.lexicon, options: FilterOptions(preset: preset, forceRefresh: true))
        .run(corpus).kept
      selections.append((preset.rawValue, runWords(kept.lemmas.map { ($0, $0) }, limit: options.words)))
    }
    var rows: [EstimateReport.Row] = []
    for (name, words) in selections {
      // Input tokens depend on the messages only, so one count serves every model with the same prompt.
      let tokens = Parallel.map(words, minimumCount: 256) { builders[0].inputTokens($0) }.reduce(0, +)
      for builder in builders {
        let perEntry = recipe.calibration.outputTokensPerEntry(builder.rules)
        let adjusted = tokens + words.count * (builder.fixedInputTokens - builders[0].fixedInputTokens)
        rows.append(
          EstimateReport.Row(
            selection: name,
            estimate: CostEstimate(
              rules: builder.rules, pricesDate: recipe.catalog.pricesDate, words: words.count,
              inputTokens: adjusted, outputPerEntry: perEntry)))
      }
    }
    return EstimateReport(
      corpusWords: corpus.count, pricesDate: recipe.catalog.pricesDate, pricesSource: recipe.catalog.pricesSource,
      rows: rows)
  }

  private static func runWords(_ pairs: [(String, String)], limit: Int?) -> [RunWord] {
    pairs.prefix(limit ?? .max).enumerated().map { RunWord(index: $0 + 1, word: $1.0, lemma: $1.1) }
  }
}
