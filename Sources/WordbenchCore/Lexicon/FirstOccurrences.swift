/// For each of many 64-bit keys, the position of the first equal key: deduplication and grouping in corpus order.
///
/// One hash table over a few hundred thousand keys is several megabytes, and on a shared machine nearly every
/// probe of it waits for main memory (about 200 ns here, against 20 ns for a table that fits in the core's cache).
/// So the keys are first spread into buckets by their top bits, keeping their order, and each bucket is then
/// deduplicated with a small table that stays in cache. Keys are table hashes (see `HashedTable`); 0 means "no
/// key" and gets -1.
enum FirstOccurrences {
  /// Keys per bucket, about: small enough that a bucket's table (two slots per key) stays in the core's cache.
  static let bucketSize = 2048

  static func of(_ keys: [UInt64]) -> [Int32] {
    var first = [Int32](repeating: -1, count: keys.count)
    guard !keys.isEmpty else { return first }
    var bits = 0
    while (keys.count >> bits) > bucketSize { bits += 1 }
    let shift = UInt64(64 - bits)
    func bucket(_ key: UInt64) -> Int { bits == 0 ? 0 : Int(truncatingIfNeeded: key >> shift) }

    // Keys and positions grouped by bucket, in their original order within each, so that each bucket is then read
    // in sequence.
    var starts = [Int](repeating: 0, count: (1 << bits) + 1)
    for key in keys where key != 0 { starts[bucket(key) + 1] += 1 }
    for index in 1..<starts.count { starts[index] += starts[index - 1] }
    var grouped = [(key: UInt64, position: Int32)](repeating: (0, 0), count: starts[starts.count - 1])
    var next = starts
    for (position, key) in keys.enumerated() where key != 0 {
      grouped[next[bucket(key)]] = (key, Int32(position))
      next[bucket(key)] += 1
    }

    var table = SmallTable()
    for part in 0..<(starts.count - 1) {
      table.reset(capacityFor: starts[part + 1] - starts[part])
      for (key, position) in grouped[starts[part]..<starts[part + 1]] {
        first[Int(position)] = table.firstPosition(key, else: position)
      }
    }
    return first
  }

  /// An open-addressing table of key and first position, reused from bucket to bucket.
  private struct SmallTable {
    private var keys: [UInt64] = []
    private var positions: [Int32] = []
    private var mask = 0

    mutating func reset(capacityFor count: Int) {
      var capacity = 16
      while capacity < count * 2 { capacity <<= 1 }
      if keys.count != capacity {
        keys = [UInt64](repeating: 0, count: capacity)
        positions = [Int32](repeating: 0, count: capacity)
      } else {
        for index in keys.indices { keys[index] = 0 }
      }
      mask = capacity - 1
    }

    /// The position stored for `key`; when there is none, stores and returns `position`.
    mutating func firstPosition(_ key: UInt64, else position: Int32) -> Int32 {
      var slot = Int(truncatingIfNeeded: key) & mask
      while keys[slot] != 0 {
        if keys[slot] == key { return positions[slot] }
        slot = (slot + 1) & mask
      }
      keys[slot] = key
      positions[slot] = position
      return position
    }
  }
}
