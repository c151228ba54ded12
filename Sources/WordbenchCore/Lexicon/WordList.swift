/// Words as one buffer of UTF-8 bytes and the range of each: a corpus of a few hundred thousand words costs two
/// arrays, and a `String` is made only for a word that is read. The filter reads most words as bytes only (cleaning a
/// lowercase word, hashing it), so a list read from a file is never turned into strings as a whole.
public struct WordList: Sendable {
  /// Keeps `bytes` alive: a mapped file or a buffer of this list's own.
  private let storage: any ByteStorage
  /// `storage`'s bytes, which are never written once the list is made.
  nonisolated(unsafe) private let bytes: UnsafeBufferPointer<UInt8>
  private let lines: Lines
  /// Whether the words are known to be distinct byte for byte, as the corpus's are (the store holds each word once):
  /// deduplication then only has to look at the words cleaning changes.
  public let distinct: Bool

  /// A list of `words`, in order; `distinct` only when no word repeats byte for byte.
  public init(_ words: [String], distinct: Bool = false) {
    let buffer = OwnedBytes(count: words.reduce(0) { $0 + $1.utf8.count })
    var lines = Lines(capacity: words.count)
    var offset = 0
    for word in words {
      let start = offset
      for byte in word.utf8 {
        buffer.buffer[offset] = byte
        offset += 1
      }
      lines.append(Self.offset(start), Self.offset(offset))
    }
    self.init(storage: buffer, lines: lines, distinct: distinct)
  }

  /// The non-empty lines (separated by LF) of a file; nil when it is too large for 32-bit offsets.
  init?(lines file: MappedFile, distinct: Bool) {
    nonisolated(unsafe) let bytes = file.bytes.bindMemory(to: UInt8.self)
    guard bytes.count < UInt32.max else { return nil }
    // Split on all cores, each part of the buffer starting after a line feed; the parts' lines are joined in order.
    let partSize = 1 << 20
    let parts = Parallel.map(count: (bytes.count + partSize - 1) / partSize, minimumCount: 2) { part in
      Self.lines(in: bytes, from: part * partSize, to: min(bytes.count, (part + 1) * partSize))
    }
    var lines = Lines(capacity: parts.reduce(0) { $0 + $1.starts.count })
    for part in parts { lines.append(contentsOf: part) }
    self.init(storage: file, lines: lines, distinct: distinct)
  }

  private init(storage: any ByteStorage, lines: Lines, distinct: Bool) {
    self.storage = storage
    self.bytes = storage.bytes.bindMemory(to: UInt8.self)
    self.lines = lines
    self.distinct = distinct
  }

  /// The lines that start in `buffer[lower..<upper]`: a line belongs to the part its first byte is in, and may end
  /// past `upper`.
  private static func lines(in buffer: UnsafeBufferPointer<UInt8>, from lower: Int, to upper: Int) -> Lines {
    // About ten bytes a word in a word list: reserving for that spares regrowing twice.
    var lines = Lines(capacity: (upper - lower) / 8)
    var start = lower
    // A part other than the first starts after the line feed that ends the previous part's last line.
    if lower > 0 && buffer[lower - 1] != 0x0A {
      while start < buffer.count && buffer[start] != 0x0A { start += 1 }
      start += 1
    }
    while start < upper {
      var end = start
      while end < buffer.count && buffer[end] != 0x0A { end += 1 }
      if end > start { lines.append(UInt32(truncatingIfNeeded: start), UInt32(truncatingIfNeeded: end)) }
      start = end + 1
    }
    return lines
  }

  private static func offset(_ count: Int) -> UInt32 {
    guard let offset = UInt32(exactly: count) else { fatalError("a word list holds under 4 GB of words") }
    return offset
  }

  public var count: Int { lines.starts.count }
  public var isEmpty: Bool { lines.starts.isEmpty }

  /// Word `index`; invalid UTF-8 is repaired, as reading a text file would.
  public subscript(index: Int) -> String {
    withBytes(index) { String(decoding: $0, as: UTF8.self) }
  }

  /// Calls `body` with the bytes of word `index`.
  @inline(__always)
  public func withBytes<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows
    -> Result
  {
    try body(UnsafeBufferPointer(rebasing: bytes[Int(lines.starts[index])..<Int(lines.ends[index])]))
  }

  /// Calls `body` with the position and bytes of each word in `range`, in order: `withBytes` for a run of words,
  /// with the arrays opened once.
  @inline(__always)
  func forEachWord(in range: Range<Int>, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
    lines.starts.withUnsafeBufferPointer { starts in
      lines.ends.withUnsafeBufferPointer { ends in
        for index in range {
          body(index, UnsafeBufferPointer(rebasing: bytes[Int(starts[index])..<Int(ends[index])]))
        }
      }
    }
  }

  /// Every word as a string, in order.
  public var strings: [String] { (0..<count).map { self[$0] } }
}

extension WordList {
  /// Word `i` is `bytes[starts[i]..<ends[i]]`.
  fileprivate struct Lines: Sendable {
    var starts: [UInt32] = []
    var ends: [UInt32] = []

    init(capacity: Int) {
      starts.reserveCapacity(capacity)
      ends.reserveCapacity(capacity)
    }

    mutating func append(_ start: UInt32, _ end: UInt32) {
      starts.append(start)
      ends.append(end)
    }

    mutating func append(contentsOf other: Lines) {
      starts.append(contentsOf: other.starts)
      ends.append(contentsOf: other.ends)
    }
  }
}

/// Memory that holds a word list's bytes for as long as the list needs them. Unchecked Sendable (both kinds): the
/// bytes are written only before the list is made, and freed only when the last reference goes away.
protocol ByteStorage: AnyObject, Sendable {
  var bytes: UnsafeRawBufferPointer { get }
}

extension MappedFile: ByteStorage {}

/// A buffer of bytes of its own, for a list made from strings.
private final class OwnedBytes: ByteStorage, @unchecked Sendable {
  let buffer: UnsafeMutableRawBufferPointer
  var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(buffer) }

  init(count: Int) { buffer = .allocate(byteCount: max(count, 1), alignment: 1) }

  deinit { buffer.deallocate() }
}
