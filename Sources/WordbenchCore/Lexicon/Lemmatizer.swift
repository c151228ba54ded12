import Foundation

/// Reduces inflected English words to their dictionary headword, with a reason for every decision.
///
/// The rules, in order (README "Normalization" has the same list):
/// 1. Lowercase; curly apostrophes become straight. Contractions stay whole; a possessive ('s, s') is reduced like
///    the word it belongs to.
/// 2. A word that is a WordNet lemma stays (boss, news, species, physics, us), except when it is a lemma in only
///    the part of speech of an exception-list entry and not ten times as frequent as its base (men → man, teeth →
///    tooth, but data stays), or when, in its own part of speech, it is a regular inflection of a lemma and was
///    sense-tagged less than 15 % as often as that lemma (years → year, times → time, but means stays), unless both
///    are names and the word names individuals only (roberts, williams and ives stay).
/// 3. Otherwise the exception lists give irregular forms (geese → goose, was → be, ran → run).
/// 4. Otherwise the detachment rules give candidates that must be WordNet lemmas of the rule's part of speech, at
///    least three letters long, and spell the word back by English spelling rules (hoping → hope, not hop; bared →
///    bare, not bar); the most frequent candidate wins (attaches → attach, not attache).
/// 5. Otherwise a hyphenated compound has its last part reduced as a noun plural (self-assessments).
/// 6. Otherwise, for words WordNet lacks, the same rules with the frequency list in place of WordNet, keeping only
///    bases that are not much rarer than the word (bikers → biker, benchmarking → benchmark; during stays), and
///    comparatives only of adjectives (hustler, ranger stay).
/// 7. Otherwise the word stays as it is.
public final class Lemmatizer: Sendable {
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
    Parallel.map(words) { self.normalize($0) }
  }

  /// The lemma of `word` and the reason.
  public func normalize(_ word: String) -> Normalization {
    // Plain lowercase ASCII letters, the usual case, need no case folding, apostrophe or space handling, and their
    // bytes are their WordNet spelling.
    var bytes = word
    if let (lemma, reason) = bytes.withUTF8({ bytes in
      WordCleaner.isPlain(bytes) ? lemmatize(word, WordKey(bytes)) : nil
    }) {
      return Normalization(word: word, lemma: lemma, reason: reason)
    }
    let cleaned = Self.straightenApostrophes(Self.lowercase(word))
    if let apostrophe = apostropheForm(cleaned) {
      return Normalization(word: word, lemma: apostrophe.0, reason: apostrophe.1)
    }
    let (lemma, reason) = lemmatize(cleaned)
    return Normalization(word: word, lemma: lemma, reason: reason)
  }

  /// ’ (U+2019, the typographic apostrophe) becomes '; its UTF-8 starts with 0xE2, which most words lack.
  static func straightenApostrophes(_ word: String) -> String {
    word.utf8.contains(0xE2) ? word.replacingCharacter("\u{2019}", with: "'") : word
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
    var spelled = WordNet.key(word)
    var written = word
    return spelled.withUTF8 { spelled in written.withUTF8 { lemmatize(word, WordKey(spelled, written: $0)) } }
  }

  private func lemmatize(_ word: String, _ key: WordKey) -> (String, NormalizationReason) {
    let exceptions = wordNet.exceptionEntries(hash: key.hash)
    if let entry = wordNet.lemmas.entry(hash: key.hash) {
      return headword(word, key, entry, exceptions)
    }
    if let (base, pos) = bestException(word, exceptions, among: PartOfSpeech.all) {
      return (base, .irregular(base: base, pos))
    }
    if let candidate = bestRuleCandidate(key, exceptions, among: PartOfSpeech.all) {
      return (candidate.base, .inflection(candidate.inflection, base: candidate.base, candidate.pos))
    }
    if key.bytes.contains(UInt8(ascii: "-")), let compound = compound(word) { return compound }
    if let spelled = bestSpellingCandidate(key) {
      return (spelled.base, .spelling(spelled.inflection, base: spelled.base, zipf: spelled.zipf))
    }
    return (word, science(key) ?? .unknown)
  }

  /// Why a word in -ics that step 6 left alone was not reduced to its base in -ic, when the frequency list has that
  /// base at step 6's floor: it names a science (`namesScience`).
  private func science(_ key: WordKey) -> NormalizationReason? {
    guard key.hasSuffix(Self.ics, length: 3) else { return nil }
    let length = key.count - 1
    let zipf = frequencies.zipf(hash: key.hash(prefix: length, ending: 0, endingLength: 0))
    return zipf >= spellingFloor(key) ? .science(base: key.string(prefix: length, ending: 0, endingLength: 0)) : nil
  }

  /// The lowest Zipf a base must have for step 6 to consider it: the fixed minimum, and at most one point rarer
  /// than the word.
  private func spellingFloor(_ key: WordKey) -> Double {
    max(Self.spellingMinimumZipf, frequencies.zipf(hash: key.hash) - Self.spellingZipfMargin)
  }

  /// Step 2: a WordNet lemma stays unless it is really an inflection of another lemma of its own part of speech.
  private func headword(
    _ word: String, _ key: WordKey, _ entry: LemmaTable.Entry, _ exceptions: [(PartOfSpeech, [String])]
  ) -> (String, NormalizationReason) {
    let parts = entry.parts
    if parts.nonzeroBitCount == 1, let (base, pos) = bestException(word, exceptions, among: parts),
      frequencies.zipf(hash: key.hash) < frequencies.zipf(lowercase: base) + Self.ownHeadwordZipfMargin
    {
      return (
        base,
        .rareHeadword(nil, base: base, pos, tagged: entry.tagCount(pos), baseTagged: wordNet.tagCount(of: base, pos))
      )
    }
    if let candidate = bestRuleCandidate(key, exceptions, among: parts) {
      let tagged = entry.tagCount(candidate.pos)
      let base = wordNet.lemmas.entry(hash: candidate.hash)
      let baseTagged = base?.tagCount(candidate.pos) ?? 0
      if !Self.namesApart(entry, base), Double(tagged) < Self.rareHeadwordShare * Double(baseTagged),
        candidate.zipf >= frequencies.zipf(hash: key.hash) - 0.5
      {
        return (
          candidate.base,
          .rareHeadword(
            candidate.inflection, base: candidate.base, candidate.pos, tagged: tagged, baseTagged: baseTagged)
        )
      }
    }
    if let participle = participle(word, key, entry, parts, exceptions) { return participle }
    if let untagged = untaggedHeadword(word, key, entry, parts) { return untagged }
    return (word, .headword(PartOfSpeech.sets[Int(parts)]))
  }

  /// A lemma only as an adjective (or also as a noun never sense-tagged) that is a verb form, tagged far less than
  /// the verb: bared → bare, stopped → stop, lying → lie; tired and interested keep their own headwords.
  private func participle(
    _ word: String, _ key: WordKey, _ entry: LemmaTable.Entry, _ parts: UInt8,
    _ exceptions: [(PartOfSpeech, [String])]
  ) -> (String, NormalizationReason)? {
    let nounOrAdjective: UInt8 = 1 << PartOfSpeech.noun.ordinal | 1 << PartOfSpeech.adjective.ordinal
    guard entry.parts & ~nounOrAdjective == 0, entry.tagCount(.noun) == 0 else { return nil }
    let exception = bestException(word, exceptions, among: PartOfSpeech.verb.bit)
    let rule = exception == nil ? bestRuleCandidate(key, exceptions, among: PartOfSpeech.verb.bit) : nil
    guard let base = exception?.0 ?? rule?.base else { return nil }
    let tagged = entry.tagCount(.adjective)
    let baseTagged = wordNet.tagCount(of: base, .verb)
    guard Double(tagged) < Self.rareHeadwordShare * Double(baseTagged) else { return nil }
    return (base, .rareHeadword(rule?.inflection, base: base, .verb, tagged: tagged, baseTagged: baseTagged))
  }

  /// A lemma never sense-tagged in any part of speech that is a regular inflection of a more frequent word: bikers
  /// → biker. `mayInflect` says which bases such a word may have. A name reduces only to a WordNet lemma that is its
  /// most frequent base (mormons → mormon, but faroes is not faro + es): the frequency list does not tell Ives and
  /// Huss from ive and hus.
  private func untaggedHeadword(_ word: String, _ key: WordKey, _ entry: LemmaTable.Entry, _ parts: UInt8)
    -> (String, NormalizationReason)?
  {
    guard entry.tagCount(in: parts) == 0, let candidate = bestSpellingCandidate(key, headword: entry),
      candidate.zipf >= frequencies.zipf(hash: key.hash)
    else { return nil }
    if entry.isName {
      let base = wordNet.lemmas.entry(hash: candidate.hash)
      guard base != nil, !candidate.outranked, !Self.namesApart(entry, base) else { return nil }
    }
    return (candidate.base, .untaggedHeadword(candidate.inflection, base: candidate.base))
  }

  /// Whether the WordNet word `headword` can be the `pos` inflection of the base `prefix + ending` (`base` is its
  /// entry, nil when WordNet lacks it). WordNet lists the word for a sense of its own, so the base must have the
  /// same meaning:
  /// - a verb form only of a WordNet verb (bigmouthed and unfed are adjectives, lemming a noun), and not when the
  ///   word is a noun of things only (`namesThingsOnly`: carpeting, whiting);
  /// - a plural only of a WordNet noun that names the same kind of thing (`namesKindOf`: optics is a science, not
  ///   optic the eye), or of an agent noun or gerund of a WordNet verb that WordNet lists only in the plural
  ///   (bikers, doings). Any other base WordNet lacks is mostly a Latin or foreign singular cut short (lues → lue,
  ///   menses → mens) or the adjective of a science (genomics → genomic).
  private func mayInflect(
    _ headword: LemmaTable.Entry, _ pos: PartOfSpeech, _ key: WordKey, prefix length: Int, _ ending: UInt32,
    _ endingLength: Int, base: LemmaTable.Entry?
  ) -> Bool {
    switch pos {
    case .verb: return base?.has(.verb) == true && !headword.namesThingsOnly
    case .noun:
      if let base { return base.has(.noun) && headword.namesKindOf(base) }
      return !headword.isPluralOnly
        && key.withBase(prefix: length, ending: ending, endingLength: endingLength) { isVerbDerivative($0) }
    case .adjective, .adverb: return true
    }
  }

  /// Whether `word` is the agent noun (-er) or the -ing form of a WordNet verb: biker, doing.
  private func isVerbDerivative(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
    let key = WordKey(word)
    var found = false
    for pos in [PartOfSpeech.adjective, .verb] {
      forEachBase(key, pos) { length, ending, endingLength, rule in
        guard rule.inflection == .comparative || rule.inflection == .presentParticiple else { return }
        let hash = key.hash(prefix: length, ending: ending, endingLength: endingLength)
        found = found || wordNet.lemmas.entry(hash: hash)?.has(.verb) == true
      }
    }
    return found
  }

  /// A surname is not the plural of a given name (roberts, robert): a noun that names individuals only is kept
  /// apart from a base that is a name too. Names of groups still reduce (mormons → mormon), and so do words whose
  /// base is a common noun (banks → bank).
  static func namesApart(_ word: LemmaTable.Entry, _ base: LemmaTable.Entry?) -> Bool {
    word.isIndividual && base?.isName == true
  }

  /// The most frequent base an exception list gives for `word` in one of `parts` (self-mappings excluded).
  private func bestException(_ word: String, _ exceptions: [(PartOfSpeech, [String])], among parts: UInt8)
    -> (String, PartOfSpeech)?
  {
    var best: (base: String, pos: PartOfSpeech, zipf: Double)?
    for (pos, bases) in exceptions where parts & pos.bit != 0 {
      for base in bases where base != word {
        let zipf = frequencies.zipf(lowercase: base)
        if best == nil || zipf > best!.zipf { best = (base.replacingCharacter("_", with: " "), pos, zipf) }
      }
    }
    return best.map { ($0.base, $0.pos) }
  }

  struct Candidate {
    var base: String
    /// The table hash of `base`.
    var hash: UInt64
    var pos: PartOfSpeech
    var inflection: Inflection
    var zipf: Double
    /// Whether WordNet has `base` (in any part of speech). Step 6 prefers such a base to a more frequent one WordNet
    /// lacks, which is often a fragment or a name (agued is ague + d, not agu + ed).
    var known: Bool
    /// A base WordNet lacks that spells the word too is more frequent than this one.
    var outranked = false
  }

  /// Step 4: detachment-rule bases that are lemmas of the rule's part of speech and spell the word back.
  private func bestRuleCandidate(
    _ key: WordKey, _ exceptions: [(PartOfSpeech, [String])], among parts: UInt8
  ) -> Candidate? {
    var best: Candidate?
    var lackingZipf = -Double.infinity
    for ordinal in 0..<4 where parts & (1 << ordinal) != 0 {
      let pos = PartOfSpeech(ordinal: ordinal)
      // An exception entry, even one mapping a word to itself, means the rules do not apply (WordNet's morphy).
      if exceptions.contains(where: { $0.0 == pos }) { continue }
      // Nouns ending in -ss are not plurals (boss, glass), as in WordNet's morphy.
      if pos == .noun && key.hasSuffix(Self.doubleS, length: 2) { continue }
      forEachBase(key, pos) { length, ending, endingLength, rule in
        guard length + endingLength >= Self.minimumLength(pos) else { return }
        let hash = key.hash(prefix: length, ending: ending, endingLength: endingLength)
        guard wordNet.lemmas.entry(hash: hash)?.has(pos) == true else { return }
        consider(
          key, length, ending, endingLength, hash, pos, rule.inflection, frequencies.zipf(hash: hash), known: true,
          &best, &lackingZipf)
      }
    }
    return best
  }

  /// Step 5: `self-assessments` → `self-assessment`, reducing only the last part, and only as a noun plural.
  private func compound(_ word: String) -> (String, NormalizationReason)? {
    guard let hyphen = word.lastIndex(of: "-"), hyphen != word.startIndex else { return nil }
    let last = String(word[word.index(after: hyphen)...])
    let prefix = String(word[...hyphen])
    if wordNet.partsOfSpeech(of: last).contains(.noun) { return nil }
    let exceptions = wordNet.exceptionEntries(of: last)
    if let (base, _) = bestException(last, exceptions, among: PartOfSpeech.noun.bit) {
      return (prefix + base, .compound(.plural, base: base))
    }
    var lastBytes = last
    let candidate = lastBytes.withUTF8 { bytes in
      let key = WordKey(bytes)
      return bestRuleCandidate(key, exceptions, among: PartOfSpeech.noun.bit)
        ?? bestSpellingCandidate(key, nounsOnly: true)
    }
    return candidate.map { (prefix + $0.base, .compound(.plural, base: $0.base)) }
  }

  /// Step 6: the rules with the frequency list standing in for WordNet, for words WordNet lacks, and for WordNet
  /// words never sense-tagged (`headword`, whose bases `mayInflect` limits).
  private func bestSpellingCandidate(_ key: WordKey, nounsOnly: Bool = false, headword: LemmaTable.Entry? = nil)
    -> Candidate?
  {
    // The word's own frequency is looked up only once a base passes the fixed minimum: most words have no such
    // base, and the lookup is a trip to main memory.
    var wordFloor: Double?
    func floor() -> Double {
      if let wordFloor { return wordFloor }
      let value = spellingFloor(key)
      wordFloor = value
      return value
    }
    var best: Candidate?
    var lackingZipf = -Double.infinity
    let parts = nounsOnly ? PartOfSpeech.noun.bit : Self.inflected
    for ordinal in 0..<4 where parts & (1 << ordinal) != 0 {
      let pos = PartOfSpeech(ordinal: ordinal)
      if pos == .noun && key.hasSuffix(Self.doubleS, length: 2) { continue }
      forEachBase(key, pos) { length, ending, endingLength, rule in
        guard length + endingLength >= Self.minimumLemmaLength else { return }
        let hash = key.hash(prefix: length, ending: ending, endingLength: endingLength)
        if pos == .adjective && !isComparable(hash, rule) { return }
        let zipf = frequencies.zipf(hash: hash)
        guard zipf >= Self.spellingMinimumZipf, zipf >= floor() else { return }
        let base = wordNet.lemmas.entry(hash: hash)
        if Self.namesScience(key, prefix: length, base: base) { return }
        if let headword,
          !mayInflect(headword, pos, key, prefix: length, ending, endingLength, base: base)
        {
          return
        }
        consider(
          key, length, ending, endingLength, hash, pos, rule.inflection, zipf, known: base != nil, &best,
          &lackingZipf)
      }
    }
    if let zipf = best?.zipf { best?.outranked = lackingZipf > zipf }
    return best
  }

  /// Whether the word (in -ics) names a science or a practice rather than several of its base (its first `length`
  /// bytes, in -ic): analytics, genetics and photonics are not plurals of adjectives, while clinics and critics are
  /// plurals of WordNet nouns.
  private static func namesScience(_ key: WordKey, prefix length: Int, base: LemmaTable.Entry?) -> Bool {
    key.hasSuffix(ics, length: 3) && length == key.count - 1 && base?.has(.noun) != true
  }

  private static let ics = DetachmentRule.pack("ics").0

  /// Whether a base the frequency list offers can take -er and -est: a WordNet adjective can (twangiest →
  /// twangy); another WordNet word cannot, so an agent noun stays (hustler, ranger, breeder); a word WordNet lacks
  /// only in the -ier and -iest forms of a -y adjective (grodier → grody), for a plain -er on such a word is far
  /// more often a noun or a name (javier, heyer) than a comparative.
  private func isComparable(_ hash: UInt64, _ rule: DetachmentRule) -> Bool {
    if let entry = wordNet.lemmas.entry(hash: hash) { return entry.has(.adjective) }
    return rule.replacement == Self.yEnding
  }

  private static let yEnding = DetachmentRule.pack("y").0

  // Part-of-speech lists used on every word, made once (a literal array would be allocated on each call).
  /// The parts of speech that inflect.
  private static let inflected = PartOfSpeech.noun.bit | PartOfSpeech.verb.bit | PartOfSpeech.adjective.bit

  private static let doubleS = DetachmentRule.pack("ss").0

  /// Calls `body` with each base the detachment rules of `pos` give for the word: a prefix length and the packed
  /// ending that replaces the suffix, plus the undoubled base for -ed, -ing, -er and -est (hopped → hop).
  private func forEachBase(
    _ key: WordKey, _ pos: PartOfSpeech, _ body: (Int, UInt32, Int, DetachmentRule) -> Void
  ) {
    for index in DetachmentRule.range(for: pos) {
      let rule = DetachmentRule.all[index]
      guard key.hasSuffix(rule.suffix, length: rule.suffixLength) else { continue }
      let stem = key.count - rule.suffixLength
      body(stem, rule.replacement, rule.replacementLength, rule)
      if rule.undoubles && key.endsInDoubledConsonant(prefix: stem) { body(stem - 1, 0, 0, rule) }
    }
  }

  /// Keeps the base (the first `length` bytes of the word and the packed ending) when it spells the word back and
  /// beats the best so far: WordNet knows it and not the best, or both alike and it is more frequent (the earlier
  /// one on a tie: rule order). `lackingZipf` keeps the Zipf of the most frequent base WordNet lacks that spells the
  /// word. Only a base that wins is made into a string.
  private func consider(
    _ key: WordKey, _ length: Int, _ ending: UInt32, _ endingLength: Int, _ hash: UInt64, _ pos: PartOfSpeech,
    _ inflection: Inflection, _ zipf: Double, known: Bool, _ best: inout Candidate?, _ lackingZipf: inout Double
  ) {
    let wins = best == nil || (known && !best!.known) || (known == best!.known && zipf > best!.zipf)
    guard wins || (!known && zipf > lackingZipf),
      key.withBase(
        prefix: length, ending: ending, endingLength: endingLength,
        { Spelling.spells(key.written, base: $0, inflection) })
    else { return }
    if !known { lackingZipf = max(lackingZipf, zipf) }
    guard wins else { return }
    best = Candidate(
      base: key.string(prefix: length, ending: ending, endingLength: endingLength), hash: hash, pos: pos,
      inflection: inflection, zipf: zipf, known: known)
  }
}
