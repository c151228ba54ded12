import Foundation

/// The cleaning stage of every filter preset: lowercase, letters with inner hyphens or apostrophes only, and
/// length bounds.
public enum WordCleaner {
  public static let minimumLength = 2
  public static let maximumLength = 45

  /// The cleaned word, or why it is dropped.
  public static func clean(_ word: String) -> Result<String, CleaningProblem> {
    // Lowercase ASCII letters within the length bounds, nearly every word of a word list, pass as they are.
    var bytes = word
    if bytes.withUTF8(isCleanAsIs) { return .success(word) }
    let lowered = Lemmatizer.straightenApostrophes(Lemmatizer.lowercase(word))
    if let ascii = cleanASCII(lowered) { return ascii }
    let count = lowered.count
    if count < minimumLength { return .failure(.tooShort) }
    if count > maximumLength { return .failure(.tooLong) }
    var previousWasJoiner = true
    for character in lowered {
      if character.isLetter {
        previousWasJoiner = false
      } else if character == "-" || character == "'" {
        if previousWasJoiner { return .failure(.misplacedJoiner(character)) }
        previousWasJoiner = true
      } else {
        return .failure(.notALetter(character))
      }
    }
    if previousWasJoiner { return .failure(.misplacedJoiner(lowered.last ?? "-")) }
    return .success(lowered)
  }
}

extension WordCleaner {
  /// True for a word cleaning leaves as it is without a closer look: lowercase ASCII letters within the length
  /// bounds.
  @inline(__always)
  static func isCleanAsIs(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    (minimumLength...maximumLength).contains(bytes.count) && isPlain(bytes)
  }

  /// True when every byte is a lowercase ASCII letter: one pass over the bytes, for the common case.
  @inline(__always)
  static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    bytes.allSatisfy { $0 &- 0x61 < 26 }
  }

  /// The same rules on the bytes of a lowercase ASCII word (the usual case); nil for anything else.
  static func cleanASCII(_ word: String) -> Result<String, CleaningProblem>? {
    let bytes = word.utf8
    guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
    if bytes.count < minimumLength { return .failure(.tooShort) }
    if bytes.count > maximumLength { return .failure(.tooLong) }
    var previousWasJoiner = true
    for byte in bytes {
      if byte >= 0x61 && byte <= 0x7A {
        previousWasJoiner = false
      } else if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'") {
        if previousWasJoiner { return .failure(.misplacedJoiner(Character(Unicode.Scalar(byte)))) }
        previousWasJoiner = true
      } else {
        return .failure(.notALetter(Character(Unicode.Scalar(byte))))
      }
    }
    if previousWasJoiner { return .failure(.misplacedJoiner(Character(Unicode.Scalar(bytes.last ?? 0x2D)))) }
    return .success(word)
  }
}

/// Why cleaning dropped a word.
public enum CleaningProblem: Error, Equatable, Sendable, CustomStringConvertible {
  case tooShort
  case tooLong
  case notALetter(Character)
  case misplacedJoiner(Character)

  public var description: String {
    switch self {
    case .tooShort: "shorter than \(WordCleaner.minimumLength) letters"
    case .tooLong: "longer than \(WordCleaner.maximumLength) letters"
    case .notALetter(let character): "contains \"\(character)\", which is not a letter"
    case .misplacedJoiner(let character): "\"\(character)\" only goes between letters"
    }
  }
}

extension String {
  /// Replaces every `target` with `replacement`; a quick byte scan first, since the lexicon's hot paths call this
  /// on words that almost never hold `target`.
  func replacingCharacter(_ target: Character, with replacement: Character) -> String {
    if let byte = target.asciiValue, !utf8.contains(byte) { return self }
    return String(map { $0 == target ? replacement : $0 })
  }

  /// The string without its last `count` bytes, which must end on a character boundary (an ASCII suffix does).
  func droppingLastBytes(_ count: Int) -> String {
    String(decoding: utf8.dropLast(count), as: UTF8.self)
  }
}
