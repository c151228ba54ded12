import Foundation

/// How a finished batch went, remembered for auto-scaling.
public struct BatchOutcome: Codable, Equatable, Sendable {
  public var run: String
  public var shard: Int
  /// Requests sent, and requests that came back with an answer (completed, as the provider counts them).
  public var requests: Int
  public var completed: Int
  /// Seconds from the batch's creation to its end at the provider.
  public var turnaroundSeconds: Int

  public init(run: String, shard: Int, requests: Int, completed: Int, turnaroundSeconds: Int) {
    self.run = run
    self.shard = shard
    self.requests = requests
    self.completed = completed
    self.turnaroundSeconds = turnaroundSeconds
  }

  enum CodingKeys: String, CodingKey {
    case run, shard, requests, completed
    case turnaroundSeconds = "turnaround_seconds"
  }
}

/// The auto-scaling rule for the batch size (requests per shard), from the last `window` finished batches:
///
/// - the success rate is their completed requests over their requests, the turnaround their median time from
///   creation to end;
/// - when the success rate is under 90 % or the turnaround over 18 hours (close to the 24-hour window, where
///   batches expire), the size is halved;
/// - when the success rate is 98 % or more and the turnaround 6 hours or less, the size grows by half;
/// - otherwise, or with no finished batch yet, it stays;
/// - it never leaves `[min_batch_size, max_batch_size]`.
public enum AutoScaler {
  public static let window = 5
  public static let shrinkBelowSuccess = 0.90
  public static let growFromSuccess = 0.98
  public static let shrinkAboveTurnaround = 18 * 3600
  public static let growUpToTurnaround = 6 * 3600

  public static func next(current: Int, recent: [BatchOutcome], minimum: Int, maximum: Int) -> Int {
    let low = min(minimum, maximum)
    let high = max(minimum, maximum)
    let window = recent.suffix(Self.window)
    let requests = window.reduce(0) { $0 + $1.requests }
    guard requests > 0 else { return clamp(current, low, high) }
    let success = Double(window.reduce(0) { $0 + $1.completed }) / Double(requests)
    let turnarounds = window.map(\.turnaroundSeconds).sorted()
    let median = turnarounds[turnarounds.count / 2]
    if success < shrinkBelowSuccess || median > shrinkAboveTurnaround { return clamp(current / 2, low, high) }
    if success >= growFromSuccess && median <= growUpToTurnaround { return clamp(current + current / 2, low, high) }
    return clamp(current, low, high)
  }

  private static func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int { min(high, max(low, value)) }
}
