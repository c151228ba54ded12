import Foundation

/// A Bloom filter of the hashes a `HashedTable` holds, each key's four bits in one 64-bit word: it answers
/// "certainly absent" for nearly every key the table lacks, from a few hundred kilobytes that stay in a core's cache.
///
/// The lemmatizer looks up several candidate bases for every word, and most are not words ("aardvarke"). In the
/// multi-megabyte tables each such miss waits for main memory (about 200 ns here); the filter answers in about
/// 20 ns and sends only about one absent key in a hundred on to the table (measured with random keys at the sizes
/// of the lemma and frequency tables: 0.7 % and 1.0 %).
struct PresenceFilter: Sendable {
  private let words: [UInt64]
  private let mask: Int

  /// About 12 bits per key (`count` of them, given to `forEachHash`'s body), rounded up to a power of two words.
  init(count keys: Int, _ forEachHash: ((UInt64) -> Void) -> Void) {
    var count = 64
    while count * 64 < keys * 12 { count <<= 1 }
    var words = [UInt64](repeating: 0, count: count)
    forEachHash { hash in
      let mixed = Self.mix(hash)
      words[Int(truncatingIfNeeded: mixed >> 40) & (count - 1)] |= Self.bits(mixed)
    }
    self.words = words
    mask = count - 1
  }

  /// A filter read back from `write(to:)`'s file; nil when it is missing or malformed.
  init?(contentsOf url: URL) {
    guard let words = FileBytes.read(url, as: UInt64.self), words.count >= 64, words.count & (words.count - 1) == 0
    else { return nil }
    self.words = words
    mask = words.count - 1
  }

  func write(to url: URL) throws {
    try words.withUnsafeBytes { raw in try AtomicFile.stream(to: url) { try $0.write(raw) } }
  }

  /// False only when the hash was certainly not among those the filter was made from.
  @inline(__always)
  func mayContain(_ hash: UInt64) -> Bool {
    let mixed = Self.mix(hash)
    let bits = Self.bits(mixed)
    return words[Int(truncatingIfNeeded: mixed >> 40) & mask] & bits == bits
  }

  /// Table hashes are FNV-1a, whose bits are not equally mixed; one multiplication spreads them.
  @inline(__always)
  private static func mix(_ hash: UInt64) -> UInt64 { hash &* 0x9E37_79B9_7F4A_7C15 }

  /// Four bit positions within the key's word.
  @inline(__always)
  private static func bits(_ mixed: UInt64) -> UInt64 {
    1 << (mixed & 63) | 1 << ((mixed >> 6) & 63) | 1 << ((mixed >> 12) & 63) | 1 << ((mixed >> 18) & 63)
  }
}
