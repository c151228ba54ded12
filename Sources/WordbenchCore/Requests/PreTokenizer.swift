/// Splits text into the pieces that byte-pair encoding works on, exactly as `o200k_base`'s pattern does
/// (tokenizer.md), without a regular-expression engine:
///
/// ```
/// [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
/// |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
/// |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
/// ```
///
/// Each alternative is matched with the backtracking a regex engine would do, worked out by hand: the first
/// alternative that matches at a position wins, and every position matches one.
struct PreTokenizer {
  /// What the pattern asks of one character.
  struct Traits: OptionSet {
    let rawValue: UInt8
    /// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`
    static let upper = Traits(rawValue: 1)
    /// `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`
    static let lower = Traits(rawValue: 2)
    /// `\p{L}`
    static let letter = Traits(rawValue: 4)
    /// `\p{N}`
    static let number = Traits(rawValue: 8)
    /// `\s` (Unicode White_Space)
    static let space = Traits(rawValue: 16)
    /// `[\r\n]`
    static let lineBreak = Traits(rawValue: 32)
  }

  private var scalars: [Unicode.Scalar] = []
  private var traits: [Traits] = []
  /// The UTF-8 offset of each scalar, and the text's length last.
  private var offsets: [Int] = []

  /// Calls `body` with the UTF-8 byte range of each piece of `text`, in order.
  static func forEachPiece(_ text: String, _ body: (Range<Int>) -> Void) {
    var splitter = PreTokenizer()
    splitter.load(text)
    var index = 0
    while index < splitter.scalars.count {
      let end = splitter.match(at: index)
      body(splitter.offsets[index]..<splitter.offsets[end])
      index = end
    }
  }

  private mutating func load(_ text: String) {
    var offset = 0
    for scalar in text.unicodeScalars {
      scalars.append(scalar)
      traits.append(Self.traits(of: scalar))
      offsets.append(offset)
      offset += UTF8.width(scalar)
    }
    offsets.append(offset)
  }

  /// The end of the piece that starts at `index`.
  private func match(at index: Int) -> Int {
    let prefixed = index + 1
    let canPrefix = !has(index, [.lineBreak, .letter, .number])
    for letters in [lettersLowerLast, lettersUpperFirst] {
      if canPrefix, let end = letters(prefixed) { return end }
      if let end = letters(index) { return end }
    }
    if has(index, .number) {
      var end = index + 1
      while end < index + 3 && has(end, .number) { end += 1 }
      return end
    }
    if let end = punctuation(index) { return end }
    return whitespace(index)
  }

  /// `[upper]*[lower]+'s?`: the greedy upper run gives back characters until a lower one can follow.
  private func lettersLowerLast(_ start: Int) -> Int? {
    var upperEnd = start
    while has(upperEnd, .upper) { upperEnd += 1 }
    var lowerStart = upperEnd
    if !has(upperEnd, .lower) {
      lowerStart = upperEnd - 1
      while lowerStart >= start && !has(lowerStart, .lower) { lowerStart -= 1 }
      if lowerStart < start { return nil }
    }
    var end = lowerStart
    while has(end, .lower) { end += 1 }
    return contraction(end)
  }

  /// `[upper]+[lower]*'s?`
  private func lettersUpperFirst(_ start: Int) -> Int? {
    var end = start
    while has(end, .upper) { end += 1 }
    if end == start { return nil }
    while has(end, .lower) { end += 1 }
    return contraction(end)
  }

  /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)?` after `end`.
  private func contraction(_ end: Int) -> Int {
    guard end + 1 < scalars.count, scalars[end] == "'" else { return end }
    let first = folded(end + 1)
    // ſ (U+017F) folds to s under the pattern's Unicode case-insensitivity.
    if ["s", "t", "m", "d"].contains(first) || scalars[end + 1] == "\u{17F}" { return end + 2 }
    guard end + 2 < scalars.count else { return end }
    switch (first, folded(end + 2)) {
    case ("r", "e"), ("v", "e"), ("l", "l"): return end + 3
    default: return end
    }
  }

  /// ` ?[^\s\p{L}\p{N}]+[\r\n/]*`
  private func punctuation(_ index: Int) -> Int? {
    let other: Traits = [.space, .letter, .number]
    var start = index
    if scalars[index] == " " && index + 1 < scalars.count && !has(index + 1, other) { start += 1 }
    guard !has(start, other), start < scalars.count else { return nil }
    var end = start
    while end < scalars.count && !has(end, other) { end += 1 }
    while has(end, .lineBreak) || (end < scalars.count && scalars[end] == "/") { end += 1 }
    return end
  }

  /// `\s*[\r\n]+|\s+(?!\S)|\s+`, for a position that holds whitespace.
  private func whitespace(_ index: Int) -> Int {
    var end = index
    while has(end, .space) { end += 1 }
    var lastBreak = end - 1
    while lastBreak >= index && !has(lastBreak, .lineBreak) { lastBreak -= 1 }
    if lastBreak >= index { return lastBreak + 1 }
    if end == scalars.count || end - 1 == index { return end }
    return end - 1
  }

  private func has(_ index: Int, _ wanted: Traits) -> Bool {
    index < traits.count && !traits[index].isDisjoint(with: wanted)
  }

  private func folded(_ index: Int) -> Character {
    let scalar = scalars[index]
    guard scalar.isASCII else { return Character(scalar) }
    return Character(Unicode.Scalar(UInt8(scalar.value) | (scalar.value >= 0x41 && scalar.value <= 0x5A ? 0x20 : 0)))
  }

  // MARK: - Character classes

  private static let asciiTraits: [Traits] = (0..<128).map { traits(ofNonTable: Unicode.Scalar(UInt8($0))) }

  static func traits(of scalar: Unicode.Scalar) -> Traits {
    scalar.isASCII ? asciiTraits[Int(scalar.value)] : traits(ofNonTable: scalar)
  }

  private static func traits(ofNonTable scalar: Unicode.Scalar) -> Traits {
    var traits: Traits = []
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .titlecaseLetter: traits = [.upper, .letter]
    case .lowercaseLetter: traits = [.lower, .letter]
    case .modifierLetter, .otherLetter: traits = [.upper, .lower, .letter]
    case .nonspacingMark, .spacingMark, .enclosingMark: traits = [.upper, .lower]
    case .decimalNumber, .letterNumber, .otherNumber: traits = .number
    default: break
    }
    if scalar.properties.isWhitespace { traits.insert(.space) }
    if scalar == "\r" || scalar == "\n" { traits.insert(.lineBreak) }
    return traits
  }
}
