import Foundation
import Testing

@testable import WordbenchCore

@Suite("Request builder")
struct RequestBuilderTests {
  static let lexicon = try! Lexicon.load(
    workspace: nil,
    context: WordbenchContext(environment: ProcessInfo.processInfo.environment))
  static let tokenizer = try! Tokenizer.bundled(cache: LexiconCache(environment: ProcessInfo.processInfo.environment))
  static let catalog = try! ModelCatalog.bundled()
  static let smallSchema = try! EntrySchema(
    bytes: Array(
      #"{"title":"entry", "type": "object", "properties": {"headword": {"type": "string"}}, "required": ["headword"], "additionalProperties": false}"#
        .utf8), file: "s.json")

  static func builder(
    model: String, template: String = "## system\nBe brief.\n## user\nWord: {{headword}} ({{lemma}})\n",
    schema: EntrySchema = smallSchema
  ) throws -> RequestBuilder {
    RequestBuilder(
      template: try PromptTemplate(text: template, file: "t.md"), schema: schema,
      rules: try catalog.rules(for: model), catalog: catalog, requests: WorkspaceConfig.Requests(),
      tokenizer: tokenizer, wordNet: lexicon.wordNet, frequencies: lexicon.frequencies)
  }

  @Test("a golden line for a fixed word, with temperature only for models that take it")
  func golden() throws {
    let word = RunWord(index: 42, word: "geese", lemma: "goose")
    let line = try Self.builder(model: "gpt-4o-mini").build(word, run: RunID(3)).line
    let expected =
      #"{"custom_id":"r0003-000042","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","#
      + #""messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Word: geese (goose)"}],"#
      + #""response_format":{"type":"json_schema","json_schema":{"name":"entry","strict":true,"schema":"#
      + #"{"title":"entry","type":"object","properties":{"headword":{"type":"string"}},"required":["headword"],"#
      + #""additionalProperties":false}}},"max_completion_tokens":2000,"temperature":0.3}}"# + "\n"
    #expect(String(decoding: line, as: UTF8.self) == expected)

    let reasoning = String(
      decoding: try Self.builder(model: "gpt-5-mini-2025-08-07").build(word, run: RunID(3)).line, as: UTF8.self)
    #expect(!reasoning.contains("temperature"))
    #expect(reasoning.contains(#""model":"gpt-5-mini-2025-08-07""#))
    #expect(reasoning.contains(#""max_completion_tokens":8000"#))
  }

  struct Line: Decodable {
    struct Body: Decodable {
      struct Message: Decodable {
        var role: String
        var content: String
      }
      var messages: [Message]
    }
    var customID: String
    var body: Body
    enum CodingKeys: String, CodingKey {
      case body
      case customID = "custom_id"
    }
  }

  @Test(
    "words with quotes, backslashes, control characters, accents and emoji survive a round trip",
    arguments: ["say \"hi\"", #"back\slash"#, "tab\there", "line\nbreak", "naïve", "Ångström", "東京", "🙂👍🏽", "\u{01}"])
  func escaping(word: String) throws {
    let built = try Self.builder(model: "gpt-4o-mini").build(RunWord(index: 1, word: word, lemma: word), run: RunID(1))
    #expect(built.line.last == 0x0A)
    #expect(built.line.dropLast().allSatisfy { $0 != 0x0A })
    #expect(!built.line.starts(with: [0xEF, 0xBB, 0xBF]))
    let decoded = try JSONDecoder().decode(Line.self, from: Data(built.line))
    #expect(decoded.body.messages[1].content == "Word: \(word) (\(word))")
    #expect(decoded.customID.wholeMatch(of: /[A-Za-z0-9_-]{1,64}/) != nil)
  }

  @Test("input tokens are the messages' exact tokens plus the documented overheads and the schema")
  func tokens() throws {
    let builder = try Self.builder(model: "gpt-4o-mini")
    let word = RunWord(index: 7, word: "running", lemma: "run")
    let built = builder.build(word, run: RunID(1))
    let messages = builder.messages(word)
    let expected =
      messages.map { Self.tokenizer.count($0) }.reduce(0, +) + 2 * Self.catalog.messageOverheadTokens
      + Self.catalog.replyOverheadTokens + Self.tokenizer.count(Self.smallSchema.compactJSON)
    #expect(built.inputTokens == expected)
    #expect(builder.inputTokens(word) == expected)
    #expect(messages == ["Be brief.", "Word: running (run)"])
  }

  @Test("the default template grounds the word in WordNet's senses, else its lemma's")
  func grounding() throws {
    let template = try String(contentsOf: BundledData.url(PromptTemplate.fileName)!, encoding: .utf8)
    let builder = try Self.builder(model: "gpt-4o-mini", template: template)
    let user = builder.messages(RunWord(index: 1, word: "goose", lemma: "goose"))[1]
    #expect(user.contains("- (noun) web-footed long-necked typically gregarious migratory aquatic birds"))
    let viaLemma = builder.messages(RunWord(index: 1, word: "zzgeese", lemma: "goose"))[1]
    #expect(viaLemma.contains("(noun) web-footed"))
    let unknown = builder.messages(RunWord(index: 1, word: "zzqx", lemma: "zzqx"))[1]
    #expect(unknown.contains("WordNet does not have this word"))
  }
}

@Suite("Model catalog")
struct ModelCatalogTests {
  @Test("dated snapshots use their family's rules; unknown models are named with the fix")
  func lookup() throws {
    let catalog = try ModelCatalog.bundled()
    #expect(try catalog.rules(for: "gpt-4o-mini-2024-07-18").batchInput == 0.075)
    #expect(try catalog.rules(for: "gpt-4.1-mini").batchOutput == 0.80)
    #expect(throws: RequestError.self) { try catalog.rules(for: "llama-3") }
    for rules in catalog.models {
      #expect(abs(rules.batchInput - rules.input / 2) < 1e-9, "\(rules.model)")
      #expect(abs(rules.batchOutput - rules.output / 2) < 1e-9, "\(rules.model)")
    }
  }

  @Test("a workspace's [models] section changes prices and limits, and can add a model")
  func overrides() throws {
    let config = try WorkspaceConfigFile.parse(
      """
      [models."gpt-4o-mini"]
      input_price = 0.2
      max_shard_input_tokens = 1_000
      [models.my-model]
      input_price = 1
      output_price = 4
      batch_output_price = 1.5
      """, file: "w.toml")
    let catalog = try ModelCatalog.bundled(overrides: config.models)
    let mini = try catalog.rules(for: "gpt-4o-mini")
    #expect(mini.input == 0.2 && mini.batchInput == 0.1 && mini.output == 0.60 && mini.shardInputTokens == 1000)
    let mine = try catalog.rules(for: "my-model")
    #expect(mine.batchInput == 0.5 && mine.batchOutput == 1.5)
    #expect(mine.cost(inputTokens: 2_000_000, outputTokens: 1_000_000) == 2.5)
  }

  @Test("a wrong key or value in a [models] section is reported with its line")
  func badOverride() {
    #expect {
      try WorkspaceConfigFile.parse("[models.x]\ninput_price = \"cheap\"\nspeed = 3\n", file: "w.toml")
    } throws: { error in
      guard case WorkspaceError.invalidConfig(let problems) = error else { return false }
      return problems.map(\.line) == [2, 3] && problems[1].message.contains("unknown key")
    }
  }
}
