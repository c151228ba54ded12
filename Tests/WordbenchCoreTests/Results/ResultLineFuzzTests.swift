import Foundation
import Testing

@testable import WordbenchCore

/// Seeded mutation fuzzing of result lines: output and error lines in the real shapes (batch-api-contract.md §4–5),
/// damaged every way, read and judged as merge does.
@Suite("Fuzzing: output and error lines")
struct ResultLineFuzzTests {
  /// An answer as the emulator's synthesizer writes it for a word WordNet lacks: the shortest that follows the
  /// default schema.
  static let entry =
    #"{\"etymology\":null,\"frequency_band\":3,\"headword\":\"goose\",\"lemma\":\"goose\",\"pronunciation\":{\"ipa\":null,\"syllables\":null},\"senses\":[{\"antonyms\":[],\"cefr_level\":null,\"collocations\":[],\"definition\":\"A web-footed bird.\",\"domain\":null,\"examples\":[],\"part_of_speech\":\"noun\",\"region\":null,\"register\":null,\"synonyms\":[],\"usage_note\":null}],\"word_forms\":[]}"#
  static let seeds = [
    #"{"id":"batch_req_1","custom_id":"r0001-s1-000001","response":{"status_code":200,"request_id":"ab","body":{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":""#
      + entry
      + #"","refusal":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":712,"completion_tokens":388,"total_tokens":1100}}},"error":null}"#,
    #"{"id":"batch_req_2","custom_id":"r0001-s1-000002","response":{"status_code":500,"request_id":"cd","body":{"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}},"error":null}"#,
    #"{"id":"batch_req_3","custom_id":"r0001-s1-000003","response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}"#,
  ]

  @Test("a mutated line is not a result line, or is judged into exactly one class with a reason unless merged")
  func mutations() throws {
    let schemaURL = try #require(BundledData.url(EntrySchema.fileName))
    let validator = SchemaValidator(root: try EntrySchema.load(schemaURL).root)
    var mutator = Mutator(seed: 15, "result-lines")
    var classes: [ResultClass: Int] = [:]
    var unreadable = 0
    for round in 0..<Mutator.rounds(3000) {
      let bytes = mutator.mutate(Array(Self.seeds[round % Self.seeds.count].utf8))
      guard let (customID, body) = bytes.withUnsafeBytes({ ResultLine.read($0) }) else {
        #expect(bytes.withUnsafeBytes { ResultLine.read($0, selecting: ResultLine.judgedMembers) } == nil)
        unreadable += 1
        continue
      }
      let line = ResultLine.judge(body, customID: customID, headword: "goose", schema: validator)
      // Merge reads only the members judging needs; it must come to the same judgement as reading them all.
      let selected = bytes.withUnsafeBytes { ResultLine.read($0, selecting: ResultLine.judgedMembers) }
      #expect(selected?.customID == customID)
      if let selected {
        let same = ResultLine.judge(selected.body, customID: customID, headword: "goose", schema: validator)
        #expect(
          same.resultClass == line.resultClass && same.kind == line.kind && same.message == line.message
            && same.entry == line.entry && same.definitions == line.definitions
            && same.promptTokens == line.promptTokens && same.completionTokens == line.completionTokens)
      }
      classes[line.resultClass, default: 0] += 1
      if line.resultClass == .merged {
        #expect(line.entry != nil && line.kind == nil)
      } else {
        #expect(line.kind != nil && line.message?.isEmpty == false, "\(String(decoding: bytes, as: UTF8.self))")
      }
      #expect(line.promptTokens >= 0 && line.completionTokens >= 0)
    }
    #expect(unreadable > 0 && classes[.merged, default: 0] > 0 && classes[.rejected, default: 0] > 0)
    #expect(classes[.failed, default: 0] > 0)
  }
}
