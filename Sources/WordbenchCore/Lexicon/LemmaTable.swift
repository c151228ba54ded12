import Foundation

/// Every WordNet lemma with the parts of speech it has and how often it was sense-tagged in each, in one open-
/// addressing hash table over the lemmas' bytes: one lookup answers "is it a lemma, of what, how common" for all
/// four parts of speech at once. Built in one pass over the `index.*` files and `cntlist.rev`.
struct LemmaTable: Sendable {
  /// What the table knows of one lemma.
  struct Entry: Sendable {
    /// Bit `ordinal` set for each part of speech the lemma has.
    var parts: UInt8
    /// Sense-tag counts by part of speech ordinal.
    var tags: (Int32, Int32, Int32, Int32)

    func has(_ pos: PartOfSpeech) -> Bool { parts & (1 << pos.ordinal) != 0 }

    func tagCount(_ pos: PartOfSpeech) -> Int {
      switch pos.ordinal {
      case 0: Int(tags.0)
      case 1: Int(tags.1)
      case 2: Int(tags.2)
      default: Int(tags.3)
      }
    }

    mutating func addTags(_ count: Int32, _ pos: PartOfSpeech) {
      switch pos.ordinal {
      case 0: tags.0 += count
      case 1: tags.1 += count
      case 2: tags.2 += count
      default: tags.3 += count
      }
    }
  }

  /// The lemmas' bytes, back to back; an entry's key is `keys[keyStart[i] ..< keyStart[i] + keyLength[i]]`.
  private var keys: [UInt8] = []
  private var keyStart: [Int32] = []
  private var keyLength: [UInt8] = []
  private(set) var entries: [Entry] = []
  /// Entry index by hash slot; -1 is empty.
  private var slots: [Int32]
  private var mask: Int

  init(expectedCount: Int) {
    var capacity = 16
    while capacity < expectedCount * 2 { capacity <<= 1 }
    slots = [Int32](repeating: -1, count: capacity)
    mask = capacity - 1
    keys.reserveCapacity(expectedCount * 10)
    entries.reserveCapacity(expectedCount)
  }

  var count: Int { entries.count }

  /// The entry of `word` (WordNet spelling: underscores for spaces), if it is a lemma.
  func entry(_ word: String) -> Entry? {
    let index =
      word.utf8.withContiguousStorageIfAvailable { find($0) } ?? Array(word.utf8).withUnsafeBufferPointer { find($0) }
    return index.map { entries[$0] }
  }

  /// Adds `pos` (and tag counts) to the lemma spelled by `key`, inserting it when new.
  mutating func add(_ key: UnsafeBufferPointer<UInt8>, _ pos: PartOfSpeech, tags: Int32 = 0, insert: Bool = true) {
    if let index = find(key) {
      if insert { entries[index].parts |= 1 << pos.ordinal }
      entries[index].addTags(tags, pos)
      return
    }
    guard insert, key.count <= 255 else { return }
    if entries.count * 2 >= slots.count { grow() }
    let index = Int32(entries.count)
    keyStart.append(Int32(keys.count))
    keyLength.append(UInt8(key.count))
    keys.append(contentsOf: key)
    var entry = Entry(parts: 1 << pos.ordinal, tags: (0, 0, 0, 0))
    entry.addTags(tags, pos)
    entries.append(entry)
    place(index, hash: Self.hash(key))
  }

  /// The key of every entry, in insertion order.
  func forEachKey(where predicate: (Entry) -> Bool, _ body: (ArraySlice<UInt8>) -> Void) {
    for index in entries.indices where predicate(entries[index]) {
      let start = Int(keyStart[index])
      body(keys[start..<start + Int(keyLength[index])])
    }
  }

  private func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
    var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
    return keys.withUnsafeBufferPointer { keyBytes -> Int? in
      while true {
        let index = Int(slots[slot])
        if index < 0 { return nil }
        if Int(keyLength[index]) == key.count,
          key.count == 0 || memcmp(keyBytes.baseAddress! + Int(keyStart[index]), key.baseAddress!, key.count) == 0
        {
          return index
        }
        slot = (slot + 1) & mask
      }
    }
  }

  private mutating func place(_ index: Int32, hash: UInt64) {
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot] >= 0 { slot = (slot + 1) & mask }
    slots[slot] = index
  }

  private mutating func grow() {
    slots = [Int32](repeating: -1, count: slots.count * 2)
    mask = slots.count - 1
    for index in entries.indices {
      let start = Int(keyStart[index])
      let hash = keys[start..<start + Int(keyLength[index])].withUnsafeBufferPointer { Self.hash($0) }
      place(Int32(index), hash: hash)
    }
  }

  /// FNV-1a over the key's bytes.
  @inline(__always)
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in key {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01B3
    }
    return hash
  }
}
