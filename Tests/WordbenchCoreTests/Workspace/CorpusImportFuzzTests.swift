import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

/// Seeded mutation fuzzing of corpus import: plain text, TSV and CSV files that are anything but clean.
@Suite("Fuzzing: corpus import")
struct CorpusImportFuzzTests {
  static let seeds: [(name: String, text: String, column: CorpusColumn?)] = [
    ("words.txt", "geese\nrunning\ncafé\nmother-in-law\nrock 'n' roll\n", nil),
    ("freq.tsv", "word\tcount\ngeese\t12\nbikers\t3\n\"quoted\"\t9\n", CorpusColumn.name("word")),
    ("list.csv", "rank,word\n1,\"hello, world\"\n2,\"say \"\"hi\"\"\"\n3,zebra\r\n", CorpusColumn.name("word")),
  ]

  @Test("every line of a mutated corpus file is imported or rejected with a reason; nothing else happens")
  func mutations() throws {
    let fixture = try CorpusImporterTests.Fixture()
    var mutator = Mutator(seed: 14, "corpus")
    for round in 0..<Mutator.rounds(240) {
      let seed = Self.seeds[round % Self.seeds.count]
      let bytes = mutator.mutate(Array(seed.text.utf8))
      let name = "fuzz-\(round)-\(seed.name)"
      do {
        let report = try fixture.importFile(name, bytes: bytes, column: seed.column)
        let counts = report.counts
        // Every line is counted once (a header line is not a word).
        let unaccounted = counts.lines - counts.imported - counts.duplicates - counts.rejected
        #expect(
          unaccounted == 0 || (unaccounted == 1 && seed.column != nil),
          "\(counts) for \(String(decoding: bytes, as: UTF8.self).debugDescription)")
      } catch let error as CorpusError {
        // A tabular file whose header lost the column: refused as a whole, with the file named.
        #expect(error.description.contains(name), "\(error)")
      }
    }
    for word in try fixture.corpus {
      #expect(!word.isEmpty && !word.contains("\n") && !word.contains("\t"), "a clean word: \(word.debugDescription)")
    }
  }
}
