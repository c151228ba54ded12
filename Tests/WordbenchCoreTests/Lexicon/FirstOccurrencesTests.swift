import Testing

@testable import WordbenchCore

@Suite("First occurrences")
struct FirstOccurrencesTests {
  /// The answer by a plain dictionary, position by position.
  static func expected(_ keys: [UInt64]) -> [Int32] {
    var first: [UInt64: Int32] = [:]
    return keys.enumerated().map { position, key in
      guard key != 0 else { return -1 }
      if let earlier = first[key] { return earlier }
      first[key] = Int32(position)
      return Int32(position)
    }
  }

  @Test(
    "each key maps to the position of its first occurrence, 0 to -1, in one bucket or many",
    arguments: [0, 1, 7, 2_000, 50_000])
  func matchesDictionary(count: Int) {
    var generator = SeededRandom(seed: UInt64(count) + 1)
    // About one key in three repeats an earlier one; one in fifty is 0 (no key).
    var keys: [UInt64] = []
    for _ in 0..<count {
      let roll = generator.next() % 50
      if roll == 0 {
        keys.append(0)
      } else if roll < 17, let earlier = keys.randomElement(using: &generator), earlier != 0 {
        keys.append(earlier)
      } else {
        keys.append(generator.next() | 1)
      }
    }
    #expect(FirstOccurrences.of(keys) == Self.expected(keys))
  }

  @Test("keys equal in their top bits but not below stay apart")
  func sameBucket() {
    let keys: [UInt64] = [0xFF00_0000_0000_0001, 0xFF00_0000_0000_0002, 0xFF00_0000_0000_0001, 0x0000_0000_0000_0002]
    #expect(FirstOccurrences.of(keys) == [0, 1, 0, 3])
  }
}
