import Foundation

/// An open-addressing hash table that stores only each key's 64-bit FNV-1a hash beside its value: a lookup is one
/// hash and usually one cache line, and no key bytes are kept or compared. With a few hundred thousand keys the
/// chance that an unknown word shares a full 64-bit hash with one of them is about 10⁻¹⁴, far below any error the
/// data itself has.
struct HashedTable<Value: Sendable>: Sendable {
  /// A key's hash beside its value, so a lookup touches one cache line; hash 0 marks an empty slot.
  private struct Slot: Sendable {
    var hash: UInt64
    var value: Value
  }

  private var slots: [Slot]
  private let empty: Value
  private var mask: Int
  private(set) var count = 0

  /// A table sized for `expectedCount` keys at most 5/8 full, so probes stay short.
  init(expectedCount: Int, empty: Value) {
    var capacity = 16
    while capacity * 5 < expectedCount * 8 { capacity <<= 1 }
    slots = [Slot](repeating: Slot(hash: 0, value: empty), count: capacity)
    self.empty = empty
    mask = capacity - 1
  }

  func value(for key: String) -> Value? {
    value(forHash: Self.hash(key))
  }

  func value(forHash hash: UInt64) -> Value? {
    slots.withUnsafeBufferPointer { slots in
      var index = Int(truncatingIfNeeded: hash) & mask
      while true {
        let stored = slots[index].hash
        if stored == hash { return slots[index].value }
        if stored == 0 { return nil }
        index = (index + 1) & mask
      }
    }
  }

  /// Inserts `value` for the hash unless the hash is there; returns the value already there, or nil if inserted.
  mutating func insertIfAbsent(hash: UInt64, _ value: Value) -> Value? {
    if (count + 1) * 8 > slots.count * 5 { grow() }
    var index = Int(truncatingIfNeeded: hash) & mask
    while true {
      let stored = slots[index].hash
      if stored == hash { return slots[index].value }
      if stored == 0 {
        slots[index] = Slot(hash: hash, value: value)
        count += 1
        return nil
      }
      index = (index + 1) & mask
    }
  }

  /// Sets the value of the key with this hash, or changes it with `update` when present.
  mutating func upsert(hash: UInt64, insert: () -> Value?, update: (inout Value) -> Void) {
    if (count + 1) * 8 > slots.count * 5 { grow() }
    var index = Int(truncatingIfNeeded: hash) & mask
    while true {
      let stored = slots[index].hash
      if stored == hash {
        update(&slots[index].value)
        return
      }
      if stored == 0 {
        guard let value = insert() else { return }
        slots[index] = Slot(hash: hash, value: value)
        count += 1
        return
      }
      index = (index + 1) & mask
    }
  }

  private mutating func grow() {
    let old = slots
    slots = [Slot](repeating: Slot(hash: 0, value: empty), count: old.count * 2)
    mask = slots.count - 1
    for slot in old where slot.hash != 0 {
      var index = Int(truncatingIfNeeded: slot.hash) & mask
      while slots[index].hash != 0 { index = (index + 1) & mask }
      slots[index] = slot
    }
  }

  static func hash(_ key: String) -> UInt64 {
    if let hash = key.utf8.withContiguousStorageIfAvailable({ hash($0) }) { return hash }
    return Array(key.utf8).withUnsafeBufferPointer { hash($0) }
  }

  static var fnvOffset: UInt64 { 0xcbf2_9ce4_8422_2325 }

  @inline(__always)
  static func fnvStep(_ state: UInt64, _ byte: UInt8) -> UInt64 {
    (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
  }

  /// 0 marks an empty slot, so a key hashing to 0 is stored as 1.
  @inline(__always)
  static func finish(_ state: UInt64) -> UInt64 { state == 0 ? 1 : state }

  /// FNV-1a of the key's bytes, as the table stores it.
  @inline(__always)
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var state = fnvOffset
    for byte in key { state = fnvStep(state, byte) }
    return finish(state)
  }
}

extension HashedTable {
  /// Writes the table's memory to `url` atomically, for `LexiconCache`. Slots are plain values, so the bytes are
  /// the whole table.
  func write(to url: URL) throws {
    try slots.withUnsafeBytes { raw in
      try AtomicFile.stream(to: url) { writer in
        try writer.write(UnsafeRawBufferPointer(raw))
      }
    }
  }

  /// A table read from a file `write(to:)` made in the same build; nil when it is missing or malformed.
  init?(contentsOf url: URL, empty: Value) {
    guard let slots = FileBytes.read(url, as: Slot.self), slots.count >= 16, slots.count & (slots.count - 1) == 0
    else { return nil }
    self.slots = slots
    self.empty = empty
    mask = slots.count - 1
    count = slots.reduce(0) { $0 + ($1.hash == 0 ? 0 : 1) }
  }

  /// Bytes per slot; part of the cache fingerprint, so a build with another layout never reads an old cache.
  static var slotStride: Int { MemoryLayout<Slot>.stride }
}
