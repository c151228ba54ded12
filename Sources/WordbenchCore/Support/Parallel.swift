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
}
