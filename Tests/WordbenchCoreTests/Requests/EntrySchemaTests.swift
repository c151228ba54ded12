import Foundation
import Testing

@testable import WordbenchCore

@Suite("Entry schema")
struct EntrySchemaTests {
  static let shippedURL = BundledData.url(EntrySchema.fileName)!

  @Test("the shipped schema follows every strict-mode rule and compacts to the same JSON")
  func shippedSchema() throws {
    let bytes = Array(try Data(contentsOf: Self.shippedURL))
    let schema = try EntrySchema(bytes: bytes, file: "entry.schema.json")
    #expect(schema.name == "dictionary_entry")
    #expect(schema.sha256.count == 64)
    #expect(!schema.compactJSON.contains("\n") && !schema.compactJSON.contains(": "))
    let reparsed = try JSONDecoder().decode(JSONValue.self, from: Data(schema.compactJSON.utf8))
    #expect(reparsed == schema.root)
    // The design's fields are all there.
    guard case .object(let root) = schema.root, case .object(let properties)? = root["properties"] else {
      Issue.record("no properties")
      return
    }
    #expect(
      Set(properties.keys) == [
        "headword", "lemma", "pronunciation", "senses", "etymology", "word_forms", "frequency_band",
      ])
  }

  /// Each variant breaks one rule; the error names the place.
  @Test(
    "broken schemas are refused with the place and the rule",
    arguments: [
      (#"{"type":"array","items":{"type":"string"}}"#, "", "root"),
      (#"{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}"#, "", "additionalProperties"),
      (
        #"{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},"required":["a"],"additionalProperties":false}"#,
        "", "missing: b"
      ),
      (
        #"{"type":"object","properties":{"a":{"type":"string","minLength":2}},"required":["a"],"additionalProperties":false}"#,
        "/properties/a", "minLength"
      ),
      (
        #"{"type":"object","properties":{"a":{"type":"array"}},"required":["a"],"additionalProperties":false}"#,
        "/properties/a", "items"
      ),
      (
        #"{"type":"object","properties":{"a":{"type":"text"}},"required":["a"],"additionalProperties":false}"#,
        "/properties/a/type", "not a type"
      ),
      (
        #"{"type":"object","properties":{"a":{"type":"string","format":"colour"}},"required":["a"],"additionalProperties":false}"#,
        "/properties/a/format", "date-time"
      ),
      (
        #"{"type":"object","properties":{"a":{"type":"object","properties":{},"required":[]}},"required":["a"],"additionalProperties":false}"#,
        "/properties/a", "additionalProperties"
      ),
      (#"{"type":"object","properties":{},"additionalProperties":false,"required":["x"]}"#, "/required", "x"),
      ("{not json", "", "not valid JSON"),
    ])
  func brokenSchemas(text: String, path: String, mention: String) {
    do {
      _ = try EntrySchema(bytes: Array(text.utf8), file: "broken.json")
      Issue.record("accepted \(text)")
    } catch {
      guard case .schema(let file, let errorPath, let reason) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(file == "broken.json")
      #expect(errorPath == path)
      #expect(error.description.contains(mention) || reason.contains(mention), "\(error)")
    }
  }

  @Test("nesting deeper than ten levels is refused")
  func depth() {
    var schema = #"{"type":"string"}"#
    for _ in 0..<11 { schema = #"{"type":"array","items":\#(schema)}"# }
    let root = #"{"type":"object","properties":{"a":\#(schema)},"required":["a"],"additionalProperties":false}"#
    #expect(throws: RequestError.self) { try EntrySchema(bytes: Array(root.utf8), file: "deep.json") }
  }
}
