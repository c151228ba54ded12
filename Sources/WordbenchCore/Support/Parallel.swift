import Dispatch
import Foundation

/// Work spread over all cores, for the lexicon's per-word stages: each item is independent of the others.
public enum Parallel {
  /// `items.map(transform)`, computed in chunks on all cores, in the original order. Small inputs run in place.
  public static func map<Item: Sendable, Result>(
    _ items: [Item], minimumCount: Int = 4096, _ transform: @Sendable (Item) -> Result
  ) -> [Result] {
    map(count: items.count, minimumCount: minimumCount) { transform(items[$0]) }
  }

  /// `(0..<count).map(transform)`, computed in chunks on all cores, in order. Small counts run in place.
  public static func map<Result>(
    count: Int, minimumCount: Int = 4096, _ transform: @Sendable (Int) -> Result
  ) -> [Result] {
    let workers = ProcessInfo.processInfo.activeProcessorCount
    guard workers > 1, count >= minimumCount else { return (0..<count).map(transform) }
    let chunk = (count + workers * 8 - 1) / (workers * 8)
    // Each index is written exactly once, by one worker, straight into the result's storage.
    return [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
      let results = UncheckedPointer(buffer.baseAddress!)
      DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { part in
        for index in part * chunk..<min(count, (part + 1) * chunk) {
          (results.pointer + index).initialize(to: transform(index))
        }
      }
      initialized = count
    }
  }

  /// Transforms `chunks` on all cores, one chunk ahead of `consume`, which gets each chunk's results in order on the
  /// calling thread: writing one chunk overlaps building the next.
  public static func pipeline<Item: Sendable, Result: Sendable>(
    _ chunks: [[Item]], transform: @escaping @Sendable (Item) -> Result,
    consume: ([Item], [Result]) throws -> Void
  ) throws {
    try withoutActuallyEscaping(consume) { consume in
      let pipeline = ChunkPipeline(transform: transform, consume: consume)
      for chunk in chunks { try pipeline.submit(chunk) }
      try pipeline.finish()
    }
  }
}

/// `Parallel.pipeline` for a stream of chunks of unknown length: each chunk handed to `submit` is transformed on all
/// cores while the previous chunk's results are consumed on the calling thread, in order. Call `finish` at the end.
public final class ChunkPipeline<Item: Sendable, Result: Sendable> {
  private let transform: @Sendable (Item) -> Result
  private let consume: ([Item], [Result]) throws -> Void
  private var inFlight: (items: [Item], group: DispatchGroup, results: Handoff<[Result]>)?

  public init(
    transform: @escaping @Sendable (Item) -> Result, consume: @escaping ([Item], [Result]) throws -> Void
  ) {
    self.transform = transform
    self.consume = consume
  }

  /// Waits for any chunk still being transformed, so no work outlives the pipeline even when `consume` threw.
  deinit { inFlight?.group.wait() }

  public func submit(_ items: [Item]) throws {
    let group = DispatchGroup()
    let results = Handoff<[Result]>()
    let transform = transform
    DispatchQueue.global().async(group: group) {
      results.value = Parallel.map(items, minimumCount: 256, transform)
    }
    let previous = inFlight
    inFlight = (items, group, results)
    if let previous { try deliver(previous) }
  }

  public func finish() throws {
    guard let last = inFlight else { return }
    inFlight = nil
    try deliver(last)
  }

  private func deliver(_ chunk: (items: [Item], group: DispatchGroup, results: Handoff<[Result]>)) throws {
    chunk.group.wait()
    try consume(chunk.items, chunk.results.value ?? [])
  }
}

/// The result buffer of `Parallel.map`, shared by workers that each write their own indices.
private struct UncheckedPointer<Value>: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Value>
  init(_ pointer: UnsafeMutablePointer<Value>) { self.pointer = pointer }
}

/// A value handed from a background job to the thread that waits for it. The `DispatchGroup` wait between the write
/// and the read orders them, which the compiler cannot see; hence `@unchecked`.
private final class Handoff<Value>: @unchecked Sendable {
  var value: Value?
}

/// Work running on a thread of its own while the caller does something else, for work that waits on the caller
/// (which a dispatch worker should not: the pool may have no other thread for what it waits for). `result` waits for
/// it to end.
final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  /// Written by the work's thread before it signals `done`, read after waiting for it.
  private var outcome: Result<Value, any Error>?

  /// With `yielding`, the work's thread runs at a lower priority (nice 10), so that on a busy machine the threads
  /// that decide how long the caller waits get the cores first, and this work fills the time they leave.
  init(yielding: Bool = false, _ work: @escaping @Sendable () throws -> Value) {
    Thread { [self] in
      #if os(Linux)
        // On Linux, PRIO_PROCESS with 0 names the calling thread, not the whole process.
        if yielding { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10) }
      #endif
      outcome = Result { try work() }
      done.signal()
    }.start()
  }

  /// The work's value, or its error thrown; waits for it to end. Call once.
  func result() throws -> Value {
    done.wait()
    return try outcome!.get()
  }
}
