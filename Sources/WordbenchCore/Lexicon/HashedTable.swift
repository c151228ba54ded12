/// An open-addressing hash table that stores only each key's 64-bit FNV-1a hash beside its value: a lookup is one
/// hash and usually one cache line, and no key bytes are kept or compared. With a few hundred thousand keys the
/// chance that an unknown word shares a full 64-bit hash with one of them is about 10⁻¹⁴, far below any error the
/// data itself has.
struct HashedTable<Value: Sendable>: Sendable {
  private var hashes: [UInt64]
  /// Values by slot; `empty` where no key is (a slot is taken when its hash is not 0).
  private var values: [Value]
  private let empty: Value
  private var mask: Int
  private(set) var count = 0

  /// A table sized for `expectedCount` keys at most 5/8 full, so probes stay short.
  init(expectedCount: Int, empty: Value) {
    var capacity = 16
    while capacity * 5 < expectedCount * 8 { capacity <<= 1 }
    hashes = [UInt64](repeating: 0, count: capacity)
    values = [Value](repeating: empty, count: capacity)
    self.empty = empty
    mask = capacity - 1
  }

  func value(for key: String) -> Value? {
    value(forHash: Self.hash(key))
  }

  func value(forHash hash: UInt64) -> Value? {
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let stored = hashes[slot]
      if stored == hash { return values[slot] }
      if stored == 0 { return nil }
      slot = (slot + 1) & mask
    }
  }

  /// Sets the value of the key with this hash, or changes it with `update` when present.
  mutating func upsert(hash: UInt64, insert: () -> Value?, update: (inout Value) -> Void) {
    if (count + 1) * 8 > hashes.count * 5 { grow() }
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let stored = hashes[slot]
      if stored == hash {
        update(&values[slot])
        return
      }
      if stored == 0 {
        guard let value = insert() else { return }
        hashes[slot] = hash
        values[slot] = value
        count += 1
        return
      }
      slot = (slot + 1) & mask
    }
  }

  private mutating func grow() {
    let oldHashes = hashes
    let oldValues = values
    hashes = [UInt64](repeating: 0, count: oldHashes.count * 2)
    values = [Value](repeating: empty, count: oldHashes.count * 2)
    mask = hashes.count - 1
    for index in oldHashes.indices where oldHashes[index] != 0 {
      var slot = Int(truncatingIfNeeded: oldHashes[index]) & mask
      while hashes[slot] != 0 { slot = (slot + 1) & mask }
      hashes[slot] = oldHashes[index]
      values[slot] = oldValues[index]
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
