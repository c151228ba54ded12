import Testing

@testable import WordbenchCore

@Suite("A run's requests by number")
struct RunRequestsTests {
  struct Outside: Error, Equatable { var number: Int }

  /// A run of 1,234,567 words (past six digits), numbered 1 to 1,234,567 but for 4, which words.tsv lists twice as 5.
  static let requests = try! RunRequests(
    run: RunID(1),
    words: ([1, 2, 3, 5] + Array(5...1_234_567)).map { (RunWord(index: $0, word: "w\($0)", lemma: ""), []) },
    outside: { Outside(number: $0) })

  @Test("every custom_id merge writes reads back to its number", arguments: [1, 2, 10, 1_234_567])
  func roundTrip(number: Int) throws {
    let customID = RunWord(index: number, word: "", lemma: "").customID(run: RunID(1))
    #expect(Self.requests.number(of: customID) == number)
    #expect(Self.requests[number]?.word.word == "w\(number)")
  }

  @Test(
    "anything else is not a request of the run",
    arguments: [
      "r0002-000001", "r0001-00001", "r0001-0000001", "r0001-000004", "r0001-000000", "r0001-000001x",
      "r0001-", "", "r0001-+00001", "r1-000001", "r0001_000001", "r0001-0001234567", "r0001-1234568",
      "r0001-99999999999999999999",
    ])
  func rejects(customID: String) {
    #expect(Self.requests.number(of: customID) == nil)
  }

  @Test("counts the requests words.tsv lists")
  func counts() {
    #expect(Self.requests.count == 1_234_566 && Self.requests.highest == 1_234_567)
  }

  @Test("a word numbered outside 1 to the number of lines is an error", arguments: [0, -3, 4, 1_000_000_000])
  func outside(number: Int) {
    #expect(throws: Outside(number: number)) {
      try RunRequests(
        run: RunID(1), words: [1, 2, number].map { (RunWord(index: $0, word: "w", lemma: ""), []) },
        outside: { Outside(number: $0) })
    }
  }
}
