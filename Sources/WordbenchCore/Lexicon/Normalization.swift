/// Why a word was reduced to its lemma (or kept), so every decision can be explained.
public enum NormalizationReason: Equatable, Sendable, CustomStringConvertible {
  /// The word is a WordNet lemma itself and stays.
  case headword([PartOfSpeech])
  /// An irregular form from WordNet's exception lists (geese → goose, was → be).
  case irregular(base: String, PartOfSpeech)
  /// A regular inflection of a WordNet lemma (hoping → hope).
  case inflection(Inflection, base: String, PartOfSpeech)
  /// A WordNet lemma that is nearly always just the inflected form of another (years → year).
  case rareHeadword(Inflection?, base: String, PartOfSpeech, tagged: Int, baseTagged: Int)
  /// A WordNet lemma never sense-tagged, and an inflection of a more frequent word WordNet lacks (bikers → biker).
  case untaggedHeadword(Inflection, base: String)
  /// Not in WordNet; a regular inflection by spelling rules of a word the frequency list knows (bikers → biker).
  case spelling(Inflection, base: String, zipf: Double)
  /// A hyphenated compound whose last part was reduced (self-assessments → self-assessment).
  case compound(Inflection, base: String)
  /// A possessive ('s or s'), reduced like the word it belongs to.
  indirect case possessive(of: String, then: Normalization?)
  /// A contraction (don't, it's), kept whole.
  case contraction
  /// Not in WordNet; in -ics with a base in -ic the frequency list knows, but naming a science or a practice
  /// (analytics, photonics), not several of that base: kept as is.
  case science(base: String)
  /// Nothing applies: not in WordNet and no inflection of a known word.
  case unknown

  /// A short stable name, for JSON and scripts.
  public var code: String {
    switch self {
    case .headword: "headword"
    case .irregular: "irregular"
    case .inflection: "inflection"
    case .rareHeadword: "rare-headword"
    case .spelling: "spelling"
    case .untaggedHeadword: "rare-headword"
    case .compound: "compound"
    case .possessive: "possessive"
    case .contraction: "contraction"
    case .science: "science"
    case .unknown: "unknown"
    }
  }

  /// "headword (noun, verb)" for every set of parts of speech, made once: most words are headwords.
  private static let headwordDescriptions: [String] = (0..<16).map { mask in
    let parts = PartOfSpeech.allCases.filter { mask & (1 << $0.ordinal) != 0 }
    return "headword (\(parts.map(\.rawValue).joined(separator: ", ")))"
  }

  public var description: String {
    switch self {
    case .headword(let parts):
      return Self.headwordDescriptions[parts.reduce(0) { $0 | 1 << $1.ordinal }]
    case .irregular(let base, let pos):
      return "irregular form of \(base) (\(pos.fileName).exc)"
    case .inflection(let inflection, let base, let pos):
      return "\(inflection.phrase) \(base) (\(pos.rawValue))"
    case .rareHeadword(let inflection, let base, let pos, let tagged, let baseTagged):
      let how = inflection.map { "\($0.phrase) \(base)" } ?? "irregular form of \(base)"
      return "\(how) (\(pos.rawValue)); a headword too, but tagged \(tagged) times against \(baseTagged)"
    case .spelling(let inflection, let base, let zipf):
      return "\(inflection.phrase) \(base) by spelling rules (not in WordNet; \(base) has Zipf \(zipf))"
    case .untaggedHeadword(let inflection, let base):
      return "\(inflection.phrase) \(base) by spelling rules; a WordNet headword too, but never sense-tagged"
    case .compound(let inflection, let base):
      return "compound: last part is the \(inflection.phrase) \(base)"
    case .possessive(let owner, let then):
      return "possessive of \(owner)" + (then.map { "; \($0.reason)" } ?? "")
    case .contraction:
      return "contraction, kept whole"
    case .science(let base):
      return "not in WordNet; in -ics, and \(base) is no WordNet noun, so read as a science or practice, not a plural: "
        + "kept as is"
    case .unknown:
      return "not in WordNet and no known base: kept as is"
    }
  }
}

/// A word, its lemma, and why.
public struct Normalization: Equatable, Sendable {
  public var word: String
  public var lemma: String
  public var reason: NormalizationReason

  public init(word: String, lemma: String, reason: NormalizationReason) {
    self.word = word
    self.lemma = lemma
    self.reason = reason
  }
}

extension Normalization: Encodable {
  enum CodingKeys: String, CodingKey { case word, lemma, reason, explanation }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(word, forKey: .word)
    try container.encode(lemma, forKey: .lemma)
    try container.encode(reason.code, forKey: .reason)
    try container.encode(reason.description, forKey: .explanation)
  }
}
