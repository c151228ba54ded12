import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("Word filter")
struct WordFilterTests {
  static func sampleWords() throws -> [String] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../../samples/sample-2000.txt").standardizedFileURL
    return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
  }

  func run(_ preset: FilterPreset, retention: Double? = nil, minimumZipf: Double? = nil, explain: [String] = [])
    throws -> WordFilter.Outcome
  {
    let filter = WordFilter(
      lexicon: try TestLexicon.shared(),
      options: FilterOptions(preset: preset, retention: retention, minimumZipf: minimumZipf))
    return filter.run(try Self.sampleWords(), explain: explain)
  }

  @Test("each preset on the sample corpus: stricter presets keep fewer words, each above its floor")
  func presets() throws {
    var previous = Int.max
    for preset in [FilterPreset.none, .conservative, .moderate, .aggressive] {
      let outcome = try run(preset)
      #expect(outcome.stages.first?.count == 2000)
      #expect(outcome.kept.count <= previous, "\(preset)")
      previous = outcome.kept.count
      if let floor = preset.zipfThreshold {
        #expect(outcome.kept.allSatisfy { $0.zipf >= floor })
        #expect(!outcome.kept.contains { $0.lemma == "the" })
      } else {
        #expect(outcome.kept.count == 2000)
      }
    }
  }

  @Test("without a rule that ranks, frequencies are looked up as entries are read, and agree with ranking")
  func lazyFrequencies() throws {
    let lexicon = try TestLexicon.shared()
    let words = try Self.sampleWords()
    let lazy = WordFilter(frequencies: lexicon.frequencies, options: FilterOptions(preset: .none)).run(words).kept
    // A retention share of 1 keeps every word but makes the filter price them all up front.
    let ranked = WordFilter(lexicon: lexicon, options: FilterOptions(preset: .none, retention: 1)).run(words).kept
    #expect(lazy.count == 2000 && ranked.count == 2000)
    #expect(Array(lazy) == Array(ranked))
    #expect(lazy.contains { $0.zipf > 5 })
    #expect(lazy.allSatisfy { $0.zipf == lexicon.frequencies.zipf($0.lemma) && $0.words == [$0.lemma] })
  }

  @Test("lemma merging groups the corpus words under their headword")
  func merging() throws {
    let outcome = try run(.conservative)
    let trying = try #require(outcome.kept.first { $0.lemma == "try" })
    #expect(trying.words.contains("trying"))
    #expect(
      outcome.stages.map(\.stage) == [
        "input", "cleaned", "after lemma merge", "after stop words", "after frequency", "after skipping done",
      ])
  }

  @Test("--retention keeps the most frequent share, --min-zipf replaces the floor")
  func retentionAndFloor() throws {
    let all = try run(.moderate)
    let half = try run(.moderate, retention: 0.5)
    #expect(half.kept.count == Int((Double(all.kept.count) * 0.5).rounded(.up)))
    let lowest = try #require(half.kept.map(\.zipf).min())
    #expect(all.kept.filter { $0.zipf > lowest }.count <= half.kept.count)
    let floor = try run(.moderate, minimumZipf: 4.5)
    #expect(floor.kept.allSatisfy { $0.zipf >= 4.5 })
  }

  @Test("--explain says why each word is kept, merged or dropped")
  func explain() throws {
    let outcome = try run(.moderate, explain: ["trying", "the", "national", "a1b", "zzxqv"])
    let fates = Dictionary(uniqueKeysWithValues: outcome.fates.map { ($0.word, $0) })
    #expect(fates["trying"]?.outcome == .merged)
    #expect(fates["trying"]?.lemma == "try")
    #expect(fates["the"]?.stage == "after stop words")
    #expect(fates["national"]?.outcome == .kept)
    #expect(fates["a1b"]?.stage == "cleaning")
    #expect(fates["zzxqv"]?.stage == "after frequency")
    #expect(fates["zzxqv"]?.reason.contains("not in the corpus") == true)
  }

  @Test("words already done are skipped unless forced")
  func done() throws {
    let lexicon = try TestLexicon.shared()
    let skipping = WordFilter(lexicon: lexicon, options: FilterOptions(preset: .moderate), isDone: { $0 == "national" })
    #expect(!skipping.run(try Self.sampleWords()).kept.contains { $0.lemma == "national" })
    let forced = WordFilter(
      lexicon: lexicon, options: FilterOptions(preset: .moderate, forceRefresh: true), isDone: { $0 == "national" })
    #expect(forced.run(try Self.sampleWords()).kept.contains { $0.lemma == "national" })
  }

  @Test("a workspace's own stop-word file is added to the built-in list")
  func stopWordFile() throws {
    let test = TestContext()
    var workspace = try test.workspace()
    try test.folder.write("workspaces/test/mystop.txt", "# mine\nnational\n")
    try Data("[filter]\nstop_word_files = [\"mystop.txt\"]\n".utf8).write(to: workspace.configURL)
    workspace = try Workspace.open(at: workspace.root)
    let lexicon = try Lexicon.load(
      workspace: workspace, context: test.context(environment: ProcessInfo.processInfo.environment))
    #expect(lexicon.stopWords.contains("national"))
    #expect(lexicon.stopWords.contains("the"))
    let outcome = WordFilter(lexicon: lexicon, options: FilterOptions(preset: .moderate)).run(try Self.sampleWords())
    #expect(!outcome.kept.contains { $0.lemma == "national" })
  }

  @Test(
    "cleaning: case, inner hyphens and apostrophes, length",
    arguments: [
      ("Apple", "apple"), ("well-known", "well-known"), ("o'clock", "o'clock"), ("rock’n’roll", "rock'n'roll"),
    ])
  func cleans(_ example: (String, String)) throws {
    #expect(try WordCleaner.clean(example.0).get() == example.1)
  }

  @Test(
    "cleaning drops what is not a word",
    arguments: ["a", "-dash", "dash-", "dou--ble", "abc1", "two words", String(repeating: "x", count: 46)])
  func drops(_ word: String) {
    #expect(throws: CleaningProblem.self) { try WordCleaner.clean(word).get() }
  }
}
