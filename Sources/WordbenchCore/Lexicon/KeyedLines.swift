import Foundation

/// Finds lines of a text file by their first field (the key, up to `separator`) through an open-addressing hash
/// table of line offsets built over the file's bytes: loading is one read and one pass, a lookup one hash and
/// usually one comparison, and nothing is allocated either way. The lemmatizer makes several lookups per word.
///
/// WordNet's `index.*` files and the bundled frequency list are used this way; lines starting with a space
/// (WordNet's licence header) and empty lines are skipped, and a repeated key keeps its first line.
struct KeyedLines: Sendable {
  let bytes: [UInt8]
  let separator: UInt8
  /// Line start offsets by hash slot; -1 is an empty slot.
  private let slots: [Int32]
  private let mask: Int
  /// Line starts in file order, for iteration.
  private let lineStarts: [Int32]

  init(bytes: [UInt8], separator: UInt8) {
    self.bytes = bytes
    self.separator = separator
    var starts: [Int32] = []
    starts.reserveCapacity(bytes.count / 24)
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      var start = 0
      while start < buffer.count {
        let end =
          memchr(base + start, 0x0A, buffer.count - start).map {
            base.distance(to: $0.assumingMemoryBound(to: UInt8.self))
          } ?? buffer.count
        if end > start, buffer[start] != 0x20, buffer[start] != 0x0D { starts.append(Int32(start)) }
        start = end + 1
      }
    }
    var capacity = 16
    while capacity < starts.count * 2 { capacity <<= 1 }
    var table = [Int32](repeating: -1, count: capacity)
    let mask = capacity - 1
    bytes.withUnsafeBufferPointer { buffer in
      for start in starts {
        let key = Self.keyBytes(buffer, Int(start), separator)
        var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
        while table[slot] >= 0 {
          if Self.keyBytes(buffer, Int(table[slot]), separator).elementsEqual(key) { break }
          slot = (slot + 1) & mask
        }
        if table[slot] < 0 { table[slot] = start }
      }
    }
    slots = table
    self.mask = mask
    lineStarts = starts
  }

  var count: Int { lineStarts.count }

  /// The byte range of the line whose key is `key` (without its newline), or nil.
  func lineRange(for key: String) -> Range<Int>? {
    if let found = key.utf8.withContiguousStorageIfAvailable({ lineRange(forKeyBytes: $0) }) { return found }
    return Array(key.utf8).withUnsafeBufferPointer { lineRange(forKeyBytes: $0) }
  }

  func contains(_ key: String) -> Bool { lineRange(for: key) != nil }

  /// The line for `key`, without its newline.
  func line(for key: String) -> ArraySlice<UInt8>? {
    lineRange(for: key).map { bytes[$0] }
  }

  /// The part of the line after the separator, for `key`.
  func value(for key: String) -> ArraySlice<UInt8>? {
    guard let range = lineRange(for: key) else { return nil }
    let line = bytes[range]
    guard let split = line.firstIndex(of: separator) else { return nil }
    return line[(split + 1)...]
  }

  /// The key of every line, in file order.
  func forEachKey(_ body: (ArraySlice<UInt8>) throws -> Void) rethrows {
    for start in lineStarts {
      let start = Int(start)
      var end = start
      while end < bytes.count, !Self.endsKey(bytes[end], separator) { end += 1 }
      try body(bytes[start..<end])
    }
  }

  private func lineRange(forKeyBytes key: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
    bytes.withUnsafeBufferPointer { buffer -> Range<Int>? in
      var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
      while true {
        let start = Int(slots[slot])
        if start < 0 { return nil }
        let candidate = Self.keyBytes(buffer, start, separator)
        if candidate.count == key.count, memcmp(candidate.baseAddress!, key.baseAddress!, key.count) == 0 {
          var end = start + key.count
          while end < buffer.count, buffer[end] != 0x0A, buffer[end] != 0x0D { end += 1 }
          return start..<end
        }
        slot = (slot + 1) & mask
      }
    }
  }

  @inline(__always)
  private static func endsKey(_ byte: UInt8, _ separator: UInt8) -> Bool {
    byte == separator || byte == 0x0A || byte == 0x0D
  }

  /// The key of the line starting at `start`.
  @inline(__always)
  private static func keyBytes(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ separator: UInt8)
    -> UnsafeBufferPointer<UInt8>
  {
    var end = start
    while end < buffer.count, !endsKey(buffer[end], separator) { end += 1 }
    return UnsafeBufferPointer(rebasing: buffer[start..<end])
  }

  /// FNV-1a: fast and good enough for word keys.
  @inline(__always)
  private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in key {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01B3
    }
    return hash
  }
}
