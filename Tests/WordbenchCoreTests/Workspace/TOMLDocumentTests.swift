import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("TOMLDocument")
struct TOMLDocumentTests {
  @Test("reads tables, strings, numbers, booleans, arrays and comments")
  func readsSubset() throws {
    let text = """
      # top comment
      title = "root"   # trailing comment

      [provider]
      model = "gpt-4o-mini"
      path = 'C:\\literal'
      escaped = "tab\\tquote\\" \\u00e9"
      count = 50_000
      price = 0.15
      negative = -3
      exponent = 1e3
      on = true
      list = [
        "a", # first
        "b",
      ]
      "quoted key" = 1
      """
    let document = try TOMLDocument.parse(text)
    #expect(document.tables.map(\.name) == ["", "provider"])
    #expect(document.tables[0].entries == [TOMLEntry(key: "title", value: .string("root"), line: 2)])
    let provider = try #require(document.table(named: "provider"))
    let values = Dictionary(uniqueKeysWithValues: provider.entries.map { ($0.key, $0.value) })
    #expect(values["model"] == .string("gpt-4o-mini"))
    #expect(values["path"] == .string("C:\\literal"))
    #expect(values["escaped"] == .string("tab\tquote\" é"))
    #expect(values["count"] == .integer(50_000))
    #expect(values["price"] == .float(0.15))
    #expect(values["negative"] == .integer(-3))
    #expect(values["exponent"] == .float(1000))
    #expect(values["on"] == .boolean(true))
    #expect(values["list"] == .array([.string("a"), .string("b")]))
    #expect(values["quoted key"] == .integer(1))
    #expect(provider.entries.first { $0.key == "count" }?.line == 8)
  }

  struct Malformed: CustomTestStringConvertible, Sendable {
    let text: String
    let line: Int
    let message: String
    var testDescription: String { message }
  }

  @Test(
    "malformed input is an error naming the line",
    arguments: [
      Malformed(text: "[a]\nkey = \"open", line: 2, message: "not closed"),
      Malformed(text: "key value", line: 1, message: "expected \"=\""),
      Malformed(text: "[a]\nx = 1\nx = 2", line: 3, message: "set twice"),
      Malformed(text: "[a]\n[a]", line: 2, message: "defined twice"),
      Malformed(text: "[a\nx = 1", line: 1, message: "\"]\""),
      Malformed(text: "[a]\nx = 1 2", line: 2, message: "one entry per line"),
      Malformed(text: "[a]\nx = hello", line: 2, message: "strings need quotes"),
      Malformed(text: "[a]\nx = 02:00", line: 2, message: "quoted strings"),
      Malformed(text: "[a]\nx = {y = 1}", line: 2, message: "inline tables"),
      Malformed(text: "[[a]]", line: 1, message: "arrays of tables"),
      Malformed(text: "[a]\nx.y = 1", line: 2, message: "dotted keys"),
      Malformed(text: "[a]\nx = \"\"\"long\"\"\"", line: 2, message: "multi-line"),
      Malformed(text: "[a]\nx = [1, 2", line: 2, message: "not closed"),
      Malformed(text: "[a]\nx = \"bad \\q\"", line: 2, message: "unknown escape"),
      Malformed(text: "[a]\nx =", line: 2, message: "expected a value"),
      Malformed(text: "[a]\nx = 1__0", line: 2, message: "not a value"),
    ])
  func malformed(_ example: Malformed) {
    #expect {
      try TOMLDocument.parse(example.text)
    } throws: { error in
      guard let error = error as? TOMLDocument.SyntaxError else { return false }
      return error.line == example.line && error.message.contains(example.message)
    }
  }
}
