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
  /// rule turns "believes" into "belief"), plus -ied, -ier, -iest and -oes, which morphy lacks.
  static func rules(for pos: PartOfSpeech) -> [DetachmentRule] {
    switch pos {
    case .noun: nounRules
    case .verb: verbRules
    case .adjective: adjectiveRules
    case .adverb: []
    }
  }

  private static let nounRules: [DetachmentRule] = [
    .init("s", "", .plural), .init("ses", "s", .plural), .init("xes", "x", .plural), .init("zes", "z", .plural),
    .init("ches", "ch", .plural), .init("shes", "sh", .plural), .init("men", "man", .plural),
    .init("ies", "y", .plural), .init("oes", "o", .plural),
  ]
  private static let verbRules: [DetachmentRule] = [
    .init("s", "", .thirdPerson), .init("ies", "y", .thirdPerson), .init("es", "e", .thirdPerson),
    .init("es", "", .thirdPerson), .init("ed", "e", .pastTense), .init("ed", "", .pastTense),
    .init("ied", "y", .pastTense), .init("ing", "e", .presentParticiple), .init("ing", "", .presentParticiple),
    .init("ying", "ie", .presentParticiple),
  ]
  private static let adjectiveRules: [DetachmentRule] = [
    .init("er", "", .comparative), .init("est", "", .superlative), .init("er", "e", .comparative),
    .init("est", "e", .superlative), .init("ier", "y", .comparative), .init("iest", "y", .superlative),
  ]

  /// The longest stretch a rule cuts from the end of a word: a four-byte suffix and one undoubled consonant.
  static let longestCut = 5
}

/// English spelling rules for adding inflectional endings, used to check that a candidate base really spells the
/// word: "hoping" is hope + ing (hop + ing is "hopping"), "bared" is bare + ed (bar + ed is "barred").
enum Spelling {
  static let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
  static let vowelBytes: [UInt8] = Array("aeiou".utf8)

  /// Every spelling of `base` with `inflection` that English allows.
  static func inflect(_ base: String, _ inflection: Inflection) -> [String] {
    switch inflection {
    case .plural, .thirdPerson: sForms(base, noun: inflection == .plural)
    case .presentParticiple: vowelSuffixForms(base, "ing")
    case .pastTense: vowelSuffixForms(base, "ed")
    case .comparative: vowelSuffixForms(base, "er")
    case .superlative: vowelSuffixForms(base, "est")
    }
  }

  /// True when `word` is a spelling of `base` with `inflection`.
  static func spells(_ word: String, base: String, _ inflection: Inflection) -> Bool {
    // Every spelling is the base (perhaps less its last one or two letters) plus a short ending, so a word that
    // does not start with the base less two letters cannot be one; most candidates fail this cheap test.
    let stem = base.utf8.count > 2 ? base.droppingLastBytes(2) : ""
    guard word.utf8.starts(with: stem.utf8) else { return false }
    return inflect(base, inflection).contains(word)
  }

  private static func sForms(_ base: String, noun: Bool) -> [String] {
    var forms = [base + "s"]
    if ["s", "x", "z", "ch", "sh", "o"].contains(where: base.hasSuffix) { forms.append(base + "es") }
    if base.hasSuffix("z") || base.hasSuffix("s") { forms.append(base + String(base.last!) + "es") }
    if base.count >= 2, base.hasSuffix("y"), !vowels.contains(base.dropLast().last!) {
      forms.append(base.dropLast() + "ies")
    }
    if noun && base.hasSuffix("man") { forms.append(base.dropLast(3) + "men") }
    return forms
  }

  /// -ing, -ed, -er, -est: silent e dropped, y after a consonant to i (not before -ing), ie to y before -ing,
  /// a final consonant after a single vowel doubled (always in one syllable, optionally in longer words), c to ck.
  private static func vowelSuffixForms(_ base: String, _ suffix: String) -> [String] {
    var forms: [String] = []
    let last = base.last
    if suffix == "ing" && base.hasSuffix("ie") {
      forms.append(base.dropLast(2) + "ying")
    }
    if last == "e" {
      forms.append(base.dropLast() + suffix)
      if suffix == "ing" { forms.append(base + suffix) }
    } else if last == "y", base.count >= 2, !vowels.contains(base.dropLast().last!), suffix != "ing" {
      forms.append(base.dropLast() + "i" + suffix)
    } else if isConsonantVowelConsonant(base) {
      forms.append(base + String(last!) + suffix)
      if syllables(base) > 1 { forms.append(base + suffix) }
    } else if last == "c" {
      forms.append(base + "k" + suffix)
      forms.append(base + suffix)
    } else {
      forms.append(base + suffix)
    }
    return forms
  }

  /// Ends in consonant, single vowel, consonant (not w, x or y): hop, stop, visit; "qu" counts as a consonant.
  static func isConsonantVowelConsonant(_ word: String) -> Bool {
    let letters = Array(word)
    guard letters.count >= 3 else { return false }
    let last = letters[letters.count - 1]
    let middle = letters[letters.count - 2]
    let before = letters[letters.count - 3]
    guard !vowels.contains(last), !"wxy".contains(last), last.isLetter, vowels.contains(middle) else { return false }
    if before == "u", letters.count >= 4, letters[letters.count - 4] == "q" { return true }
    return !vowels.contains(before)
  }

  /// Vowel groups, a rough syllable count.
  static func syllables(_ word: String) -> Int {
    var count = 0
    var inVowel = false
    for letter in word {
      let isVowel = vowels.contains(letter) || letter == "y"
      if isVowel && !inVowel { count += 1 }
      inVowel = isVowel
    }
    return count
  }
}
