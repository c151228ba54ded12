import Foundation
import Synchronization

/// Emulated time: real time scaled by `speed`, plus whatever tests add through the control endpoint.
final class EmulatorClock: Sendable {
  private struct Anchor {
    var real: Date
    var emulated: Double
  }
  private let anchor: Mutex<Anchor>
  let speed: Double

  init(speed: Double, start: Double? = nil) {
    self.speed = speed
    anchor = Mutex(Anchor(real: Date(), emulated: start ?? Date().timeIntervalSince1970))
  }

  /// Seconds since 1970 in emulated time.
  func now() -> Double {
    anchor.withLock { $0.emulated + Date().timeIntervalSince($0.real) * speed }
  }

  /// Moves emulated time forward.
  func advance(seconds: Double) {
    anchor.withLock { $0.emulated += max(0, seconds) }
  }
}
