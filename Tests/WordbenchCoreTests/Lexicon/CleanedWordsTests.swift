import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("Word lists and the cleaning stage")
struct CleanedWordsTests {
  @Test(
    "a list read from lines skips empty lines and needs no final newline",
    arguments: [
      ("one\ntwo\n\nthree\n", ["one", "two", "three"]), ("one\ntwo", ["one", "two"]), ("", []), ("\n\n", []),
      ("caf\u{E9}\nna\u{EF}ve\n", ["caf\u{E9}", "na\u{EF}ve"]),
    ])
  func lines(_ example: (String, [String])) throws {
    let folder = TemporaryFolder()
    let url = try folder.write("words.txt", example.0)
    let file = try #require(MappedFile(url))
    let list = try #require(WordList(lines: file, distinct: true))
    #expect(list.strings == example.1)
    #expect(list.count == example.1.count)
    #expect(WordList(example.1).strings == example.1)
  }

  @Test(
    "a file of several megabytes is split on all cores into the same lines, wherever a part boundary falls",
    arguments: [0, 1, 2, 7])
  func largeFile(shift: Int) throws {
    // The file is split in parts of 1 MiB: the first line's length puts a line feed just before, at or after the
    // first boundary, and the varying lengths put the later boundaries anywhere.
    let firstLength = (1 << 20) - 2 + shift
    var words = [String(repeating: "q", count: firstLength)]
    var generator = SeededRandom(seed: UInt64(shift) + 1)
    var text = words[0] + "\n"
    while text.utf8.count < 3 << 20 {
      let word = String(repeating: "w", count: 1 + Int(generator.next() % 30))
      words.append(word)
      // Empty lines are skipped.
      text += word + (generator.next() % 10 == 0 ? "\n\n" : "\n")
    }
    let folder = TemporaryFolder()
    let file = try #require(MappedFile(try folder.write("words.txt", text)))
    let list = try #require(WordList(lines: file, distinct: false))
    #expect(list.count == words.count)
    #expect(list.strings == words)
  }

  /// The cleaned words, in order.
  func cleaned(_ words: [String], distinct: Bool) -> [String] {
    let cleaned = CleanedWords(WordList(words, distinct: distinct))
    return (0..<cleaned.count).map(cleaned.word)
  }

  @Test("cleaning drops non-words and keeps the first of words equal once cleaned, distinct list or not")
  func deduplicates() {
    let words = ["Apple", "pear", "a1b", "apple", "o’clock", "o'clock", "x", "Pear", "plum"]
    let expected = ["apple", "pear", "o'clock", "plum"]
    // The list is distinct byte for byte ("Apple" and "apple" differ), so both ways must agree.
    #expect(cleaned(words, distinct: true) == expected)
    #expect(cleaned(words, distinct: false) == expected)
    #expect(cleaned(words + ["plum", "pear"], distinct: false) == expected)
  }

  @Test("a distinct list that cleaning leaves alone is kept whole, every word's hash as if hashed as a string")
  func untouched() {
    // "w" and the number in base 26 with the digits a to z: 20,000 distinct lowercase words, several slices' worth.
    let words = (0..<20_000).map { number in
      "w" + String(String(number, radix: 26).unicodeScalars.map { Character(Self.letter($0)) })
    }
    let cleaned = CleanedWords(WordList(words, distinct: true))
    #expect(cleaned.count == words.count)
    #expect((0..<cleaned.count).allSatisfy { cleaned.word($0) == words[$0] })
    #expect((0..<cleaned.count).allSatisfy { cleaned.hash($0) == HashedTable<Int>.hash(words[$0]) })
    #expect(cleaned.contains(words[12_345]) && !cleaned.contains("zzzz"))
  }

  /// The base-26 digit `digit` (0-9, a-p) as a letter from a to z.
  static func letter(_ digit: Unicode.Scalar) -> Unicode.Scalar {
    let value = Int(String(digit), radix: 26)!
    return Unicode.Scalar(UInt8(97 + value))
  }

  @Test(
    "the filter gives the same result for the corpus as a distinct list and as plain strings",
    arguments: FilterPreset.allCases)
  func sameEitherWay(_ preset: FilterPreset) throws {
    let words = try WordFilterTests.sampleWords() + ["Zebra", "zebra", "Don’t", "a1b"]
    let filter = WordFilter(lexicon: try TestLexicon.shared(), options: FilterOptions(preset: preset))
    let distinct = filter.run(WordList(words, distinct: true), explain: ["zebra", "a1b"])
    let plain = filter.run(words, explain: ["zebra", "a1b"])
    #expect(distinct.stages == plain.stages)
    #expect(Array(distinct.kept) == Array(plain.kept))
    #expect(distinct.fates == plain.fates)
    #expect(distinct.kept.contains { $0.lemma == "zebra" })
  }
}
