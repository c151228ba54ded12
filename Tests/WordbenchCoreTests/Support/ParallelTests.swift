import Foundation
import Testing

@testable import WordbenchCore

@Suite("Work on other threads")
struct ParallelTests {
  @Test("Parallel.map keeps the order of its input, on small and large inputs", arguments: [0, 10, 50_000])
  func mapKeepsOrder(count: Int) {
    let items = Array(0..<count)
    #expect(Parallel.map(items, minimumCount: 16) { $0 * 3 } == items.map { $0 * 3 })
  }

  @Test("background work hands back its value or its error, once it ends")
  func backgroundResult() throws {
    struct Failure: Error {}
    #expect(try BackgroundWork { (1...100).reduce(0, +) }.result() == 5050)
    #expect(throws: Failure.self) { try BackgroundWork { () throws -> Int in throw Failure() }.result() }
  }

  #if os(Linux)
    @Test("yielding background work runs its thread at nice 10 or lower, and leaves the caller's thread alone")
    func yielding() throws {
      errno = 0
      let caller = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
      let niceness: @Sendable () -> Int32 = { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }
      #expect(try BackgroundWork(yielding: true, niceness).result() >= 10)
      #expect(try BackgroundWork(niceness).result() == caller)
      #expect(niceness() == caller)
    }
  #endif
}
