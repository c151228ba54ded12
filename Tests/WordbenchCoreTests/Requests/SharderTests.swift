import Testing

@testable import WordbenchCore

@Suite("Sharder")
struct SharderTests {
  /// (limits, lines as (bytes, tokens), expected lines per shard)
  @Test(
    "every limit cuts at its exact boundary",
    arguments: [
      // Lines: 3 per shard.
      (ShardLimits(lines: 3, bytes: 1000, inputTokens: 1000), Array(repeating: (10, 10), count: 7), [3, 3, 1]),
      // Bytes: 25 fits two lines of 10 (20), a third would make 30.
      (ShardLimits(lines: 100, bytes: 25, inputTokens: 1000), Array(repeating: (10, 1), count: 5), [2, 2, 1]),
      // Bytes exactly at the limit stay in the shard.
      (ShardLimits(lines: 100, bytes: 30, inputTokens: 1000), Array(repeating: (10, 1), count: 6), [3, 3]),
      // Tokens: 100 per shard.
      (
        ShardLimits(lines: 100, bytes: 1000, inputTokens: 100), [(1, 60), (1, 40), (1, 1), (1, 99), (1, 1)], [2, 2, 1]
      ),
      // Whichever limit comes first.
      (
        ShardLimits(lines: 2, bytes: 15, inputTokens: 100), [(5, 5), (5, 5), (5, 5), (11, 5), (1, 95), (1, 1)],
        [2, 1, 2, 1]
      ),
    ])
  func boundaries(limits: ShardLimits, lines: [(Int, Int)], expected: [Int]) throws {
    var sharder = Sharder(limits: limits)
    for (bytes, tokens) in lines { _ = try sharder.add(bytes: bytes, inputTokens: tokens) }
    #expect(sharder.shards.map(\.lines) == expected)
    for shard in sharder.shards {
      #expect(shard.lines <= limits.lines && shard.bytes <= limits.bytes && shard.inputTokens <= limits.inputTokens)
    }
    #expect(sharder.shards.map(\.bytes).reduce(0, +) == lines.map(\.0).reduce(0, +))
  }

  @Test("a line over a limit on its own is an error, never split")
  func oversized() {
    var sharder = Sharder(limits: ShardLimits(lines: 10, bytes: 100, inputTokens: 50))
    #expect(throws: Sharder.Problem.lineTooLarge(bytes: 101, inputTokens: 1)) {
      try sharder.add(bytes: 101, inputTokens: 1)
    }
    #expect(throws: Sharder.Problem.lineTooLarge(bytes: 1, inputTokens: 51)) {
      try sharder.add(bytes: 1, inputTokens: 51)
    }
  }
}
