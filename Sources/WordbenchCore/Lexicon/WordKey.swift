/// A word's UTF-8 bytes with the FNV-1a state after every prefix: the table hash of any base made of a prefix and
/// a short ending (stop + "s", hop + "e") then costs only the ending's bytes, and no string is built for the many
/// candidate bases that turn out not to be words.
struct WordKey {
  let bytes: [UInt8]
  /// `states[i]` is the FNV-1a state after the first `i` bytes.
  private let states: [UInt64]

  init(_ word: String) {
    bytes = Array(word.utf8)
    var states = [UInt64](repeating: HashedTable<Int>.fnvOffset, count: bytes.count + 1)
    for (index, byte) in bytes.enumerated() { states[index + 1] = HashedTable<Int>.fnvStep(states[index], byte) }
    self.states = states
  }

  var count: Int { bytes.count }

  /// The table hash of the whole word.
  var hash: UInt64 { HashedTable<Int>.finish(states[bytes.count]) }

  /// The table hash of the first `length` bytes followed by `ending`.
  func hash(prefix length: Int, ending: [UInt8]) -> UInt64 {
    var state = states[length]
    for byte in ending { state = HashedTable<Int>.fnvStep(state, byte) }
    return HashedTable<Int>.finish(state)
  }

  /// The first `length` bytes followed by `ending`, as a string.
  func string(prefix length: Int, ending: [UInt8]) -> String {
    String(decoding: bytes[0..<length] + ending, as: UTF8.self)
  }

  func hasSuffix(_ suffix: [UInt8]) -> Bool {
    suffix.count < bytes.count && bytes[(bytes.count - suffix.count)...].elementsEqual(suffix)
  }

  /// True when the first `length` bytes end in a doubled consonant letter (hopp, stopp), which undoubling removes.
  func endsInDoubledConsonant(prefix length: Int) -> Bool {
    guard length >= 3 else { return false }
    let last = bytes[length - 1]
    return last == bytes[length - 2] && last >= 0x61 && last <= 0x7A && !Spelling.vowelBytes.contains(last)
  }
}
