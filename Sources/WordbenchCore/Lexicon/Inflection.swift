/// The English inflections the lemmatizer undoes.
public enum Inflection: String, Codable, Sendable {
  case plural, thirdPerson, presentParticiple, pastTense, comparative, superlative

  /// How a reason names the inflection: "plural of", "-ing form of".
  var phrase: String {
    switch self {
    case .plural: "plural of"
    case .thirdPerson: "-s form of"
    case .presentParticiple: "-ing form of"
    case .pastTense: "-ed form of"
    case .comparative: "comparative of"
    case .superlative: "superlative of"
    }
  }
}

/// One detachment rule: a word ending in `suffix` may be `suffix` replaced by `replacement` inflected.
///
/// Suffix and replacement are at most four ASCII bytes, packed into integers (first byte lowest), so the rules are
/// plain values: the lemmatizer walks them for every word, and copying them costs no reference counting.
struct DetachmentRule: Sendable {
  let suffix: UInt32
  let suffixLength: Int
  let replacement: UInt32
  let replacementLength: Int
  let inflection: Inflection
  /// -ed, -ing, -er and -est with nothing put back may also undo a doubled consonant (hopped → hop).
  let undoubles: Bool

  init(_ suffix: String, _ replacement: String, _ inflection: Inflection) {
    (self.suffix, suffixLength) = Self.pack(suffix)
    (self.replacement, replacementLength) = Self.pack(replacement)
    self.inflection = inflection
    undoubles =
      replacement.isEmpty && [.pastTense, .presentParticiple, .comparative, .superlative].contains(inflection)
  }

  static func pack(_ text: String) -> (UInt32, Int) {
    var packed: UInt32 = 0
    for (index, byte) in text.utf8.enumerated() { packed |= UInt32(byte) << (8 * index) }
    return (packed, text.utf8.count)
  }

  /// WordNet's rules of detachment (morphy), less NLTK's `ves → f` (the real -ves plurals are in noun.exc, and the
  /// rule turns "believes" into "belief"), plus -ied, -ier, -iest and -oes, which morphy lacks: nouns, then verbs,
  /// then adjectives (`range(for:)`).
  ///
  /// A fixed-size value rather than arrays: the lemmatizer's threads walk the rules for every word, and a shared
  /// array's reference count, written by both cores at once, cost more than the walk.
  static let all: InlineArray<25, DetachmentRule> = [
    .init("s", "", .plural), .init("ses", "s", .plural), .init("xes", "x", .plural), .init("zes", "z", .plural),
    .init("ches", "ch", .plural), .init("shes", "sh", .plural), .init("men", "man", .plural),
    .init("ies", "y", .plural), .init("oes", "o", .plural),

    .init("s", "", .thirdPerson), .init("ies", "y", .thirdPerson), .init("es", "e", .thirdPerson),
    .init("es", "", .thirdPerson), .init("ed", "e", .pastTense), .init("ed", "", .pastTense),
    .init("ied", "y", .pastTense), .init("ing", "e", .presentParticiple), .init("ing", "", .presentParticiple),
    .init("ying", "ie", .presentParticiple),

    .init("er", "", .comparative), .init("est", "", .superlative), .init("er", "e", .comparative),
    .init("est", "e", .superlative), .init("ier", "y", .comparative), .init("iest", "y", .superlative),
  ]

  /// The positions in `all` of the rules of `pos`; adverbs have none.
  static func range(for pos: PartOfSpeech) -> Range<Int> {
    switch pos {
    case .noun: 0..<9
    case .verb: 9..<19
    case .adjective: 19..<25
    case .adverb: 25..<25
    }
  }

  /// The longest stretch a rule cuts from the end of a word: a four-byte suffix and one undoubled consonant.
  static let longestCut = 5
}
