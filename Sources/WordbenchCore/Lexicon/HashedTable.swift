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

  /// The slots of a table built in memory; empty while the table is a mapped cache file.
  private var slots: [Slot]
  /// A cache file of slots mapped read-only (`init(contentsOf:)`): lookups read it in place, and only the pages
  /// they touch are ever read. A change copies it into `slots` first.
  private var mapped: MappedFile?
  private let empty: Value
  private var mask: Int
  private var storedCount = 0
  /// Answers most lookups of absent keys from cache (`filtered(by:)`); dropped by any change.
  private var presence: PresenceFilter?

  /// A table sized for `expectedCount` keys at most 5/8 full, so probes stay short.
  init(expectedCount: Int, empty: Value) {
    var capacity = 16
    while capacity * 5 < expectedCount * 8 { capacity <<= 1 }
    slots = [Slot](repeating: Slot(hash: 0, value: empty), count: capacity)
    self.empty = empty
    mask = capacity - 1
  }

  /// The number of keys.
  var count: Int {
    guard let mapped else { return storedCount }
    return mapped.bytes.assumingMemoryBound(to: Slot.self).reduce(0) { $0 + ($1.hash == 0 ? 0 : 1) }
  }

  /// A presence filter of this table's keys, for tables probed far more often for keys they lack than for keys
  /// they have (see `filtered(by:)`).
  func presenceFilter() -> PresenceFilter {
    withSlots { slots in
      PresenceFilter(count: count) { add in
        for slot in slots where slot.hash != 0 { add(slot.hash) }
      }
    }
  }

  /// This table answering lookups of keys `filter` rules out without probing.
  func filtered(by filter: PresenceFilter) -> HashedTable {
    var filtered = self
    filtered.presence = filter
    return filtered
  }

  /// Calls `body` with the slots, wherever they live.
  private func withSlots<Result>(_ body: (UnsafeBufferPointer<Slot>) throws -> Result) rethrows -> Result {
    if let mapped { return try body(mapped.bytes.assumingMemoryBound(to: Slot.self)) }
    return try slots.withUnsafeBufferPointer(body)
  }

  /// Copies mapped slots into memory before a change.
  private mutating func makeWritable() {
    presence = nil
    guard let file = mapped else { return }
    slots = Array(file.bytes.assumingMemoryBound(to: Slot.self))
    storedCount = count
    mapped = nil
  }

  func value(for key: String) -> Value? {
    value(forHash: Self.hash(key))
  }

  func value(forHash hash: UInt64) -> Value? {
    if let presence, !presence.mayContain(hash) { return nil }
    return withSlots { slots in
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
    makeWritable()
    if (storedCount + 1) * 8 > slots.count * 5 { grow() }
    var index = Int(truncatingIfNeeded: hash) & mask
    while true {
      let stored = slots[index].hash
      if stored == hash { return slots[index].value }
      if stored == 0 {
        slots[index] = Slot(hash: hash, value: value)
        storedCount += 1
        return nil
      }
      index = (index + 1) & mask
    }
  }

  /// Sets the value of the key with this hash, or changes it with `update` when present.
  mutating func upsert(hash: UInt64, insert: () -> Value?, update: (inout Value) -> Void) {
    makeWritable()
    if (storedCount + 1) * 8 > slots.count * 5 { grow() }
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
        storedCount += 1
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
    try withSlots { slots in
      try AtomicFile.stream(to: url) { writer in
        try writer.write(UnsafeRawBufferPointer(slots))
      }
    }
  }

  /// A table read from a file `write(to:)` made in the same build; nil when it is missing or malformed.
  init?(contentsOf url: URL, empty: Value) {
    let stride = MemoryLayout<Slot>.stride
    guard let file = MappedFile(url), file.bytes.count % stride == 0 else { return nil }
    let capacity = file.bytes.count / stride
    guard capacity >= 16, capacity & (capacity - 1) == 0 else { return nil }
    _ = file.bytes.bindMemory(to: Slot.self)
    slots = []
    mapped = file
    self.empty = empty
    mask = capacity - 1
  }

  /// Bytes per slot; part of the cache fingerprint, so a build with another layout never reads an old cache.
  static var slotStride: Int { MemoryLayout<Slot>.stride }
}
