import Foundation
import Testing

@testable import WordbenchCore

@Suite("Schema validator")
struct SchemaValidatorTests {
  static let schema = """
    {"type":"object","additionalProperties":false,"required":["word","senses","rank","kind","note"],
     "properties":{
       "word":{"type":"string","pattern":"^[a-z]+$"},
       "senses":{"type":"array","minItems":1,"maxItems":2,"items":{"$ref":"#/$defs/sense"}},
       "rank":{"type":"integer","minimum":1,"exclusiveMaximum":100,"multipleOf":1},
       "kind":{"enum":["noun","verb"]},
       "note":{"anyOf":[{"type":"string"},{"type":"null"}]}},
     "$defs":{"sense":{"type":"object","additionalProperties":false,"required":["gloss","more"],
       "properties":{"gloss":{"type":"string"},"more":{"anyOf":[{"$ref":"#/$defs/sense"},{"type":"null"}]}}}}}
    """

  static let cases: [(String, String?)] = [
    (#"{"word":"otter","senses":[{"gloss":"g","more":null}],"rank":3,"kind":"noun","note":null}"#, nil),
    (
      #"{"word":"otter","senses":[{"gloss":"g","more":{"gloss":"h","more":null}}],"rank":3,"kind":"verb","note":"n"}"#,
      nil
    ),
    (
      #"{"word":"Otter","senses":[{"gloss":"g","more":null}],"rank":3,"kind":"noun","note":null}"#,
      "/word: does not match the pattern ^[a-z]+$"
    ),
    (
      #"{"word":"otter","senses":[],"rank":3,"kind":"noun","note":null}"#, "/senses: 0 items, fewer than 1"
    ),
    (
      #"{"word":"otter","senses":[{"gloss":"g","more":{"gloss":1,"more":null}}],"rank":3,"kind":"noun","note":null}"#,
      "/senses/0/more: matches none of the anyOf options"
    ),
    (
      #"{"word":"otter","senses":[{"gloss":"g"}],"rank":3,"kind":"noun","note":null}"#,
      "/senses/0: the required property more is missing"
    ),
    (
      #"{"word":"otter","senses":[{"gloss":"g","more":null}],"rank":3.5,"kind":"noun","note":null}"#,
      "/rank: expected integer, found a number"
    ),
    (
      #"{"word":"otter","senses":[{"gloss":"g","more":null}],"rank":100,"kind":"noun","note":null}"#,
      "/rank: 100.0 is not below 100.0"
    ),
    (
      #"{"word":"otter","senses":[{"gloss":"g","more":null}],"rank":3,"kind":"adj","note":null}"#,
      #"/kind: "adj" is not one of "noun", "verb""#
    ),
    (
      #"{"word":"otter","senses":[{"gloss":"g","more":null}],"rank":3,"kind":"noun","note":null,"x":1}"#,
      "/: the property x is not allowed"
    ),
    ("[]", "/: expected object, found an array"),
  ]

  @Test("finds the first violation and its path, through $ref, anyOf, enum, bounds and patterns", arguments: cases)
  func violations(document: String, expected: String?) throws {
    let validator = SchemaValidator(root: try JSONValue(parsing: Self.schema))
    #expect(validator.violation(of: try JSONValue(parsing: document)) == expected)
  }

  @Test(
    "required names that are not all the properties, and objects open to other properties",
    arguments: [
      (#"{"a":1,"c":2}"#, "/: the required property b is missing"), (#"{"a":1,"b":2,"z":3}"#, nil),
      (#"{"b":2}"#, "/: the required property a is missing"),
      (#"{"a":1,"b":"x"}"#, "/b: expected number, found a string"),
      (#"{"a":1,"b":2,"c":"x"}"#, "/c: expected number, found a string"),
    ])
  func partlyRequired(document: String, expected: String?) throws {
    let properties = #""properties":{"a":{"type":"number"},"b":{"type":"number"},"c":{"type":"number"}}"#
    let validator = SchemaValidator(
      root: try JSONValue(parsing: #"{"type":"object","required":["a","b"],"# + properties + "}"))
    #expect(validator.violation(of: try JSONValue(parsing: document)) == expected)
    // A name required twice, or required without being declared, is checked by name, not by counting.
    let twice = SchemaValidator(
      root: try JSONValue(parsing: #"{"type":"object","required":["a","b","b"],"# + properties + "}"))
    #expect(twice.violation(of: try JSONValue(parsing: document)) == expected)
    let undeclared = SchemaValidator(
      root: try JSONValue(parsing: #"{"type":"object","required":["a","q"],"properties":{"a":{"type":"number"}}}"#))
    #expect(undeclared.violation(of: try JSONValue(parsing: #"{"a":1}"#)) == "/: the required property q is missing")
  }

  @Test("a $ref that leads nowhere is a violation, not a crash")
  func brokenReference() throws {
    let validator = SchemaValidator(root: try JSONValue(parsing: ##"{"$ref":"#/$defs/missing"}"##))
    #expect(validator.violation(of: .null) == "/: the schema's $ref #/$defs/missing leads nowhere")
  }
}
