import Foundation

/// English word frequencies on the Zipf scale (log10 of occurrences per billion words: 7.7 for "the", 3 for a word
/// seen about once per million words, 0 for words the list does not have), from wordfreq's large English list.
///
/// Bundled sorted by word (`scripts/build-lexicon-resources.sh`), so loading is one read and a lookup a binary
/// search.
public struct WordFrequencies: Sendable {
  let index: KeyedLines

  public static let resourceName = "wordfreq-en-large.sorted"

  /// The bundled list.
  public static func bundled() throws -> WordFrequencies {
    guard let url = Bundle.module.url(forResource: resourceName, withExtension: "tsv", subdirectory: "Resources"),
      let data = FileManager.default.contents(atPath: url.path)
    else { throw LexiconError.resourceMissing("\(resourceName).tsv") }
    return WordFrequencies(index: KeyedLines(bytes: [UInt8](data), separator: 0x09))
  }

  /// A list from `word<TAB>zipf` lines, in any order.
  public init(tsv: String) {
    index = KeyedLines(bytes: Array(tsv.utf8), separator: 0x09)
  }

  init(index: KeyedLines) { self.index = index }

  /// The Zipf frequency of `word` (looked up in lowercase), 0 when unknown.
  public func zipf(_ word: String) -> Double {
    zipf(lowercase: word.lowercased())
  }

  /// `zipf` for a word known to be lowercase already (the lemmatizer's hot path).
  func zipf(lowercase word: String) -> Double {
    guard let value = index.value(for: word) else { return 0 }
    return Self.parseDecimal(value)
  }

  /// True when the list has `word`.
  public func contains(_ word: String) -> Bool { index.contains(word.lowercased()) }

  /// "4.85" → 4.85, without going through String and Double parsing.
  static func parseDecimal(_ bytes: ArraySlice<UInt8>) -> Double {
    var whole = 0.0
    var fraction = 0.0
    var scale = 1.0
    var afterPoint = false
    for byte in bytes {
      if byte == UInt8(ascii: ".") {
        afterPoint = true
      } else if byte >= 0x30 && byte <= 0x39 {
        if afterPoint {
          scale /= 10
          fraction += Double(byte - 0x30) * scale
        } else {
          whole = whole * 10 + Double(byte - 0x30)
        }
      } else {
        break
      }
    }
    return whole + fraction
  }

  public var count: Int { index.count }
}
