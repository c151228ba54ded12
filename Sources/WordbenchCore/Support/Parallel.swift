import Dispatch
import Foundation

/// Work spread over all cores, for the lexicon's per-word stages: each item is independent of the others.
public enum Parallel {
  /// `items.map(transform)`, computed in chunks on all cores, in the original order. Small inputs run in place.
  public static func map<Item: Sendable, Result>(
    _ items: [Item], minimumCount: Int = 4096, _ transform: @Sendable (Item) -> Result
  ) -> [Result] {
    let workers = ProcessInfo.processInfo.activeProcessorCount
    guard workers > 1, items.count >= minimumCount else { return items.map(transform) }
    let results = ResultSlots<Result>(count: items.count)
    let chunk = (items.count + workers * 8 - 1) / (workers * 8)
    DispatchQueue.concurrentPerform(iterations: (items.count + chunk - 1) / chunk) { part in
      for index in part * chunk..<min(items.count, (part + 1) * chunk) { results.set(index, transform(items[index])) }
    }
    return results.values()
  }

  /// Transforms `chunks` on all cores, one chunk ahead of `consume`, which gets each chunk's results in order on the
  /// calling thread: writing one chunk overlaps building the next.
  public static func pipeline<Item: Sendable, Result: Sendable>(
    _ chunks: [[Item]], transform: @escaping @Sendable (Item) -> Result,
    consume: ([Item], [Result]) throws -> Void
  ) throws {
    guard let first = chunks.first else { return }
    var current = map(first, minimumCount: 256, transform)
    for index in chunks.indices {
      let next = Handoff<[Result]>()
      let group = DispatchGroup()
      if index + 1 < chunks.count {
        let items = chunks[index + 1]
        DispatchQueue.global().async(group: group) { next.value = map(items, minimumCount: 256, transform) }
      }
      // The next chunk must be finished (or abandoned) before returning, even when `consume` throws.
      defer { group.wait() }
      try consume(chunks[index], current)
      group.wait()
      current = next.value ?? []
    }
  }
}

/// A value handed from a background job to the thread that waits for it. The `DispatchGroup` wait between the write
/// and the read orders them, which the compiler cannot see; hence `@unchecked`.
private final class Handoff<Value>: @unchecked Sendable {
  var value: Value?
}
