import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("Lexicon cache")
struct LexiconCacheTests {
  @Test(
    "a table is built once, read back the same, rebuilt when a source changes (old ones pruned) or the file is damaged"
  )
  func cache() throws {
    let folder = TemporaryFolder()
    let source = try folder.write("source.tsv", "alpha\t3.5\nbeta\t2.25\n")
    let cache = LexiconCache(environment: ["XDG_CACHE_HOME": folder.file("cache").path])
    var builds = 0
    func load() -> HashedTable<Float> {
      cache.table("test", sources: [source], empty: 0) {
        builds += 1
        var table = HashedTable<Float>(expectedCount: 2, empty: 0)
        _ = table.insertIfAbsent(hash: HashedTable<Float>.hash("alpha"), 3.5)
        _ = table.insertIfAbsent(hash: HashedTable<Float>.hash("beta"), 2.25)
        return table
      }
    }
    #expect(load().value(for: "alpha") == 3.5)
    #expect(load().value(for: "beta") == 2.25)
    #expect(builds == 1)
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.file("cache/wordbench").path)
    #expect(files.count == 1 && files[0].hasPrefix("test-"))

    // Each change of the source makes a new table; the current one and the two most recent others stay.
    let directory = folder.file("cache/wordbench").path
    var made = files
    for hours in 1...4 {
      try FileManager.default.setAttributes(
        [.modificationDate: Date(timeIntervalSinceNow: Double(-3600 * hours))], ofItemAtPath: source.path)
      #expect(load().value(for: "alpha") == 3.5)
      made += Set(try FileManager.default.contentsOfDirectory(atPath: directory)).subtracting(made)
      // Oldest first, a minute apart, so that which are the most recent is clear.
      for (index, file) in made.enumerated() where FileManager.default.fileExists(atPath: "\(directory)/\(file)") {
        try FileManager.default.setAttributes(
          [.modificationDate: Date(timeIntervalSinceNow: Double(60 * (index - made.count)))],
          ofItemAtPath: "\(directory)/\(file)")
      }
    }
    #expect(builds == 5 && made.count == 5)
    #expect(Set(try FileManager.default.contentsOfDirectory(atPath: directory)) == Set(made.suffix(3)))

    for name in try FileManager.default.contentsOfDirectory(atPath: folder.file("cache/wordbench").path) {
      try Data("damaged".utf8).write(to: folder.file("cache/wordbench/\(name)"))
    }
    #expect(load().value(for: "beta") == 2.25)
    #expect(builds == 6)
  }

  @Test("without a home or cache folder, tables are simply built")
  func noCacheFolder() {
    let cache = LexiconCache(environment: [:])
    #expect(cache.directory == nil)
    let table = cache.table("x", sources: [], empty: Float(0)) { HashedTable<Float>(expectedCount: 1, empty: 0) }
    #expect(table.value(for: "anything") == nil)
  }

  @Test("the cached frequency list answers like the text it came from")
  func frequenciesMatchSource() throws {
    let frequencies = try TestLexicon.shared().frequencies
    #expect(frequencies.zipf("the") == 7.73)
    #expect(frequencies.zipf("The") == 7.73)
    #expect(frequencies.zipf("zzxqvw") == 0)
    #expect(frequencies.count > 300_000)
  }
}
