/// The limits every shard obeys at once.
public struct ShardLimits: Codable, Equatable, Sendable {
  /// Requests per shard: the smallest of the Batch API's 50,000, `[limits] max_requests_per_shard` and
  /// `--batch-size`.
  public var lines: Int
  /// Bytes per shard file (`[limits] max_shard_mb`, 190 MB by default, under the API's 200 MB).
  public var bytes: Int
  /// Input tokens per shard, under the provider's enqueued-token limit for the model.
  public var inputTokens: Int

  public static let apiMaximumLines = 50_000

  public init(lines: Int, bytes: Int, inputTokens: Int) {
    self.lines = lines
    self.bytes = bytes
    self.inputTokens = inputTokens
  }

  enum CodingKeys: String, CodingKey {
    case lines, bytes
    case inputTokens = "input_tokens"
  }
}

/// Cuts a run's request lines, in order, into shards that obey every limit: a shard ends just before the line that
/// would pass one. A line is never split, so a single line over a limit is an error.
public struct Sharder: Sendable {
  public let limits: ShardLimits
  /// Lines, bytes and input tokens of each shard so far; the last one is open.
  public private(set) var shards: [ShardSize] = []

  /// The size of one shard.
  public struct ShardSize: Equatable, Sendable {
    public var lines = 0
    public var bytes = 0
    public var inputTokens = 0
  }

  public enum Problem: Error, Equatable {
    /// The line alone passes the byte or token limit.
    case lineTooLarge(bytes: Int, inputTokens: Int)
  }

  public init(limits: ShardLimits) { self.limits = limits }

  /// Adds the next line; returns the 0-based shard it goes into.
  public mutating func add(bytes: Int, inputTokens: Int) throws(Problem) -> Int {
    guard bytes <= limits.bytes, inputTokens <= limits.inputTokens else {
      throw .lineTooLarge(bytes: bytes, inputTokens: inputTokens)
    }
    if let open = shards.last,
      open.lines + 1 <= limits.lines, open.bytes + bytes <= limits.bytes,
      open.inputTokens + inputTokens <= limits.inputTokens
    {
      shards[shards.count - 1].lines += 1
      shards[shards.count - 1].bytes += bytes
      shards[shards.count - 1].inputTokens += inputTokens
    } else {
      shards.append(ShardSize(lines: 1, bytes: bytes, inputTokens: inputTokens))
    }
    return shards.count - 1
  }
}
