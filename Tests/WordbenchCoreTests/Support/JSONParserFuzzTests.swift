import Foundation
import Testing

@testable import WordbenchCore

/// Seeded mutation fuzzing of the JSON parser, which reads every result line, provider reply and shard line.
@Suite("Fuzzing: the JSON parser")
struct JSONParserFuzzTests {
  static let seeds = [
    #"{"id":"batch_req_1","custom_id":"r0001-s1-000001","response":{"status_code":200,"request_id":"ab","body":{"choices":[{"index":0,"message":{"role":"assistant","content":"{\"headword\":\"geese\",\"senses\":[]}","refusal":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":712,"completion_tokens":388}}},"error":null}"#,
    #"{"object":"list","data":[{"id":"file-1","bytes":1.5e3,"purpose":"batch","status":"processed","expires_at":null}],"has_more":false}"#,
    #"[true,false,null,-0,1e-7,"\u00e9\ud83d\ude00\n\t\"\\",{"":{}}]"#,
  ]

  @Test("mutated JSON parses to a value that round-trips, or fails with a JSONParseError and an offset")
  func mutations() throws {
    var mutator = Mutator(seed: 11, "json")
    var parsed = 0
    let rounds = Mutator.rounds(3000)
    for round in 0..<rounds {
      let input = mutator.mutate(Array(Self.seeds[round % Self.seeds.count].utf8))
      do {
        let value = try JSONValue(parsing: input)
        parsed += 1
        #expect(
          try JSONValue(parsing: value.compactText) == value, "round trip of \(String(decoding: input, as: UTF8.self))")
      } catch {
        #expect(error.offset <= input.count)
      }
    }
    #expect(parsed > 0 && parsed < rounds, "the mutations reach both outcomes")
  }
}
