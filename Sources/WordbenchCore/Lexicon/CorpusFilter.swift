import Foundation

/// What `wordbench filter` reports.
public struct FilterReport: Codable, Equatable, Sendable {
  public var preset: String
  public var zipfFloor: Double?
  public var retention: Double?
  public var stages: [FilterStage]
  /// Kept words as a percentage of the input.
  public var retentionPercent: Double
  public var kept: Int
  /// The first kept words, in corpus order.
  public var preview: [KeptWord]
  public var explanations: [WordFate]
  /// The file the kept list was written to, if asked.
  public var output: String?

  enum CodingKeys: String, CodingKey {
    case preset, retention, stages, kept, preview, explanations, output
    case zipfFloor = "zipf_floor"
    case retentionPercent = "retention_percent"
  }
}

/// `wordbench filter`: the filter pipeline over the workspace's corpus.
public enum CorpusFilter {
  public static func run(
    options: FilterOptions, limit: Int, explain: [String], output: String?, workspace path: String?,
    context: WordbenchContext
  ) throws -> FilterReport {
    let workspace = try Workspace.locate(explicit: path, context: context)
    let store = try DictionaryStore(workspace: workspace)
    let words = try Corpus.words(of: workspace, store: store)
    let done = options.forceRefresh ? [] : try store.words(withStatus: .done)
    var isDone: (@Sendable (String) -> Bool)?
    if !done.isEmpty { isDone = { @Sendable in done.contains($0) } }
    // A preset that merges no lemmas loads no WordNet: it runs faster, and without WordNet installed.
    let filter =
      options.preset.mergesAndStops
      ? WordFilter(lexicon: try Lexicon.load(workspace: workspace, context: context), options: options, isDone: isDone)
      : WordFilter(frequencies: try Lexicon.frequencies(context: context), options: options, isDone: isDone)
    let outcome = filter.run(words, explain: explain)
    var written: String?
    if let output {
      let url = context.resolve(output)
      try AtomicFile.stream(to: url) { writer in
        for lemma in outcome.kept.lemmas { try writer.write(lemma + "\n") }
      }
      written = url.path
    }
    return FilterReport(
      preset: options.preset.rawValue, zipfFloor: options.zipfFloor, retention: options.retention,
      stages: outcome.stages,
      retentionPercent: words.isEmpty ? 0 : (Double(outcome.kept.count) / Double(words.count) * 1000).rounded() / 10,
      kept: outcome.kept.count, preview: Array(outcome.kept.prefix(limit)), explanations: outcome.fates,
      output: written)
  }
}
