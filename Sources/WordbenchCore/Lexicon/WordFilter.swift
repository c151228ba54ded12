import Foundation

/// What to filter with: a preset, optionally tightened by a Zipf floor or a retention share.
public struct FilterOptions: Sendable {
  public var preset: FilterPreset
  /// Keep only the most frequent fraction (0 < F ≤ 1) of what the other rules keep.
  public var retention: Double?
  /// A Zipf floor replacing the preset's.
  public var minimumZipf: Double?
  /// Also keep words whose entries are already done in the store.
  public var forceRefresh: Bool

  public init(preset: FilterPreset, retention: Double? = nil, minimumZipf: Double? = nil, forceRefresh: Bool = false) {
    self.preset = preset
    self.retention = retention
    self.minimumZipf = minimumZipf
    self.forceRefresh = forceRefresh
  }

  /// The Zipf floor in force, if any: `--min-zipf`, else the preset's.
  public var zipfFloor: Double? { minimumZipf ?? preset.zipfThreshold }
}

extension FilterPreset {
  /// The Zipf floor of the preset. Measured on a 269,331-word Scrabble-size list, ≥ 2.08 keeps 20.0 %, ≥ 2.46 keeps
  /// 15.1 % and ≥ 2.91 keeps 10.0 % of the words.
  public var zipfThreshold: Double? {
    switch self {
    case .none: nil
    case .conservative: 2.08
    case .moderate: 2.46
    case .aggressive: 2.91
    }
  }

  /// `none` only cleans and deduplicates; the others also merge lemmas and drop stop words.
  public var mergesAndStops: Bool { self != .none }
}

/// A word the filter keeps: the headword and the corpus words that merged into it.
public struct KeptWord: Codable, Equatable, Sendable {
  public var lemma: String
  public var zipf: Double
  public var words: [String]
}

/// Where one word ended up, and why.
public struct WordFate: Codable, Equatable, Sendable {
  public enum Outcome: String, Codable, Sendable {
    case kept, merged, dropped
  }

  public var word: String
  public var outcome: Outcome
  /// The stage that decided: cleaning, lemma, stop words, frequency, retention, store.
  public var stage: String
  public var lemma: String?
  public var zipf: Double?
  public var reason: String
}

/// The counts after each stage, in order.
public struct FilterStage: Codable, Equatable, Sendable {
  public var stage: String
  public var count: Int
}

/// One corpus word after the parallel stage: why cleaning dropped it, or its normalization and entry frequency.
private struct PreparedWord: Sendable {
  var problem: CleaningProblem?
  var normalization: Normalization?
  var zipf: Double
  var wordHash: UInt64
  var lemmaHash: UInt64
}

/// Runs the filter pipeline over a word list: clean, merge lemmas, drop stop words, apply the frequency floor and
/// the retention share, and skip words already done. Every word's fate can be explained.
public struct WordFilter: Sendable {
  public let lexicon: Lexicon
  public let options: FilterOptions
  /// True for a lemma whose entry is already done (the store's predicate); skipped unless `forceRefresh`.
  public let isDone: @Sendable (String) -> Bool

  public init(lexicon: Lexicon, options: FilterOptions, isDone: @escaping @Sendable (String) -> Bool = { _ in false }) {
    self.lexicon = lexicon
    self.options = options
    self.isDone = isDone
  }

  /// The outcome of filtering a list.
  public struct Outcome: Sendable {
    public var stages: [FilterStage]
    public var kept: [KeptWord]
    /// Fates of the words asked about, in the order asked.
    public var fates: [WordFate]
  }

  /// Filters `words` (in corpus order) and explains the fate of each word in `explain`.
  public func run(_ words: [String], explain: [String] = []) -> Outcome {
    var stages = [FilterStage(stage: "input", count: words.count)]
    var fates: [String: WordFate] = [:]
    let wanted = Set(explain.map { $0 })

    // Cleaning, lemmas and frequencies, word by word on all cores; then deduplication and grouping in order.
    let mergesAndStops = options.preset.mergesAndStops
    let lexicon = self.lexicon
    let prepared = Parallel.map(words) { original -> PreparedWord in
      switch WordCleaner.clean(original) {
      case .failure(let problem):
        return PreparedWord(problem: problem, normalization: nil, zipf: 0, wordHash: 0, lemmaHash: 0)
      case .success(let word):
        let normalization =
          mergesAndStops
          ? lexicon.lemmatizer.normalize(word) : Normalization(word: word, lemma: word, reason: .unknown)
        // Most words are their own lemma: hash and price them once.
        let wordHash = HashedTable<Int>.hash(word)
        let wordZipf = lexicon.frequencies.zipf(hash: wordHash)
        let same = normalization.lemma == word
        let lemmaHash = same ? wordHash : HashedTable<Int>.hash(normalization.lemma)
        let zipf = same ? wordZipf : max(wordZipf, lexicon.frequencies.zipf(hash: lemmaHash))
        return PreparedWord(
          problem: nil, normalization: normalization, zipf: zipf, wordHash: wordHash, lemmaHash: lemmaHash)
      }
    }
    // Words and lemmas are told apart by their 64-bit hashes, computed in the parallel stage (see HashedTable).
    // Groups live in parallel arrays (first member, frequency, alive), so the stages below move no strings; entries
    // with their member words are built only for the survivors.
    var seen = HashedTable<Bool>(expectedCount: words.count, empty: false)
    var groupIndex = HashedTable<Int32>(expectedCount: words.count, empty: -1)
    var groupFirst: [Int32] = []
    var groupZipf: [Double] = []
    var groupLemmaHash: [UInt64] = []
    var groupOf = [Int32](repeating: -1, count: prepared.count)
    var reasons: [String: Normalization] = [:]
    var cleanedCount = 0
    // Fields are read straight from the array's storage: copying each prepared word would retain its strings.
    prepared.withUnsafeBufferPointer { items in
      for index in items.indices {
        guard items[index].problem == nil, items[index].normalization != nil else {
          if !wanted.isEmpty && wanted.contains(words[index]), let problem = items[index].problem {
            fates[words[index]] = fate(words[index], .dropped, "cleaning", nil, "\(problem)")
          }
          continue
        }
        guard seen.insertIfAbsent(hash: items[index].wordHash, true) == nil else { continue }
        cleanedCount += 1
        if !wanted.isEmpty && wanted.contains(words[index]) { reasons[words[index]] = items[index].normalization }
        if let group = groupIndex.insertIfAbsent(hash: items[index].lemmaHash, Int32(groupFirst.count)) {
          groupOf[index] = group
          groupZipf[Int(group)] = max(groupZipf[Int(group)], items[index].zipf)
        } else {
          groupOf[index] = Int32(groupFirst.count)
          groupFirst.append(Int32(index))
          groupZipf.append(items[index].zipf)
          groupLemmaHash.append(items[index].lemmaHash)
        }
      }
    }
    stages.append(FilterStage(stage: "cleaned", count: cleanedCount))
    stages.append(FilterStage(stage: "after lemma merge", count: groupFirst.count))

    func lemma(_ group: Int) -> String {
      prepared.withUnsafeBufferPointer { $0[Int(groupFirst[group])].normalization?.lemma ?? "" }
    }

    // Reasons are only kept for the lemmas of the words asked about.
    let explainedLemmas = Set(reasons.values.map(\.lemma))
    var dropped: [String: (stage: String, reason: String)] = [:]
    var alive = [Int](groupFirst.indices)
    /// Drops the groups `isDropped` says; `reason` is only worded for the words asked about.
    func drop(_ stage: String, where isDropped: (Int) -> Bool, reason: (Int) -> String) {
      alive.removeAll { group in
        guard isDropped(group) else { return false }
        if !explainedLemmas.isEmpty, explainedLemmas.contains(lemma(group)) {
          dropped[lemma(group)] = (stage, reason(group))
        }
        return true
      }
      stages.append(FilterStage(stage: stage, count: alive.count))
    }

    if options.preset.mergesAndStops {
      let stops = lexicon.stopWords.hashed
      drop(
        "after stop words", where: { stops.value(forHash: groupLemmaHash[$0]) != nil },
        reason: { "\"\(lemma($0))\" is a stop word" })
    }
    if let floor = options.zipfFloor {
      drop(
        "after frequency", where: { groupZipf[$0] < floor },
        reason: { String(format: "Zipf %.2f is below %.2f", groupZipf[$0], floor) })
    }
    if let retention = options.retention {
      let share = min(1, max(0, retention))
      let keepCount = Int((Double(alive.count) * share).rounded(.up))
      let ranked = alive.sorted { groupZipf[$0] > groupZipf[$1] || (groupZipf[$0] == groupZipf[$1] && $0 < $1) }
      let survivors = Set(ranked.prefix(keepCount))
      drop(
        "after retention", where: { !survivors.contains($0) },
        reason: { _ in String(format: "not in the most frequent %.0f %%", share * 100) })
    }
    if !options.forceRefresh {
      drop(
        "after skipping done", where: { isDone(lemma($0)) },
        reason: { _ in "already done in the store (use --force-refresh)" })
    }

    // The survivors as entries, with the words that merged into each, in corpus order.
    var position = [Int32](repeating: -1, count: groupFirst.count)
    var kept: [KeptWord] = []
    kept.reserveCapacity(alive.count)
    for group in alive {
      position[group] = Int32(kept.count)
      kept.append(KeptWord(lemma: lemma(group), zipf: groupZipf[group], words: []))
    }
    prepared.withUnsafeBufferPointer { items in
      for (index, group) in groupOf.enumerated() where group >= 0 && position[Int(group)] >= 0 {
        kept[Int(position[Int(group)])].words.append(items[index].normalization?.word ?? "")
      }
    }

    let explained = explain.map { word in
      fates[word]
        ?? explanation(word, reasons[word], kept: kept, dropped: dropped) {
          seen.value(forHash: HashedTable<Int>.hash($0)) != nil
        }
    }
    return Outcome(stages: stages, kept: kept, fates: explained)
  }

  private func explanation(
    _ word: String, _ normalization: Normalization?, kept: [KeptWord],
    dropped: [String: (stage: String, reason: String)],
    inCorpus: (String) -> Bool
  ) -> WordFate {
    let cleaned: String
    switch WordCleaner.clean(word) {
    case .failure(let problem): return fate(word, .dropped, "cleaning", nil, "\(problem)")
    case .success(let word): cleaned = word
    }
    let normalization = normalization ?? lexicon.lemmatizer.normalize(cleaned)
    let lemma = options.preset.mergesAndStops ? normalization.lemma : cleaned
    let prefix = inCorpus(cleaned) ? "" : "not in the corpus; if it were: "
    let how = lemma == cleaned ? "\(normalization.reason)" : "merged into \"\(lemma)\": \(normalization.reason)"
    if let (stage, reason) = dropped[lemma] {
      return fate(word, .dropped, stage, lemma, prefix + how + "; dropped: " + reason)
    }
    if let entry = kept.first(where: { $0.lemma == lemma }) {
      return WordFate(
        word: word, outcome: lemma == cleaned ? .kept : .merged, stage: "lemma", lemma: lemma, zipf: entry.zipf,
        reason: prefix + how)
    }
    return hypothetical(word, lemma: lemma, how: prefix + how)
  }

  /// The fate of a word the corpus does not hold, stage by stage.
  private func hypothetical(_ word: String, lemma: String, how: String) -> WordFate {
    if options.preset.mergesAndStops && lexicon.stopWords.contains(lemma) {
      return fate(word, .dropped, "after stop words", lemma, how + "; dropped: \"\(lemma)\" is a stop word")
    }
    let zipf = max(lexicon.frequencies.zipf(lemma), lexicon.frequencies.zipf(word))
    if let floor = options.zipfFloor, zipf < floor {
      return fate(
        word, .dropped, "after frequency", lemma,
        how + String(format: "; dropped: Zipf %.2f is below %.2f", zipf, floor))
    }
    return WordFate(
      word: word, outcome: lemma == word.lowercased() ? .kept : .merged, stage: "lemma", lemma: lemma, zipf: zipf,
      reason: how + "; would be kept")
  }

  private func fate(_ word: String, _ outcome: WordFate.Outcome, _ stage: String, _ lemma: String?, _ reason: String)
    -> WordFate
  {
    WordFate(
      word: word, outcome: outcome, stage: stage, lemma: lemma, zipf: lemma.map { lexicon.frequencies.zipf($0) },
      reason: reason)
  }
}
