import Foundation

/// What `wordbench lookup` found: the entry, or the word's standing and why it has none.
public struct LookupReport: Codable, Sendable {
  public var word: String
  public var entry: StoredEntry?
  public var state: WordState?
  /// Why there is no entry, in words: not in the corpus, pending, in flight in rNNNN, failed with the reason.
  public var why: String?
}

/// One search hit.
public struct SearchHit: Codable, Sendable {
  public var word: String
  /// The matching part of the definitions, with the matches in [brackets].
  public var snippet: String
}

/// `wordbench lookup` and `wordbench search`: reading the dictionary store.
public enum Lookup {
  public static func word(_ text: String, workspace path: String?, context: WordbenchContext) throws -> LookupReport {
    let workspace = try Workspace.locate(explicit: path, context: context)
    let store = try DictionaryStore(workspace: workspace)
    let word = text.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping
    var candidates = [word, word.lowercased()]
    let lexicon = try? Lexicon.load(workspace: workspace, context: context)
    if let lemma = lexicon?.lemmatizer.normalize(word).lemma { candidates.append(lemma) }
    for candidate in candidates {
      if let entry = try store.entry(for: candidate) {
        return LookupReport(word: word, entry: entry, state: try store.state(of: candidate), why: nil)
      }
    }
    guard let state = try store.state(of: word) ?? store.state(of: word.lowercased()) else {
      if let attempts = try store.attemptSummary(of: word) {
        return LookupReport(
          word: word,
          why: "the headword of inflected corpus words; \(attempts.count) attempt(s) failed, last in \(attempts.run): "
            + "\(attempts.kind ?? "?")\(attempts.message.map { " (\($0))" } ?? "")")
      }
      return LookupReport(word: word, why: "\"\(word)\" is not in the corpus; add it with `wordbench corpus import`")
    }
    let why: String
    switch state.status {
    case .pending: why = pending(word, preset: workspace.config.filter.preset, lexicon: lexicon)
    case .inFlight: why = "in flight in \(state.lastRun ?? "a run not merged yet"); merge that run when it is done"
    case .done:
      why =
        "done under its headword" + (state.lemma.map { " \"\($0)\"" } ?? "")
        + " (an inflected form merged into that word's entry)"
    case .failed:
      why =
        "failed after \(state.attempts) attempt(s), last in \(state.lastRun ?? "?"): \(state.lastError ?? "?")"
        + (state.lastMessage.map { " (\($0))" } ?? "") + "; `wordbench retry` tries again"
    case .quarantined:
      why =
        "quarantined after \(state.attempts) attempts: \(state.lastError ?? "?")"
        + (state.lastMessage.map { " (\($0))" } ?? "")
    }
    return LookupReport(word: word, state: state, why: why)
  }

  /// Why a pending word has no entry yet, and whether `prepare` with the workspace's preset will take it: a stop
  /// word or a rare word never comes up on its own.
  static func pending(_ word: String, preset: FilterPreset, lexicon: Lexicon?) -> String {
    let takes = "pending: not in any run yet (`wordbench prepare` takes it)"
    guard let lexicon else { return takes }
    let filter = WordFilter(lexicon: lexicon, options: FilterOptions(preset: preset, forceRefresh: true))
    guard let fate = filter.run([word], explain: [word]).fates.first else { return takes }
    switch fate.outcome {
    case .kept: return takes
    case .merged:
      return "pending: not in any run yet (`wordbench prepare` takes it under its headword \"\(fate.lemma ?? word)\")"
    case .dropped:
      return "pending, and the workspace's \(preset.rawValue) preset leaves it out (\(fate.reason)); "
        + "`wordbench prepare --filter-preset none` or `--words-file` takes it"
    }
  }

  public static func search(_ text: String, limit: Int, workspace path: String?, context: WordbenchContext) throws
    -> [SearchHit]
  {
    let workspace = try Workspace.locate(explicit: path, context: context)
    return try DictionaryStore(workspace: workspace).search(text, limit: limit).map {
      SearchHit(word: $0.word, snippet: $0.snippet)
    }
  }
}
