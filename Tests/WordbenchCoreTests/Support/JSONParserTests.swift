import Foundation
import Testing

@testable import WordbenchCore

@Suite("JSON parser and compact writer")
struct JSONParserTests {
  static let valid = [
    "null", "true", "false", "0", "-0", "42", "-17", "3.25", "1e3", "-2.5E-3", "123456789012345678901",
    "\"\"", "\"plain\"", #""quote \" backslash \\ slash \/ tab \t nl \n""#, #""\u00e9\u4e2d\ud83d\ude00""#,
    "\"caf\u{e9} \u{1F600}\"", "[]", "{}", " [1, [2, [3]], {\"a\": null}] ",
    #"{"custom_id":"r0001-000001","response":{"status_code":200,"body":{"choices":[{"message":{"content":"{\"headword\":\"a\"}","refusal":null}}]}},"error":null}"#,
  ]

  @Test("reads what JSONDecoder reads, to the same value", arguments: valid)
  func matchesFoundation(text: String) throws {
    let expected = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    #expect(try JSONValue(parsing: text) == expected)
    #expect(try JSONValue(parsing: Data(text.utf8)) == expected)
  }

  static let invalid: [(String, String)] = [
    ("", "unexpected end"), ("tru", "unexpected end"), ("nul1", "unexpected character"), ("01", "after the value"),
    ("1.", "without digits"), ("-", "without digits"), ("1e", "without digits"), ("[1,]", "unexpected character"),
    ("{\"a\" 1}", "expected ':'"), ("{\"a\":1,}", "member name"), ("[1 2]", "expected ','"), ("\"open", "unterminated"),
    ("\"a\u{1}b\"", "control character"), (#""\x""#, "unknown escape"), (#""\ud800""#, "lone surrogate"),
    (#""\udc00x""#, "lone surrogate"), (#""\u12G4""#, "a bad"), ("{} {}", "after the value"),
    ("1e999", "out of range"),
  ]

  @Test("refuses what is not JSON and says where", arguments: invalid)
  func refuses(text: String, reason: String) {
    #expect {
      try JSONValue(parsing: text)
    } throws: { error in
      (error as? JSONParseError)?.reason.contains(reason) == true
    }
  }

  @Test("refuses bytes that are not UTF-8 inside strings, and nesting past the limit")
  func refusesGarbage() {
    #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0xFE, 0x22]) }
    #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0x5C, 0x6E, 0xC3, 0x22]) }
    let deep =
      String(repeating: "[", count: JSONParser.maximumDepth + 1)
      + String(repeating: "]", count: JSONParser.maximumDepth + 1)
    #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
    #expect((try? JSONValue(parsing: fine)) != nil)
  }

  @Test("a repeated member name keeps the last value; nested objects keep their own members")
  func repeatedNames() throws {
    let value = try JSONValue(parsing: #"{"a":1,"b":{"a":2,"c":{"a":3},"a":4},"a":5,"d":{}}"#)
    #expect(
      value
        == .object([
          "a": .number(5), "b": .object(["a": .number(4), "c": .object(["a": .number(3)])]), "d": .object([:]),
        ]))
  }

  @Test(
    "escapes anywhere in a string, with plain runs between them",
    arguments: [
      (#""\"a\" and \"b\"""#, "\"a\" and \"b\""), (#""x\\""#, "x\\"), (#""\n""#, "\n"),
      (#""caf\u00e9 \"\u00e9\" é""#, "café \"é\" é"), (#""{\"k\":[1,\"v\"]}""#, #"{"k":[1,"v"]}"#),
    ])
  func escapedRuns(text: String, expected: String) throws {
    #expect(try JSONValue(parsing: text) == .string(expected))
  }

  @Test("a selection keeps the members it names, in objects and in each element of arrays, and leaves out the rest")
  func selection() throws {
    let text = #"{"a":{"x":1,"y":[2,{"z":"\u00e9"}]},"b":[{"k":1,"l":"drop"},{"l":2},7],"c":"kept","d":{"e":null}}"#
    let selection = JSONSelection.members([
      ("a", .members([("y", .everything)])), ("b", .members([("k", .everything)])), ("c", .everything),
      ("missing", .everything),
    ])
    let value = try text.utf8CString.withUnsafeBytes { buffer in
      try JSONValue(parsing: UnsafeRawBufferPointer(rebasing: buffer.dropLast()), selecting: selection)
    }
    #expect(
      value
        == .object([
          "a": .object(["y": .array([.number(2), .object(["z": .string("é")])])]),
          "b": .array([.object(["k": .number(1)]), .object([:]), .number(7)]), "c": .string("kept"),
        ]))
  }

  @Test(
    "what a selection leaves out must still be JSON",
    arguments: invalid.map(\.0).filter { !$0.isEmpty } + ["\"\u{1}\"", #""\uZZZZ""#])
  func selectionChecksTheRest(text: String) {
    for wrapped in ["{\"skipped\":\(text),\"kept\":1}", "{\"kept\":1,\"skipped\":[\(text)]}"] {
      #expect(throws: JSONParseError.self, "\(wrapped)") {
        try Array(wrapped.utf8).withUnsafeBytes { buffer in
          try JSONValue(parsing: buffer, selecting: .members([("kept", .everything)]))
        }
      }
    }
    #expect(throws: JSONParseError.self) {
      try [0x7B, 0x22, 0x73, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D].withUnsafeBytes { buffer in
        try JSONValue(parsing: buffer, selecting: .members([("kept", .everything)]))
      }
    }
  }

  @Test("the compact writer is what JSONCoding writes, and reads back to the same value", arguments: valid)
  func compactText(text: String) throws {
    let value = try JSONValue(parsing: text)
    let encoded = String(decoding: try JSONCoding.encoder(pretty: false).encode(value), as: UTF8.self)
    #expect(value.compactText == encoded)
    #expect(try JSONValue(parsing: value.compactText) == value)
  }
}
