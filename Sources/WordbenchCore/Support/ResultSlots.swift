import Synchronization

/// A fixed number of result slots that concurrent workers fill, each writing only its own indices.
///
/// Unchecked Sendable: every index is written by exactly one worker and read only after all of them are done
/// (`DispatchQueue.concurrentPerform` returns when every iteration has finished).
public final class ResultSlots<Value>: @unchecked Sendable {
  private let buffer: UnsafeMutableBufferPointer<Value?>

  public init(count: Int) {
    buffer = .allocate(capacity: count)
    buffer.initialize(repeating: nil)
  }

  deinit {
    buffer.deinitialize()
    buffer.deallocate()
  }

  public func set(_ index: Int, _ value: Value) { buffer[index] = value }

  /// The filled values, in index order.
  public func values() -> [Value] { buffer.map { $0! } }
}
