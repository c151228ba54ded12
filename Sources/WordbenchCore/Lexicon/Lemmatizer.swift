import Dispatch
import Foundation

/// Reduces inflected English words to their dictionary headword, with a reason for every decision.
///
/// The rules, in order (README "Normalization" has the same list):
/// 1. Lowercase; curly apostrophes become straight. Contractions stay whole; a possessive ('s, s') is reduced like
///    the word it belongs to.
/// 2. A word that is a WordNet lemma stays (boss, news, species, physics, us), except when it is a lemma in only
///    the part of speech of an exception-list entry and not ten times as frequent as its base (men → man, teeth →
///    tooth, but data stays), or when, in its own part of speech, it is a regular inflection of a lemma and was
///    sense-tagged less than 15 % as often as that lemma (years → year, times → time, but means stays).
/// 3. Otherwise the exception lists give irregular forms (geese → goose, was → be, ran → run).
/// 4. Otherwise the detachment rules give candidates that must be WordNet lemmas of the rule's part of speech, at
///    least three letters long, and spell the word back by English spelling rules (hoping → hope, not hop; bared →
///    bare, not bar); the most frequent candidate wins (attaches → attach, not attache).
/// 5. Otherwise a hyphenated compound has its last part reduced as a noun plural (self-assessments).
/// 6. Otherwise, for words WordNet lacks, the same rules with the frequency list in place of WordNet, keeping only
///    bases that are not much rarer than the word (bikers → biker, benchmarking → benchmark; during stays).
/// 7. Otherwise the word stays as it is.
public struct Lemmatizer: Sendable {
  public let wordNet: WordNet
  public let frequencies: WordFrequencies

  /// A sense-tagged lemma that was tagged under 15 % as often as its base is taken for the base's inflection.
  static let rareHeadwordShare = 0.15
  /// An exception-list form that is ten times as frequent as its base (data, datum) keeps its own headword.
  static let ownHeadwordZipfMargin = 1.0
  /// Spelling-rule bases must be at most this much rarer than the word (Zipf) and not rarer than `minimumZipf`.
  static let spellingZipfMargin = 1.0
  static let spellingMinimumZipf = 1.5
  static let minimumLemmaLength = 3

  /// Rule-made lemmas have at least three letters (no us → u, was → wa, dies → dy), but verbs may have two (does
  /// → do).
  static func minimumLength(_ pos: PartOfSpeech) -> Int { pos == .verb ? 2 : minimumLemmaLength }

  /// Pronouns and adverbs that 's attaches to as a contraction (it's = it is), not as a possessive.
  static let contractionHosts: Set<String> = [
    "it", "he", "she", "that", "there", "here", "what", "who", "where", "when", "why", "how", "let", "this",
    "everyone", "everybody", "someone", "somebody", "nobody", "one",
  ]
  static let contractionEndings = ["n't", "'re", "'ve", "'ll", "'d", "'m"]

  public init(wordNet: WordNet, frequencies: WordFrequencies) {
    self.wordNet = wordNet
    self.frequencies = frequencies
  }

  /// The lemmas of many words, in order, on all cores: each word is independent of the others.
  public func normalizeAll(_ words: [String]) -> [Normalization] {
    let workers = ProcessInfo.processInfo.activeProcessorCount
    guard workers > 1, words.count >= 4096 else { return words.map(normalize) }
    let results = ResultSlots<Normalization>(count: words.count)
    let chunk = (words.count + workers * 8 - 1) / (workers * 8)
    DispatchQueue.concurrentPerform(iterations: (words.count + chunk - 1) / chunk) { part in
      for index in part * chunk..<min(words.count, (part + 1) * chunk) { results.set(index, normalize(words[index])) }
    }
    return results.values()
  }

  /// The lemma of `word` and the reason.
  public func normalize(_ word: String) -> Normalization {
    let cleaned = Self.lowercase(word).replacingCharacter("\u{2019}", with: "'")
    if let apostrophe = apostropheForm(cleaned) {
      return Normalization(word: word, lemma: apostrophe.0, reason: apostrophe.1)
    }
    let (lemma, reason) = lemmatize(cleaned)
    return Normalization(word: word, lemma: lemma, reason: reason)
  }

  /// `lowercased()` costs a Unicode table walk even for lowercase ASCII, the usual case; skip it then.
  static func lowercase(_ word: String) -> String {
    word.utf8.allSatisfy({ $0 < 0x41 || ($0 > 0x5A && $0 < 0x80) }) ? word : word.lowercased()
  }

  // MARK: - Steps

  private func apostropheForm(_ word: String) -> (String, NormalizationReason)? {
    guard word.utf8.contains(UInt8(ascii: "'")) else { return nil }
    if Self.contractionEndings.contains(where: word.hasSuffix) { return (word, .contraction) }
    var owner: String?
    if word.hasSuffix("'s") {
      let stem = String(word.dropLast(2))
      if Self.contractionHosts.contains(stem) { return (word, .contraction) }
      owner = stem
    } else if word.hasSuffix("s'") {
      owner = String(word.dropLast())
    }
    guard let owner, !owner.isEmpty else { return nil }
    let (lemma, reason) = lemmatize(owner)
    let then =
      lemma == owner && !(reason.code == "inflection") ? nil : Normalization(word: owner, lemma: lemma, reason: reason)
    return (lemma, .possessive(of: owner, then: then))
  }

  private func lemmatize(_ word: String) -> (String, NormalizationReason) {
    let parts = wordNet.partsOfSpeech(of: word)
    if !parts.isEmpty { return headword(word, parts) }
    if let (base, pos) = bestException(word, among: PartOfSpeech.allCases) {
      return (base, .irregular(base: base, pos))
    }
    if let candidate = bestRuleCandidate(word, among: PartOfSpeech.allCases) {
      return (candidate.base, .inflection(candidate.inflection, base: candidate.base, candidate.pos))
    }
    if let compound = compound(word) { return compound }
    if let spelled = bestSpellingCandidate(word) {
      return (
        spelled.base, .spelling(spelled.inflection, base: spelled.base, zipf: frequencies.zipf(lowercase: spelled.base))
      )
    }
    return (word, .unknown)
  }

  /// Step 2: a WordNet lemma stays unless it is really an inflection of another lemma of its own part of speech.
  private func headword(_ word: String, _ parts: [PartOfSpeech]) -> (String, NormalizationReason) {
    if parts.count == 1, let (base, pos) = bestException(word, among: parts),
      frequencies.zipf(lowercase: word) < frequencies.zipf(lowercase: base) + Self.ownHeadwordZipfMargin
    {
      return (
        base,
        .rareHeadword(
          nil, base: base, pos, tagged: wordNet.tagCount(of: word, pos), baseTagged: wordNet.tagCount(of: base, pos))
      )
    }
    if let candidate = bestRuleCandidate(word, among: parts) {
      let tagged = wordNet.tagCount(of: word, candidate.pos)
      let baseTagged = wordNet.tagCount(of: candidate.base, candidate.pos)
      if Double(tagged) < Self.rareHeadwordShare * Double(baseTagged),
        frequencies.zipf(lowercase: candidate.base) >= frequencies.zipf(lowercase: word) - 0.5
      {
        return (
          candidate.base,
          .rareHeadword(
            candidate.inflection, base: candidate.base, candidate.pos, tagged: tagged, baseTagged: baseTagged)
        )
      }
    }
    if let participle = participle(word, parts) { return participle }
    if let untagged = untaggedHeadword(word, parts) { return untagged }
    return (word, .headword(parts))
  }

  /// A lemma only as an adjective (or also as a noun never sense-tagged) that is a verb form, tagged far less than
  /// the verb: bared → bare, stopped → stop, lying → lie; tired and interested keep their own headwords.
  private func participle(_ word: String, _ parts: [PartOfSpeech]) -> (String, NormalizationReason)? {
    guard Set(parts).isSubset(of: [.noun, .adjective]), wordNet.tagCount(of: word, .noun) == 0 else { return nil }
    let exception = bestException(word, among: [.verb])
    let rule = exception == nil ? bestRuleCandidate(word, among: [.verb]) : nil
    guard let base = exception?.0 ?? rule?.base else { return nil }
    let tagged = wordNet.tagCount(of: word, .adjective)
    let baseTagged = wordNet.tagCount(of: base, .verb)
    guard Double(tagged) < Self.rareHeadwordShare * Double(baseTagged) else { return nil }
    return (base, .rareHeadword(rule?.inflection, base: base, .verb, tagged: tagged, baseTagged: baseTagged))
  }

  /// A lemma never sense-tagged in any part of speech that is a regular inflection of a more frequent word
  /// WordNet lacks: bikers → biker.
  private func untaggedHeadword(_ word: String, _ parts: [PartOfSpeech]) -> (String, NormalizationReason)? {
    guard parts.allSatisfy({ wordNet.tagCount(of: word, $0) == 0 }), let candidate = bestSpellingCandidate(word),
      frequencies.zipf(lowercase: candidate.base) >= frequencies.zipf(lowercase: word)
    else { return nil }
    return (candidate.base, .untaggedHeadword(candidate.inflection, base: candidate.base))
  }

  /// The most frequent base an exception list gives for `word` in one of `parts` (self-mappings excluded).
  private func bestException(_ word: String, among parts: [PartOfSpeech]) -> (String, PartOfSpeech)? {
    var best: (base: String, pos: PartOfSpeech, zipf: Double)?
    for (pos, bases) in wordNet.exceptionEntries(of: word) where parts.contains(pos) {
      for base in bases where base != word {
        let zipf = frequencies.zipf(lowercase: base)
        if best == nil || zipf > best!.zipf { best = (base.replacingCharacter("_", with: " "), pos, zipf) }
      }
    }
    return best.map { ($0.base, $0.pos) }
  }

  struct Candidate {
    var base: String
    var pos: PartOfSpeech
    var inflection: Inflection
  }

  /// Step 4: detachment-rule bases that are lemmas of the rule's part of speech and spell the word back.
  private func bestRuleCandidate(_ word: String, among parts: [PartOfSpeech]) -> Candidate? {
    var candidates: [Candidate] = []
    let excepted = wordNet.exceptionEntries(of: word).map(\.0)
    for pos in parts {
      // An exception entry, even one mapping a word to itself, means the rules do not apply (WordNet's morphy).
      if excepted.contains(pos) { continue }
      // Nouns ending in -ss are not plurals (boss, glass), as in WordNet's morphy.
      if pos == .noun && word.hasASCIISuffix("ss") { continue }
      for rule in DetachmentRule.rules(for: pos) {
        for base in rule.bases(of: word)
        where base.count >= Self.minimumLength(pos) && wordNet.isLemma(base, pos)
          && Spelling.spells(word, base: base, rule.inflection)
        {
          candidates.append(Candidate(base: base, pos: pos, inflection: rule.inflection))
        }
      }
    }
    return mostFrequent(candidates)
  }

  /// Step 5: `self-assessments` → `self-assessment`, reducing only the last part, and only as a noun plural.
  private func compound(_ word: String) -> (String, NormalizationReason)? {
    guard let hyphen = word.lastIndex(of: "-"), hyphen != word.startIndex else { return nil }
    let last = String(word[word.index(after: hyphen)...])
    let prefix = String(word[...hyphen])
    if wordNet.partsOfSpeech(of: last).contains(.noun) { return nil }
    if let (base, _) = bestException(last, among: [.noun]) {
      return (prefix + base, .compound(.plural, base: base))
    }
    if let candidate = bestRuleCandidate(last, among: [.noun]) ?? bestSpellingCandidate(last, nounsOnly: true) {
      return (prefix + candidate.base, .compound(.plural, base: candidate.base))
    }
    return nil
  }

  /// Step 6: the rules with the frequency list standing in for WordNet, for words WordNet lacks.
  private func bestSpellingCandidate(_ word: String, nounsOnly: Bool = false) -> Candidate? {
    let floor = max(Self.spellingMinimumZipf, frequencies.zipf(lowercase: word) - Self.spellingZipfMargin)
    var candidates: [Candidate] = []
    for pos in nounsOnly ? [.noun] : [PartOfSpeech.noun, .verb, .adjective] {
      if pos == .noun && word.hasASCIISuffix("ss") { continue }
      for rule in DetachmentRule.rules(for: pos) {
        for base in rule.bases(of: word)
        where base.count >= Self.minimumLemmaLength && frequencies.zipf(lowercase: base) >= floor
          && Spelling.spells(word, base: base, rule.inflection)
        {
          candidates.append(Candidate(base: base, pos: pos, inflection: rule.inflection))
        }
      }
    }
    return mostFrequent(candidates)
  }

  /// The candidate whose base is most frequent; the earliest on a tie (rule order).
  private func mostFrequent(_ candidates: [Candidate]) -> Candidate? {
    var best: (Candidate, Double)?
    for candidate in candidates {
      let zipf = frequencies.zipf(lowercase: candidate.base)
      if best == nil || zipf > best!.1 { best = (candidate, zipf) }
    }
    return best?.0
  }
}
