/// A word's UTF-8 bytes with the FNV-1a states after its last few prefixes: the table hash of any base made of a
/// prefix and a short ending (stop + "s", hop + "e") then costs only the ending's bytes, and nothing is allocated
/// for the many candidate bases that turn out not to be words. Valid only while `bytes` is.
struct WordKey {
  let bytes: UnsafeBufferPointer<UInt8>
  /// The shortest prefix whose state is kept.
  private let firstKept: Int
  /// States after `firstKept`, `firstKept + 1`, ... bytes, up to the whole word.
  private var kept: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)

  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
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
    var result = Array(bytes[0..<length])
    var rest = ending
    for _ in 0..<endingLength {
      result.append(UInt8(truncatingIfNeeded: rest))
      rest >>= 8
    }
    return String(decoding: result, as: UTF8.self)
  }

  /// True when the word is longer than the packed suffix and ends with it.
  func hasSuffix(_ suffix: UInt32, length: Int) -> Bool {
    guard length < bytes.count else { return false }
    var packed: UInt32 = 0
    for index in 0..<length { packed |= UInt32(bytes[bytes.count - length + index]) << (8 * index) }
    return packed == suffix
  }

  /// True when the first `length` bytes end in a doubled consonant letter (hopp, stopp), which undoubling removes.
  func endsInDoubledConsonant(prefix length: Int) -> Bool {
    guard length >= 3 else { return false }
    let last = bytes[length - 1]
    return last == bytes[length - 2] && last >= 0x61 && last <= 0x7A && !Spelling.vowelBytes.contains(last)
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
