import Foundation

/// English word frequencies on the Zipf scale (log10 of occurrences per billion words: 7.7 for "the", 3 for a word
/// seen about once per million words, 0 for words the list does not have), from wordfreq's large English list.
///
/// Bundled as `word<TAB>zipf` lines (`scripts/build-lexicon-resources.sh`) and loaded into a hash table in one pass.
public struct WordFrequencies: Sendable {
  private let table: HashedTable<Float>

  public static let resourceName = "wordfreq-en-large.sorted"

  /// The bundled list, through the lexicon cache when there is one.
  public static func bundled(cache: LexiconCache? = nil) throws -> WordFrequencies {
    guard let url = Bundle.module.url(forResource: resourceName, withExtension: "tsv", subdirectory: "Resources")
    else { throw LexiconError.resourceMissing("\(resourceName).tsv") }
    let cache = cache ?? LexiconCache(environment: [:])
    let table = try cache.table("frequencies", sources: [url], empty: Float(0)) {
      guard let bytes = FileBytes.read(url) else { throw LexiconError.resourceMissing("\(resourceName).tsv") }
      return WordFrequencies(bytes: bytes).table
    }
    // Most lookups are of candidate bases that are not words.
    return WordFrequencies(table: cache.filtered(table, "frequencies", sources: [url]))
  }

  private init(table: HashedTable<Float>) { self.table = table }

  /// A list from `word<TAB>zipf` lines, in any order.
  public init(tsv: String) {
    self.init(bytes: Array(tsv.utf8))
  }

  init(bytes: [UInt8]) {
    let lines = bytes.withUnsafeBufferPointer { buffer in buffer.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
    var table = HashedTable<Float>(expectedCount: lines + 1, empty: 0)
    bytes.withUnsafeBufferPointer { buffer in
      var start = 0
      while start < buffer.count {
        var tab = start
        while tab < buffer.count && buffer[tab] != 0x09 && buffer[tab] != 0x0A { tab += 1 }
        var end = tab
        while end < buffer.count && buffer[end] != 0x0A { end += 1 }
        if tab < end && tab > start {
          let zipf = Float(Self.parseDecimal(UnsafeBufferPointer(rebasing: buffer[(tab + 1)..<end])))
          table.upsert(
            hash: HashedTable<Float>.hash(UnsafeBufferPointer(rebasing: buffer[start..<tab])),
            insert: { zipf }, update: { _ in })
        }
        start = end + 1
      }
    }
    self.table = table
  }

  /// The Zipf frequency of `word` (looked up in lowercase), 0 when unknown.
  public func zipf(_ word: String) -> Double {
    zipf(lowercase: word.lowercased())
  }

  /// `zipf` for a word known to be lowercase already (the lemmatizer's hot path).
  func zipf(lowercase word: String) -> Double {
    table.value(for: word).map { (Double($0) * 100).rounded() / 100 } ?? 0
  }

  /// `zipf` by the word's table hash.
  func zipf(hash: UInt64) -> Double {
    table.value(forHash: hash).map { (Double($0) * 100).rounded() / 100 } ?? 0
  }

  /// True when the list has `word`.
  public func contains(_ word: String) -> Bool { table.value(for: word.lowercased()) != nil }

  public var count: Int { table.count }

  /// "4.85" → 4.85, straight from the bytes.
  static func parseDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double {
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
}
