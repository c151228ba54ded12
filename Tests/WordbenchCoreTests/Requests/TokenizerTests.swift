import Foundation
import Testing

@testable import WordbenchCore

@Suite("Tokenizer")
struct TokenizerTests {
  static let tokenizer = try! Tokenizer.bundled()

  /// The reference vectors of tokenizer.md.
  @Test(
    "o200k_base reference vectors",
    arguments: [
      ("hello world", [24912, 2375]),
      (
        "Serendipity (n.): the occurrence of events by chance in a happy way.",
        [3764, 419, 488, 536, 350, 77, 199_214, 290, 55807, 328, 6124, 656, 8058, 306, 261, 7150, 2006, 13]
      ),
      ("naïve café — 東京 🙂", [1503, 9954, 737, 30469, 2733, 185_244, 26192]),
      ("   leading spaces\n\nand\ttabs", [256, 8117, 18608, 279, 427, 6264, 6071]),
      ("12345678901234567890", [7633, 19354, 29338, 19267, 22901, 30833, 2744]),
      ("<|endoftext|> is text here", [27, 91, 419, 1440, 919, 91, 29, 382, 2201, 2105]),
      (#"{"headword":"apple","pos":"noun"}"#, [10848, 3636, 1801, 7534, 34058, 4294, 1103, 7534, 180_086, 18583]),
    ])
  func referenceVectors(text: String, ids: [Int]) {
    #expect(Self.tokenizer.encode(text) == ids)
    #expect(Self.tokenizer.count(text) == ids.count)
  }

  struct Vector: Decodable {
    var text: String
    var ids: [Int]
  }

  /// 2,000 texts with the ids the real tiktoken gives (scripts/bench/tiktoken_vectors.py): random mixes of cased
  /// letters, combining marks, contractions, every kind of whitespace, digits and emoji, and WordNet glosses.
  @Test("the same ids as tiktoken on 2,000 tricky texts")
  func tiktokenVectors() throws {
    let url = try #require(
      Bundle.module.url(forResource: "tiktoken-o200k", withExtension: "json", subdirectory: "Vectors"))
    let vectors = try JSONDecoder().decode([Vector].self, from: Data(contentsOf: url))
    #expect(vectors.count == 2000)
    var mismatches: [String] = []
    for vector in vectors where Self.tokenizer.encode(vector.text) != vector.ids {
      mismatches.append(vector.text.debugDescription)
    }
    #expect(mismatches.isEmpty, "different ids for \(mismatches.count) texts: \(mismatches.prefix(10))")
  }

  @Test("a corrupt ranks file names its line")
  func corruptRanks() {
    #expect(throws: RequestError.badRanks(file: "x.tiktoken", line: 2)) {
      try Tokenizer.parseRanks(Array("IQ== 0\nnot-base64! one\n".utf8), file: "x.tiktoken")
    }
  }
}
