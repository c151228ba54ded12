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

/// One distinct cleaned word after the lemma stage: its lemma (nil when it is its own), the table hash of the lemma
/// (see HashedTable), and the greater frequency of the word and its lemma. Small on purpose: there is one per corpus
/// word, and reasons are only worked out again for the words asked about.
struct PreparedWord: Sendable {
  var lemma: String?
  var zipf: Double
  var lemmaHash: UInt64

  /// The lemma of cleaned word `index`: its own spelling when no lemmas were worked out, or when it is its own.
  static func lemma(ofWord index: Int, _ prepared: [PreparedWord]?, _ cleaned: CleanedWords) -> String {
    prepared?[index].lemma ?? cleaned.word(index)
  }
}

/// The words a filter keeps, in corpus order. Entries point into the cleaned words, and each `KeptWord` is made
/// when it is read, so a list of a few hundred thousand words costs a few arrays of positions rather than a copy
/// of every word.
public struct KeptWords: RandomAccessCollection, Sendable {
  let cleaned: CleanedWords
  /// Lemmas and frequencies of the cleaned words, when a rule needed them.
  let prepared: [PreparedWord]?
  /// Entry `i`'s headword is the lemma of cleaned word `heads[i]`.
  let heads: [Int32]
  /// Entry `i`'s member words are the cleaned words `members[starts[i]..<starts[i + 1]]`; nil when no lemmas were
  /// merged, and each entry's only member is its headword.
  let grouping: (starts: [Int32], members: [Int32])?
  /// Each entry's Zipf frequency (its most frequent member's) when a rule needed them; nil when none did, and then
  /// only the entries read are looked up.
  let zipfs: [Double]?
  let frequencies: WordFrequencies

  public var startIndex: Int { 0 }
  public var endIndex: Int { heads.count }

  public subscript(position: Int) -> KeptWord {
    let words =
      grouping.map { starts, members in
        members[Int(starts[position])..<Int(starts[position + 1])].map { cleaned.word(Int($0)) }
      } ?? [cleaned.word(Int(heads[position]))]
    return KeptWord(lemma: lemma(at: position), zipf: zipf(at: position), words: words)
  }

  /// The headwords, in order.
  public var lemmas: LazyMapSequence<[Int32], String> { heads.lazy.map { lemma(ofWord: Int($0)) } }

  func lemma(at position: Int) -> String { lemma(ofWord: Int(heads[position])) }

  private func lemma(ofWord index: Int) -> String { PreparedWord.lemma(ofWord: index, prepared, cleaned) }

  func zipf(at position: Int) -> Double {
    if let zipfs { return zipfs[position] }
    let head = Int(heads[position])
    return frequencies.zipf(hash: prepared?[head].lemmaHash ?? cleaned.hash(head))
  }

  /// The position of the entry whose headword is `lemma`.
  func firstIndex(ofLemma lemma: String) -> Int? { heads.indices.first { self.lemma(at: $0) == lemma } }
}

/// Runs the filter pipeline over a word list: clean, merge lemmas, drop stop words, apply the frequency floor and
/// the retention share, and skip words already done. Every word's fate can be explained.
public struct WordFilter: Sendable {
  public let options: FilterOptions
  /// True for a lemma whose entry is already done (the store's predicate); skipped unless `forceRefresh`. Nil when
  /// nothing is done.
  public let isDone: (@Sendable (String) -> Bool)?
  private let frequencies: WordFrequencies
  private let stopWords: StopWords
  /// Nil when the preset merges no lemmas: such a filter needs no WordNet.
  private let lemmatizer: Lemmatizer?

  public init(lexicon: Lexicon, options: FilterOptions, isDone: (@Sendable (String) -> Bool)? = nil) {
    self.init(
      frequencies: lexicon.frequencies, stopWords: lexicon.stopWords,
      lemmatizer: options.preset.mergesAndStops ? lexicon.lemmatizer : nil, options: options, isDone: isDone)
  }

  /// A filter for a preset that neither merges lemmas nor drops stop words (`none`): it needs only the frequencies,
  /// and so no WordNet.
  public init(frequencies: WordFrequencies, options: FilterOptions, isDone: (@Sendable (String) -> Bool)? = nil) {
    precondition(!options.preset.mergesAndStops, "the \(options.preset.rawValue) preset needs a Lexicon")
    self.init(
      frequencies: frequencies, stopWords: StopWords(words: []), lemmatizer: nil, options: options, isDone: isDone)
  }

  private init(
    frequencies: WordFrequencies, stopWords: StopWords, lemmatizer: Lemmatizer?, options: FilterOptions,
    isDone: (@Sendable (String) -> Bool)?
  ) {
    self.frequencies = frequencies
    self.stopWords = stopWords
    self.lemmatizer = lemmatizer
    self.options = options
    self.isDone = isDone
  }

  /// The outcome of filtering a list.
  public struct Outcome: Sendable {
    public var stages: [FilterStage]
    public var kept: KeptWords
    /// Fates of the words asked about, in the order asked.
    public var fates: [WordFate]
  }

  /// Whether a rule reads every word's frequency: lemma merging (an entry is as frequent as its most frequent
  /// member), a floor, or a retention share. Otherwise frequencies are looked up only for the entries read.
  private var ranksByFrequency: Bool {
    lemmatizer != nil || options.zipfFloor != nil || options.retention != nil
  }

  /// Filters `words` (in corpus order) and explains the fate of each word in `explain`.
  public func run(_ words: [String], explain: [String] = []) -> Outcome {
    run(WordList(words), explain: explain)
  }

  /// Filters `list` (in corpus order) and explains the fate of each word in `explain`.
  public func run(_ list: WordList, explain: [String] = []) -> Outcome {
    var stages = [FilterStage(stage: "input", count: list.count)]
    let cleaned = CleanedWords(list)
    stages.append(FilterStage(stage: "cleaned", count: cleaned.count))
    let ranks = ranksByFrequency
    let prepared = ranks ? prepare(cleaned) : nil

    // Groups live in parallel arrays (first member, frequency), so the stages below move no strings. A word joins
    // the group of the first word with its lemma, told apart by 64-bit hashes (see HashedTable). Without lemma
    // merging, each word is its own group.
    var groupFirst: [Int32] = []
    var groupZipf: [Double] = []
    var groupOf: [Int32]?
    if let prepared, lemmatizer != nil {
      let firstWithLemma = FirstOccurrences.of(prepared.map(\.lemmaHash))
      var groups = [Int32](repeating: -1, count: prepared.count)
      for index in prepared.indices {
        let first = Int(firstWithLemma[index])
        if first == index {
          groups[index] = Int32(groupFirst.count)
          groupFirst.append(Int32(index))
          groupZipf.append(prepared[index].zipf)
        } else {
          let group = Int(groups[first])
          groups[index] = Int32(group)
          groupZipf[group] = max(groupZipf[group], prepared[index].zipf)
        }
      }
      groupOf = groups
    } else {
      groupFirst = [Int32](positionsBelow: cleaned.count)
      groupZipf = prepared?.map(\.zipf) ?? []
    }
    stages.append(FilterStage(stage: "after lemma merge", count: groupFirst.count))

    func lemma(_ group: Int32) -> String {
      PreparedWord.lemma(ofWord: Int(groupFirst[Int(group)]), prepared, cleaned)
    }

    // Drop reasons are only worded for the lemmas of the words asked about.
    let explainedLemmas = Set(explain.compactMap(headword(of:)))
    var dropped: [String: (stage: String, reason: String)] = [:]
    var alive = [Int32](positionsBelow: groupFirst.count)
    /// Drops the groups `isDropped` says; `reason` is only worded for the words asked about.
    func drop(_ stage: String, where isDropped: (Int32) -> Bool, reason: (Int32) -> String) {
      alive.removeAll { group in
        guard isDropped(group) else { return false }
        if !explainedLemmas.isEmpty, explainedLemmas.contains(lemma(group)) {
          dropped[lemma(group)] = (stage, reason(group))
        }
        return true
      }
      stages.append(FilterStage(stage: stage, count: alive.count))
    }

    if lemmatizer != nil, let prepared {
      let stops = stopWords.hashed
      drop(
        "after stop words",
        where: { stops.value(forHash: prepared[Int(groupFirst[Int($0)])].lemmaHash) != nil },
        reason: { "\"\(lemma($0))\" is a stop word" })
    }
    if let floor = options.zipfFloor {
      drop(
        "after frequency", where: { groupZipf[Int($0)] < floor },
        reason: { String(format: "Zipf %.2f is below %.2f", groupZipf[Int($0)], floor) })
    }
    if let retention = options.retention {
      let share = min(1, max(0, retention))
      let keepCount = Int((Double(alive.count) * share).rounded(.up))
      let ranked = alive.sorted {
        groupZipf[Int($0)] > groupZipf[Int($1)] || (groupZipf[Int($0)] == groupZipf[Int($1)] && $0 < $1)
      }
      let survivors = Set(ranked.prefix(keepCount))
      drop(
        "after retention", where: { !survivors.contains($0) },
        reason: { _ in String(format: "not in the most frequent %.0f %%", share * 100) })
    }
    if !options.forceRefresh {
      let isDone = self.isDone
      drop(
        "after skipping done", where: { isDone?(lemma($0)) ?? false },
        reason: { _ in "already done in the store (use --force-refresh)" })
    }

    let kept = keptWords(
      alive, cleaned, prepared, groupFirst: groupFirst, groupZipf: ranks ? groupZipf : nil, groupOf: groupOf)
    let explained = explain.map { word in
      explanation(word, kept: kept, dropped: dropped, inCorpus: cleaned.contains)
    }
    return Outcome(stages: stages, kept: kept, fates: explained)
  }

  /// Lemmas and frequencies of the cleaned words, word by word on all cores.
  private func prepare(_ cleaned: CleanedWords) -> [PreparedWord] {
    let lemmatizer = self.lemmatizer
    let frequencies = self.frequencies
    return Parallel.map(count: cleaned.count) { index -> PreparedWord in
      let word = cleaned.word(index)
      let lemma = lemmatizer?.normalize(word).lemma ?? word
      // Most words are their own lemma: hash and price them once.
      let wordHash = cleaned.hash(index)
      let wordZipf = frequencies.zipf(hash: wordHash)
      if lemma == word { return PreparedWord(lemma: nil, zipf: wordZipf, lemmaHash: wordHash) }
      let lemmaHash = HashedTable<Int>.hash(lemma)
      return PreparedWord(
        lemma: lemma, zipf: max(wordZipf, frequencies.zipf(hash: lemmaHash)), lemmaHash: lemmaHash)
    }
  }

  /// The surviving groups as entries, each with the words that merged into it, in corpus order.
  private func keptWords(
    _ alive: [Int32], _ cleaned: CleanedWords, _ prepared: [PreparedWord]?, groupFirst: [Int32],
    groupZipf: [Double]?, groupOf: [Int32]?
  ) -> KeptWords {
    let zipfs = groupZipf.map { zipfs in alive.map { zipfs[Int($0)] } }
    guard let groupOf else {
      // Each group is one word, its own first member.
      return KeptWords(
        cleaned: cleaned, prepared: prepared, heads: alive, grouping: nil, zipfs: zipfs, frequencies: frequencies)
    }
    var position = [Int32](repeating: -1, count: groupFirst.count)
    for (index, group) in alive.enumerated() { position[Int(group)] = Int32(index) }
    var starts = [Int32](repeating: 0, count: alive.count + 1)
    for group in groupOf where position[Int(group)] >= 0 { starts[Int(position[Int(group)]) + 1] += 1 }
    for index in alive.indices { starts[index + 1] += starts[index] }
    var next = starts
    var members = [Int32](repeating: 0, count: Int(starts[alive.count]))
    for (index, group) in groupOf.enumerated() where position[Int(group)] >= 0 {
      let entry = Int(position[Int(group)])
      members[Int(next[entry])] = Int32(index)
      next[entry] += 1
    }
    return KeptWords(
      cleaned: cleaned, prepared: prepared, heads: alive.map { groupFirst[Int($0)] }, grouping: (starts, members),
      zipfs: zipfs, frequencies: frequencies)
  }

  /// The normalization of a cleaned word when the preset merges lemmas; nil when it does not.
  private func normalization(_ cleaned: String) -> Normalization? {
    lemmatizer?.normalize(cleaned)
  }

  /// The headword a word asked about is filed under; nil when cleaning drops it.
  private func headword(of word: String) -> String? {
    guard case .success(let cleaned) = WordCleaner.clean(word) else { return nil }
    return normalization(cleaned)?.lemma ?? cleaned
  }

  private func explanation(
    _ word: String, kept: KeptWords, dropped: [String: (stage: String, reason: String)],
    inCorpus: (String) -> Bool
  ) -> WordFate {
    let cleaned: String
    switch WordCleaner.clean(word) {
    case .failure(let problem): return fate(word, .dropped, "cleaning", nil, "\(problem)")
    case .success(let word): cleaned = word
    }
    let normalization = normalization(cleaned)
    let lemma = normalization?.lemma ?? cleaned
    let prefix = inCorpus(cleaned) ? "" : "not in the corpus; if it were: "
    let how: String
    if let normalization {
      how = lemma == cleaned ? "\(normalization.reason)" : "merged into \"\(lemma)\": \(normalization.reason)"
    } else {
      how = "cleaned; the \(options.preset.rawValue) preset merges no lemmas"
    }
    if let (stage, reason) = dropped[lemma] {
      return fate(word, .dropped, stage, lemma, prefix + how + "; dropped: " + reason)
    }
    if let index = kept.firstIndex(ofLemma: lemma) {
      return WordFate(
        word: word, outcome: lemma == cleaned ? .kept : .merged, stage: "lemma", lemma: lemma,
        zipf: kept.zipf(at: index), reason: prefix + how)
    }
    return hypothetical(word, lemma: lemma, how: prefix + how)
  }

  /// The fate of a word the corpus does not hold, stage by stage.
  private func hypothetical(_ word: String, lemma: String, how: String) -> WordFate {
    if lemmatizer != nil && stopWords.contains(lemma) {
      return fate(word, .dropped, "after stop words", lemma, how + "; dropped: \"\(lemma)\" is a stop word")
    }
    let zipf = max(frequencies.zipf(lemma), frequencies.zipf(word))
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
      word: word, outcome: outcome, stage: stage, lemma: lemma, zipf: lemma.map { frequencies.zipf($0) },
      reason: reason)
  }
}

extension [Int32] {
  /// `0, 1, ..., count - 1`, written in one loop (copying the range goes element by element through its iterator).
  init(positionsBelow count: Int) {
    self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
      for index in 0..<count { buffer[index] = Int32(truncatingIfNeeded: index) }
      initialized = count
    }
  }
}
