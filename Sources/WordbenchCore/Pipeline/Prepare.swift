import Foundation

/// What `wordbench prepare` takes.
public struct PrepareOptions: Sendable {
  public var words: Int?
  public var batchSize: Int?
  public var preset: FilterPreset?
  public var wordsFile: String?
  public var model: String?
  public var forceRefresh = false
  public var maxCost: Double?
  /// Rebuild this run (not yet uploaded) with its own words instead of making a new one.
  public var redo: String?
  /// Exactly these words (retry hands over the failed words of a run with their corpus words).
  public var items: [WordSelection.Item]?
  public var waitForLock = false

  public init() {}
}

/// What `wordbench prepare` did.
public struct PrepareReport: Codable, Sendable {
  public var run: String
  public var model: String
  public var preset: String?
  public var wordsFile: String?
  public var words: Int
  public var skippedDone: Int
  public var skippedInFlight: Int
  public var unknownWords: [String]
  public var limits: ShardLimits
  public var shards: [ShardRecord]
  public var estimate: CostEstimate
  public var redone: Bool

  enum CodingKeys: String, CodingKey {
    case run, model, preset, words, limits, shards, estimate, redone
    case wordsFile = "words_file"
    case skippedDone = "skipped_done"
    case skippedInFlight = "skipped_in_flight"
    case unknownWords = "unknown_words"
  }
}

/// `wordbench prepare`: a new run folder with the word list, the request shards and a manifest holding the
/// parameters, template hashes and per-shard estimates. Built in a hidden staging folder and renamed into place,
/// so an interrupted prepare leaves no run; a run over budget is refused before it appears.
public enum Prepare {
  public static let wordsFileName = "words.tsv"

  public static func run(options: PrepareOptions, workspace path: String?, context: WordbenchContext) async throws
    -> PrepareReport
  {
    let workspace = try Workspace.locate(explicit: path, context: context)
    return try await workspace.withLock(command: "prepare", wait: options.waitForLock, context: context) {
      let store = try DictionaryStore(workspace: workspace)
      let recipe = try RequestRecipe.load(workspace: workspace, context: context)
      let runs = RunStore(workspace: workspace)
      try finishMarking(runs, store: store, frequencies: recipe.lexicon.frequencies)
      try releaseOrphanedWords(runs, store: store, context: context)
      if let redo = options.redo {
        return try Redo.run(redo, options: options, workspace: workspace, recipe: recipe, context: context)
      }
      let model = options.model ?? workspace.config.provider.model
      let preset = options.preset ?? workspace.config.filter.preset
      let selection =
        try options.items.map { WordSelection(items: $0) } ?? options.wordsFile.map {
          try WordSelection.listed(
            file: context.resolve($0), limit: options.words, forceRefresh: options.forceRefresh, store: store,
            lexicon: recipe.lexicon)
        }
        ?? WordSelection.filtered(
          preset: preset, limit: options.words, forceRefresh: options.forceRefresh, workspace: workspace,
          store: store, lexicon: recipe.lexicon)
      for word in selection.unknownWords.prefix(20) {
        context.progress.notice(
          Notice("\(options.wordsFile ?? "words file"): \"\(word)\" is not in the corpus; skipped"))
      }
      guard !selection.items.isEmpty else {
        throw RequestError.noWords(
          reason: "\(selection.skippedDone) done, \(selection.skippedInFlight) in flight, "
            + "\(selection.unknownWords.count) not in the corpus; import more words or use --force-refresh")
      }
      let builder = try recipe.builder(model: model, requests: workspace.config.requests)
      let limits = shardLimits(workspace.config, batchSize: options.batchSize, rules: builder.rules)
      var parameters: [String: JSONValue] = [
        "model": .string(model), "batch_size": options.batchSize.map { .number(Double($0)) } ?? .null,
        "filter_preset": options.wordsFile == nil ? .string(preset.rawValue) : .null,
        "words_file": options.wordsFile.map { .string($0) } ?? .null,
        "force_refresh": .bool(options.forceRefresh),
      ]
      parameters.merge(templateParameters(recipe)) { $1 }
      var built: RunWriter.Result?
      let folder = try RunStore(workspace: workspace).create(parameters: parameters, context: context) { draft in
        let words = selection.items.enumerated().map { RunWord(index: $0 + 1, word: $1.headword, lemma: $1.lemma) }
        let result = try RunWriter.write(
          words, corpusWords: selection.items.map(\.corpusWords), into: draft, builder: builder, limits: limits,
          calibration: recipe.calibration, pricesDate: recipe.catalog.pricesDate, context: context)
        try Budget.check(
          result.estimate.batchCostUSD, words: result.estimate.words, maxCost: options.maxCost, workspace: workspace,
          context: context, spending: false)
        try draft.updateManifest { manifest in
          manifest.shards = result.shards
          manifest.estimate = result.estimate
          manifest.wordsMarked = false
          manifest.record(.prepare, .done, at: context.clock.now(), message: "\(words.count) words")
        }
        built = result
      }
      try markInFlight(
        folder, store: store,
        words: selection.items.map { ($0.lemma, $0.corpusWords) }, frequencies: recipe.lexicon.frequencies)
      try folder.append(
        RunEvent(
          time: context.clock.now(), run: folder.id, step: .prepare, kind: "prepared",
          message: "\(selection.items.count) words in \(built!.shards.count) shards"))
      return PrepareReport(
        run: folder.id.name, model: model, preset: options.wordsFile == nil ? preset.rawValue : nil,
        wordsFile: options.wordsFile, words: selection.items.count, skippedDone: selection.skippedDone,
        skippedInFlight: selection.skippedInFlight, unknownWords: selection.unknownWords, limits: limits,
        shards: built!.shards, estimate: built!.estimate, redone: false)
    }
  }

  /// The limits of this workspace and model; `--batch-size` lowers the line limit.
  static func shardLimits(_ config: WorkspaceConfig, batchSize: Int?, rules: ModelRules) -> ShardLimits {
    ShardLimits(
      lines: min(ShardLimits.apiMaximumLines, config.limits.maxRequestsPerShard, batchSize ?? .max),
      bytes: config.limits.maxShardMegabytes * 1_000_000, inputTokens: rules.shardInputTokens)
  }

  static func templateParameters(_ recipe: RequestRecipe) -> [String: JSONValue] {
    [
      "schema_sha256": .string(recipe.schema.sha256), "prompt_sha256": .string(recipe.template.sha256),
      "schema_name": .string(recipe.schema.name), "prices_date": .string(recipe.catalog.pricesDate),
    ]
  }

  /// Marks the run's corpus words in flight with their lemma (the headword's) and their own Zipf frequency, then
  /// records that in the manifest.
  static func markInFlight(
    _ folder: RunFolder, store: DictionaryStore, words: [(lemma: String, corpusWords: [String])],
    frequencies: WordFrequencies
  ) throws {
    let analysed = words.flatMap { lemma, corpusWords in
      corpusWords.map { AnalysedWord(word: $0, lemma: lemma, zipf: frequencies.zipf($0)) }
    }
    try store.markInFlight(analysed, run: folder.id.name)
    try folder.updateManifest { $0.wordsMarked = true }
  }

  /// Words in flight in a run that has neither a folder nor an archive (removed by hand) would never be sent again;
  /// they become pending, and a notice says so.
  static func releaseOrphanedWords(_ runs: RunStore, store: DictionaryStore, context: WordbenchContext) throws {
    for (run, count) in try store.inFlightRuns().sorted(by: { $0.key < $1.key }) {
      if let id = RunID(folderName: run), runs.exists(id) { continue }
      try store.releaseInFlight(run: run)
      let name = run.isEmpty ? "no run" : "run \(run)"
      context.progress.notice(
        Notice(
          "\(count) words were in flight in \(name), which has no folder or archive any more; they are pending again"))
    }
  }

  /// A prepare killed between creating its run and marking the words leaves `words_marked: false`; finish it.
  static func finishMarking(_ runs: RunStore, store: DictionaryStore, frequencies: WordFrequencies) throws {
    for folder in runs.folders() {
      guard let manifest = try? folder.readManifest(), manifest.wordsMarked == false else { continue }
      let words = try RunWriter.readWords(folder).map { ($0.word.lemma, $0.corpusWords) }
      try markInFlight(folder, store: store, words: words, frequencies: frequencies)
    }
  }
}
