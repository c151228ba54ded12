import Foundation
import Synchronization

/// A source of the current wall-clock time.
public protocol WallClock: Sendable {
  func now() -> Date
}

/// Something that can wait; the only way the core ever pauses.
public protocol Sleeper: Sendable {
  func sleep(for duration: Duration) async throws
}

/// The real clock.
public struct SystemClock: WallClock {
  public init() {}
  public func now() -> Date { Date() }
}

/// The real sleeper, backed by `Task.sleep` so cancellation ends a wait at once.
public struct SystemSleeper: Sleeper {
  public init() {}
  public func sleep(for duration: Duration) async throws {
    try await Task.sleep(for: duration)
  }
}

/// A clock that only moves when told to; sleeping on it advances it instead of waiting.
///
/// Use it as both clock and sleeper in tests: time-based code then runs at full speed and deterministically.
public final class ManualClock: WallClock, Sleeper {
  private let state: Mutex<(now: Date, sleeps: [Duration])>

  public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
    state = Mutex((now: start, sleeps: []))
  }

  public func now() -> Date { state.withLock { $0.now } }

  /// Every duration slept so far, in order.
  public var sleeps: [Duration] { state.withLock { $0.sleeps } }

  public func advance(by duration: Duration) {
    state.withLock { $0.now = $0.now.addingTimeInterval(duration.timeInterval) }
  }

  public func sleep(for duration: Duration) async throws {
    try Task.checkCancellation()
    state.withLock {
      $0.sleeps.append(duration)
      $0.now = $0.now.addingTimeInterval(duration.timeInterval)
    }
    await Task.yield()
  }
}

extension Duration {
  /// The duration in seconds as a floating-point number.
  public var timeInterval: TimeInterval {
    let parts = components
    return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
  }
}
