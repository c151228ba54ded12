/// A word's UTF-8 bytes with the FNV-1a states after its last few prefixes: the table hash of any base made of a
/// prefix and a short ending (stop + "s", hop + "e") then costs only the ending's bytes, and nothing is allocated
/// for the many candidate bases that turn out not to be words. Valid only while `bytes` is.
struct WordKey {
  /// The WordNet spelling: underscores for spaces.
  let bytes: UnsafeBufferPointer<UInt8>
  /// The word as written, which candidate bases must spell back; the same bytes unless the word has spaces.
  let written: UnsafeBufferPointer<UInt8>
  /// The last four bytes (fewer for shorter words), first byte lowest, for suffix tests by one shift.
  private let tail: UInt32
  /// The shortest prefix whose state is kept.
  private let firstKept: Int
  /// States after `firstKept`, `firstKept + 1`, ... bytes, up to the whole word.
  private var kept: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)

  init(_ bytes: UnsafeBufferPointer<UInt8>, written: UnsafeBufferPointer<UInt8>? = nil) {
    self.bytes = bytes
    self.written = written ?? bytes
    var tail: UInt32 = 0
    for index in max(0, bytes.count - 4)..<bytes.count {
      tail |= UInt32(bytes[index]) << (8 * (index - bytes.count + 4))
    }
    self.tail = tail
    firstKept = max(0, bytes.count - DetachmentRule.longestCut)
    var state = HashedTable<Int>.fnvOffset
    for index in 0...bytes.count {
      if index >= firstKept { setKept(index - firstKept, state) }
      if index < bytes.count { state = HashedTable<Int>.fnvStep(state, bytes[index]) }
    }
  }

  var count: Int { bytes.count }

  /// The table hash of the whole word.
  var hash: UInt64 { HashedTable<Int>.finish(state(after: bytes.count)) }

  /// The table hash of the first `length` bytes followed by the `endingLength` bytes packed in `ending`.
  func hash(prefix length: Int, ending: UInt32, endingLength: Int) -> UInt64 {
    var state = state(after: length)
    var rest = ending
    for _ in 0..<endingLength {
      state = HashedTable<Int>.fnvStep(state, UInt8(truncatingIfNeeded: rest))
      rest >>= 8
    }
    return HashedTable<Int>.finish(state)
  }

  /// The first `length` bytes followed by the packed ending, as a string.
  func string(prefix length: Int, ending: UInt32, endingLength: Int) -> String {
    String(unsafeUninitializedCapacity: length + endingLength) {
      write(prefix: length, ending: ending, endingLength: endingLength, into: $0)
    }
  }

  /// Calls `body` with the first `length` bytes followed by the packed ending, in scratch memory.
  func withBase<Result>(
    prefix length: Int, ending: UInt32, endingLength: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result
  ) -> Result {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length + endingLength) { buffer in
      let count = write(prefix: length, ending: ending, endingLength: endingLength, into: buffer)
      return body(UnsafeBufferPointer(rebasing: buffer[0..<count]))
    }
  }

  private func write(
    prefix length: Int, ending: UInt32, endingLength: Int, into buffer: UnsafeMutableBufferPointer<UInt8>
  ) -> Int {
    _ = buffer.initialize(from: bytes[0..<length])
    var rest = ending
    for index in length..<(length + endingLength) {
      buffer[index] = UInt8(truncatingIfNeeded: rest)
      rest >>= 8
    }
    return length + endingLength
  }

  /// True when the word is longer than the packed suffix (one to four bytes) and ends with it.
  @inline(__always)
  func hasSuffix(_ suffix: UInt32, length: Int) -> Bool {
    length < bytes.count && tail >> (8 * (4 - length)) == suffix
  }

  /// True when the first `length` bytes end in a doubled consonant letter (hopp, stopp), which undoubling removes.
  func endsInDoubledConsonant(prefix length: Int) -> Bool {
    guard length >= 3 else { return false }
    let last = bytes[length - 1]
    return last == bytes[length - 2] && last >= 0x61 && last <= 0x7A && !Spelling.isVowel(last)
  }

  private func state(after length: Int) -> UInt64 {
    switch length - firstKept {
    case 0: kept.0
    case 1: kept.1
    case 2: kept.2
    case 3: kept.3
    case 4: kept.4
    default: kept.5
    }
  }

  private mutating func setKept(_ slot: Int, _ state: UInt64) {
    switch slot {
    case 0: kept.0 = state
    case 1: kept.1 = state
    case 2: kept.2 = state
    case 3: kept.3 = state
    case 4: kept.4 = state
    default: kept.5 = state
    }
  }
}
