/// Words as one buffer of UTF-8 bytes and the range of each: a corpus of a few hundred thousand words costs two
/// arrays, and a `String` is made only for a word that is read. The filter reads most words as bytes only (cleaning a
/// lowercase word, hashing it), so a list read from a file is never turned into strings as a whole.
public struct WordList: Sendable {
  private let bytes: [UInt8]
  /// Word `i` is `bytes[starts[i]..<ends[i]]`.
  private let starts: [UInt32]
  private let ends: [UInt32]
  /// Whether the words are known to be distinct byte for byte, as the corpus's are (the store holds each word once):
  /// deduplication then only has to look at the words cleaning changes.
  public let distinct: Bool

  /// A list of `words`, in order; `distinct` only when no word repeats byte for byte.
  public init(_ words: [String], distinct: Bool = false) {
    var bytes: [UInt8] = []
    var starts: [UInt32] = []
    var ends: [UInt32] = []
    starts.reserveCapacity(words.count)
    ends.reserveCapacity(words.count)
    for word in words {
      starts.append(Self.offset(bytes.count))
      bytes.append(contentsOf: word.utf8)
      ends.append(Self.offset(bytes.count))
    }
    self.init(bytes: bytes, starts: starts, ends: ends, distinct: distinct)
  }

  /// The non-empty lines of `bytes` (separated by LF); nil when the buffer is too large for 32-bit offsets.
  public init?(lines bytes: [UInt8], distinct: Bool) {
    guard bytes.count < UInt32.max else { return nil }
    // Split on all cores, each part of the buffer starting after a line feed; the parts' lines are joined in order.
    let partSize = 1 << 20
    let parts = Parallel.map(count: (bytes.count + partSize - 1) / partSize, minimumCount: 2) { part in
      bytes.withUnsafeBufferPointer { buffer in
        Self.lines(in: buffer, from: part * partSize, to: min(buffer.count, (part + 1) * partSize))
      }
    }
    guard parts.count > 1 else {
      self.init(bytes: bytes, starts: parts.first?.starts ?? [], ends: parts.first?.ends ?? [], distinct: distinct)
      return
    }
    var starts: [UInt32] = []
    var ends: [UInt32] = []
    starts.reserveCapacity(parts.reduce(0) { $0 + $1.starts.count })
    ends.reserveCapacity(starts.capacity)
    for part in parts {
      starts.append(contentsOf: part.starts)
      ends.append(contentsOf: part.ends)
    }
    self.init(bytes: bytes, starts: starts, ends: ends, distinct: distinct)
  }

  /// The lines that start in `buffer[lower..<upper]`: a line belongs to the part its first byte is in, and may end
  /// past `upper`.
  private static func lines(in buffer: UnsafeBufferPointer<UInt8>, from lower: Int, to upper: Int) -> (
    starts: [UInt32], ends: [UInt32]
  ) {
    var starts: [UInt32] = []
    var ends: [UInt32] = []
    // About ten bytes a word in a word list: reserving for that spares regrowing twice.
    starts.reserveCapacity((upper - lower) / 8)
    ends.reserveCapacity((upper - lower) / 8)
    var start = lower
    // A part other than the first starts after the line feed that ends the previous part's last line.
    if lower > 0 && buffer[lower - 1] != 0x0A {
      while start < buffer.count && buffer[start] != 0x0A { start += 1 }
      start += 1
    }
    while start < upper {
      var end = start
      while end < buffer.count && buffer[end] != 0x0A { end += 1 }
      if end > start {
        starts.append(UInt32(truncatingIfNeeded: start))
        ends.append(UInt32(truncatingIfNeeded: end))
      }
      start = end + 1
    }
    return (starts, ends)
  }

  private init(bytes: [UInt8], starts: [UInt32], ends: [UInt32], distinct: Bool) {
    self.bytes = bytes
    self.starts = starts
    self.ends = ends
    self.distinct = distinct
  }

  private static func offset(_ count: Int) -> UInt32 {
    guard let offset = UInt32(exactly: count) else { fatalError("a word list holds under 4 GB of words") }
    return offset
  }

  public var count: Int { starts.count }
  public var isEmpty: Bool { starts.isEmpty }

  /// Word `index`; invalid UTF-8 is repaired, as reading a text file would.
  public subscript(index: Int) -> String {
    withBytes(index) { String(decoding: $0, as: UTF8.self) }
  }

  /// Calls `body` with the bytes of word `index`.
  @inline(__always)
  public func withBytes<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows
    -> Result
  {
    try bytes.withUnsafeBufferPointer { buffer in
      try body(UnsafeBufferPointer(rebasing: buffer[Int(starts[index])..<Int(ends[index])]))
    }
  }

  /// Calls `body` with the position and bytes of each word in `range`, in order: `withBytes` for a run of words,
  /// with the arrays opened once.
  @inline(__always)
  func forEachWord(in range: Range<Int>, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
    bytes.withUnsafeBufferPointer { buffer in
      starts.withUnsafeBufferPointer { starts in
        ends.withUnsafeBufferPointer { ends in
          for index in range {
            body(index, UnsafeBufferPointer(rebasing: buffer[Int(starts[index])..<Int(ends[index])]))
          }
        }
      }
    }
  }

  /// Every word as a string, in order.
  public var strings: [String] { (0..<count).map { self[$0] } }
}
