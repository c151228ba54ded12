import Foundation

/// English spelling rules for adding inflectional endings, used to check that a candidate base really spells the
/// word: "hoping" is hope + ing (hop + ing is "hopping"), "bared" is bare + ed (bar + ed is "barred").
///
/// The rules read UTF-8 bytes, because the lemmatizer checks several candidate bases for most words and building
/// strings for each cost more than the rest of its work. Letters are ASCII: a non-ASCII byte is neither a vowel nor
/// a consonant letter, so no rule that depends on the letter class (doubling, y to i) applies to it.
enum Spelling {
  @inline(__always)
  static func isVowel(_ byte: UInt8) -> Bool {
    byte == 0x61 || byte == 0x65 || byte == 0x69 || byte == 0x6F || byte == 0x75
  }

  /// True when `word` is a spelling of `base` with `inflection`.
  static func spells(_ word: UnsafeBufferPointer<UInt8>, base: UnsafeBufferPointer<UInt8>, _ inflection: Inflection)
    -> Bool
  {
    // Every spelling is the base less at most its last three bytes plus a short ending; most candidates fail here.
    let stem = max(0, base.count - 3)
    guard word.count >= stem, samePrefix(word, base, stem) else {
      return false
    }
    var found = false
    forEachForm(of: base, inflection) { form in
      if !found && form.spells(word, base) { found = true }
    }
    return found
  }

  /// True when the first `count` bytes of both are the same (both have at least `count`).
  static func samePrefix(_ one: UnsafeBufferPointer<UInt8>, _ other: UnsafeBufferPointer<UInt8>, _ count: Int) -> Bool {
    count == 0 || memcmp(one.baseAddress!, other.baseAddress!, count) == 0
  }

  /// Every spelling of `base` with `inflection` that English allows, as strings.
  static func inflect(_ base: String, _ inflection: Inflection) -> [String] {
    var base = base
    return base.withUTF8 { bytes in
      var forms: [String] = []
      forEachForm(of: bytes, inflection) { forms.append($0.string(bytes)) }
      return forms
    }
  }

  /// One spelling: the first `kept` bytes of the base, then `ending`.
  struct Form {
    var kept: Int
    var ending: Ending

    func spells(_ word: UnsafeBufferPointer<UInt8>, _ base: UnsafeBufferPointer<UInt8>) -> Bool {
      guard word.count == kept + ending.count, samePrefix(word, base, kept)
      else {
        return false
      }
      var rest = ending.packed
      for index in kept..<word.count {
        if word[index] != UInt8(truncatingIfNeeded: rest) { return false }
        rest >>= 8
      }
      return true
    }

    func string(_ base: UnsafeBufferPointer<UInt8>) -> String {
      var bytes = Array(base[0..<kept])
      var rest = ending.packed
      for _ in 0..<ending.count {
        bytes.append(UInt8(truncatingIfNeeded: rest))
        rest >>= 8
      }
      return String(decoding: bytes, as: UTF8.self)
    }
  }

  /// Up to eight ASCII bytes packed into an integer, first byte lowest: endings are built without allocating.
  struct Ending {
    var packed: UInt64
    var count: Int

    init(_ text: StaticString) {
      packed = 0
      count = text.utf8CodeUnitCount
      for index in 0..<count { packed |= UInt64(text.utf8Start[index]) << (8 * index) }
    }

    /// `byte` followed by this ending: "i" + "ed", the doubled "p" + "ing".
    func after(_ byte: UInt8) -> Ending {
      var result = self
      result.packed = packed << 8 | UInt64(byte)
      result.count = count + 1
      return result
    }
  }

  private static let s = Ending("s")
  private static let es = Ending("es")
  private static let ies = Ending("ies")
  private static let men = Ending("men")
  private static let ying = Ending("ying")

  /// The ending each vowel-initial inflection adds.
  private static func vowelSuffix(_ inflection: Inflection) -> Ending? {
    switch inflection {
    case .plural, .thirdPerson: nil
    case .presentParticiple: Ending("ing")
    case .pastTense: Ending("ed")
    case .comparative: Ending("er")
    case .superlative: Ending("est")
    }
  }

  static func forEachForm(
    of base: UnsafeBufferPointer<UInt8>, _ inflection: Inflection, _ body: (Form) -> Void
  ) {
    if let suffix = vowelSuffix(inflection) {
      vowelSuffixForms(base, suffix, ing: inflection == .presentParticiple, body)
    } else {
      sForms(base, noun: inflection == .plural, body)
    }
  }

  private static func ends(_ base: UnsafeBufferPointer<UInt8>, with text: StaticString) -> Bool {
    let count = text.utf8CodeUnitCount
    guard base.count >= count else { return false }
    for index in 0..<count where base[base.count - count + index] != text.utf8Start[index] { return false }
    return true
  }

  /// -s and -es: boxes, churches, heroes, quizzes, cities, women. A base ending in s, x, z or sh takes -es only
  /// (tress is not tre + s); -ch takes both, for it may sound like k (stomachs, monarchs).
  private static func sForms(_ base: UnsafeBufferPointer<UInt8>, noun: Bool, _ body: (Form) -> Void) {
    let count = base.count
    guard let last = base.last else { return body(Form(kept: count, ending: s)) }
    if !(last == 0x73 || last == 0x78 || last == 0x7A || ends(base, with: "sh")) { body(Form(kept: count, ending: s)) }
    if last == 0x73 || last == 0x78 || last == 0x7A || last == 0x6F || ends(base, with: "ch") || ends(base, with: "sh")
    {
      body(Form(kept: count, ending: es))
    }
    if last == 0x7A || last == 0x73 { body(Form(kept: count, ending: es.after(last))) }
    if count >= 2, last == 0x79, !isVowel(base[count - 2]) { body(Form(kept: count - 1, ending: ies)) }
    if noun && ends(base, with: "man") { body(Form(kept: count - 3, ending: men)) }
  }

  /// -ing, -ed, -er, -est: silent e dropped, y after a consonant to i (not before -ing), ie to y before -ing,
  /// a final consonant after a single vowel doubled (always in one syllable, optionally in longer words), c to ck.
  private static func vowelSuffixForms(
    _ base: UnsafeBufferPointer<UInt8>, _ suffix: Ending, ing: Bool, _ body: (Form) -> Void
  ) {
    let count = base.count
    guard let last = base.last else { return body(Form(kept: 0, ending: suffix)) }
    if ing && ends(base, with: "ie") { body(Form(kept: count - 2, ending: ying)) }
    if last == 0x65 {
      body(Form(kept: count - 1, ending: suffix))
      if ing { body(Form(kept: count, ending: suffix)) }
    } else if last == 0x79, count >= 2, !isVowel(base[count - 2]), !ing {
      body(Form(kept: count - 1, ending: suffix.after(0x69)))
    } else if isConsonantVowelConsonant(base) {
      body(Form(kept: count, ending: suffix.after(last)))
      if syllables(base) > 1 { body(Form(kept: count, ending: suffix)) }
    } else if last == 0x63 {
      body(Form(kept: count, ending: suffix.after(0x6B)))
      body(Form(kept: count, ending: suffix))
    } else {
      body(Form(kept: count, ending: suffix))
    }
  }

  /// Ends in consonant, single vowel, consonant (not w, x or y): hop, stop, visit; "qu" counts as a consonant.
  static func isConsonantVowelConsonant(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
    let count = word.count
    guard count >= 3 else { return false }
    let last = word[count - 1]
    let isLetter = (last >= 0x61 && last <= 0x7A) || (last >= 0x41 && last <= 0x5A)
    guard isLetter, !isVowel(last), last != 0x77, last != 0x78, last != 0x79, isVowel(word[count - 2]) else {
      return false
    }
    let before = word[count - 3]
    if before == 0x75, count >= 4, word[count - 4] == 0x71 { return true }
    return !isVowel(before)
  }

  /// Vowel groups (y counts as a vowel), a rough syllable count.
  static func syllables(_ word: UnsafeBufferPointer<UInt8>) -> Int {
    var count = 0
    var inVowel = false
    for byte in word {
      let isVowel = isVowel(byte) || byte == 0x79
      if isVowel && !inVowel { count += 1 }
      inVowel = isVowel
    }
    return count
  }
}
