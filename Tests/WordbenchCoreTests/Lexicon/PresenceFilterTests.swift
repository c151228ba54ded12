import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("Presence filter")
struct PresenceFilterTests {
  static func table(_ count: Int, seed: UInt64) -> (HashedTable<Int32>, present: [UInt64], absent: [UInt64]) {
    var random = SeededRandom(seed: seed)
    var table = HashedTable<Int32>(expectedCount: count, empty: -1)
    let present = (0..<count).map { _ in random.next() | 1 }
    for (index, hash) in present.enumerated() { _ = table.insertIfAbsent(hash: hash, Int32(index)) }
    let absent = (0..<count).map { _ in random.next() | 1 }
    return (table, present, absent)
  }

  @Test("a filtered table answers exactly as the table does, and rules out most absent keys", arguments: [10, 50_000])
  func sameAnswers(count: Int) {
    let (table, present, absent) = Self.table(count, seed: UInt64(count))
    let filter = table.presenceFilter()
    let filtered = table.filtered(by: filter)
    #expect(present.allSatisfy { filter.mayContain($0) })
    #expect(present.allSatisfy { filtered.value(forHash: $0) == table.value(forHash: $0) })
    #expect(absent.allSatisfy { filtered.value(forHash: $0) == nil && table.value(forHash: $0) == nil })
    let passed = absent.filter { filter.mayContain($0) }.count
    #expect(Double(passed) < Double(count) * 0.1, "\(passed) of \(count) absent keys got through")
  }

  @Test("a change to a filtered table drops the filter, so new keys are found")
  func changeDropsFilter() {
    let (table, _, absent) = Self.table(1_000, seed: 7)
    var filtered = table.filtered(by: table.presenceFilter())
    _ = filtered.insertIfAbsent(hash: absent[0], 42)
    #expect(filtered.value(forHash: absent[0]) == 42)
  }

  @Test("the cache keeps the filter beside its table and reads it back the same")
  func cached() throws {
    let folder = TemporaryFolder()
    let source = try folder.write("source.tsv", "alpha\n")
    let cache = LexiconCache(environment: ["XDG_CACHE_HOME": folder.file("cache").path])
    let (table, present, absent) = Self.table(5_000, seed: 11)
    let first = cache.filtered(table, "test", sources: [source])
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.file("cache/wordbench").path)
    #expect(files.count == 1 && files[0].hasPrefix("presence-test-"))
    let second = cache.filtered(table, "test", sources: [source])
    for hash in present + absent { #expect(first.value(forHash: hash) == second.value(forHash: hash)) }
  }
}
