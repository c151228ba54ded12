import Foundation

/// The words a run is prepared for, with the corpus words each stands for (to keep their status current).
public struct WordSelection: Sendable {
  public struct Item: Sendable {
    public var headword: String
    public var lemma: String
    /// The corpus words this headword covers: itself, or the inflected forms the filter merged into it.
    public var corpusWords: [String]

    public init(headword: String, lemma: String, corpusWords: [String]) {
      self.headword = headword
      self.lemma = lemma
      self.corpusWords = corpusWords
    }
  }

  public var items: [Item]
  /// Words left out because they are done (without --force-refresh) or in a run not merged yet.
  public var skippedDone = 0
  public var skippedInFlight = 0
  /// Words of a `--words-file` that the corpus does not have.
  public var unknownWords: [String] = []

  /// The next `limit` words the filter keeps that are neither done nor in flight, most frequent first.
  static func filtered(
    preset: FilterPreset, limit: Int?, forceRefresh: Bool, workspace: Workspace, store: DictionaryStore,
    lexicon: Lexicon
  ) throws -> WordSelection {
    let words = try Corpus.words(of: workspace, store: store)
    let done = try store.words(withStatus: .done).union(try store.words(withStatus: .quarantined))
    let inFlight = try store.words(withStatus: .inFlight)
    let options = FilterOptions(preset: preset, forceRefresh: true)
    var kept = Array(WordFilter(lexicon: lexicon, options: options).run(words).kept)
    kept.sort { $0.zipf > $1.zipf || ($0.zipf == $1.zipf && $0.lemma < $1.lemma) }
    var selection = WordSelection(items: [])
    for word in kept {
      if limit.map({ selection.items.count >= $0 }) == true { break }
      let covered = word.words.isEmpty ? [word.lemma] : word.words
      if covered.contains(where: inFlight.contains) {
        selection.skippedInFlight += 1
      } else if !forceRefresh && covered.allSatisfy(done.contains) {
        selection.skippedDone += 1
      } else {
        selection.items.append(Item(headword: word.lemma, lemma: word.lemma, corpusWords: covered))
      }
    }
    return selection
  }

  /// Exactly the words of a list (one per line; blank lines and `#` comments skipped), in its order. Words the
  /// corpus lacks are reported and left out.
  static func listed(
    file: URL, limit: Int?, forceRefresh: Bool, store: DictionaryStore, lexicon: Lexicon
  ) throws -> WordSelection {
    guard let bytes = FileBytes.read(file), let text = String(validating: bytes, as: UTF8.self) else {
      throw RequestError.unreadable(file: file.path, reason: "missing, unreadable or not UTF-8 text")
    }
    var seen = Set<String>()
    var listed: [String] = []
    for line in text.split(whereSeparator: \.isNewline) {
      let word = line.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping
      if word.isEmpty || word.hasPrefix("#") || !seen.insert(word).inserted { continue }
      listed.append(word)
    }
    let known = try store.corpusWords(among: listed)
    let done = try store.words(withStatus: .done)
    let inFlight = try store.words(withStatus: .inFlight)
    var selection = WordSelection(items: [])
    for word in listed {
      if limit.map({ selection.items.count >= $0 }) == true { break }
      if !known.contains(word) {
        selection.unknownWords.append(word)
      } else if inFlight.contains(word) {
        selection.skippedInFlight += 1
      } else if !forceRefresh && done.contains(word) {
        selection.skippedDone += 1
      } else {
        let lemma = lexicon.lemmatizer.normalize(word).lemma
        selection.items.append(Item(headword: word, lemma: lemma, corpusWords: [word]))
      }
    }
    return selection
  }
}
