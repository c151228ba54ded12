import Foundation

/// One word of a run: its line in `words.tsv` and the `custom_id` that maps its result back to it.
public struct RunWord: Codable, Equatable, Sendable {
  /// 1-based position in the run.
  public var index: Int
  public var word: String
  public var lemma: String

  public init(index: Int, word: String, lemma: String) {
    self.index = index
    self.word = word
    self.lemma = lemma
  }

  /// `r0003-000042`: the run and the word's position, within `^[A-Za-z0-9_-]{1,64}$` for every provider.
  public func customID(run: RunID) -> String {
    "\(run)-\(index.zeroPadded(6))"
  }
}

/// A request line ready for a shard, with its exact input tokens. The line is its own start (id and messages)
/// followed by the part every line shares (response format and parameters), which is kept once, not copied per line.
public struct BuiltRequest: Sendable {
  public var start: [UInt8]
  public var shared: [UInt8]
  public var inputTokens: Int

  /// The JSON line, newline included.
  public var line: [UInt8] { start + shared }
  public var byteCount: Int { start.count + shared.count }
}

/// Writes the request line of each word: the chat completion body with the rendered messages, the strict response
/// format and the model's own parameters, as compact JSON built from pre-rendered pieces.
public struct RequestBuilder: Sendable {
  public static let endpoint = "/v1/chat/completions"

  public let rules: ModelRules
  let template: PromptTemplate
  public let schema: EntrySchema
  let tokenizer: Tokenizer
  let wordNet: WordNet
  let frequencies: WordFrequencies
  let maxSenses: Int
  /// Prompt tokens every request has: overheads, the schema and the messages without placeholders.
  public let fixedInputTokens: Int
  /// `","method":"POST",...,"messages":[` up to the first message.
  private let head: [UInt8]
  /// From the end of the messages to the end of the line.
  private let tail: [UInt8]

  public init(
    template: PromptTemplate, schema: EntrySchema, rules: ModelRules, catalog: ModelCatalog,
    requests: WorkspaceConfig.Requests, tokenizer: Tokenizer, wordNet: WordNet, frequencies: WordFrequencies
  ) {
    self.template = template
    self.schema = schema
    self.rules = rules
    self.tokenizer = tokenizer
    self.wordNet = wordNet
    self.frequencies = frequencies
    maxSenses = requests.maxSenses
    var fixed = catalog.replyOverheadTokens + 2 * catalog.messageOverheadTokens + tokenizer.count(schema.compactJSON)
    for message in [template.system, template.user] where message.isConstant {
      fixed += tokenizer.count(message.render { _ in "" })
    }
    fixedInputTokens = fixed
    head = Array(
      "\",\"method\":\"POST\",\"url\":\(JSONString.quoted(Self.endpoint)),\"body\":{\"model\":\(JSONString.quoted(rules.model)),\"messages\":["
        .utf8)
    var tail =
      "],\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\(JSONString.quoted(schema.name)),"
    tail +=
      "\"strict\":true,\"schema\":\(schema.compactJSON)}},\"\(rules.tokenParameter)\":\(rules.maxCompletionTokens)"
    if rules.temperature { tail += ",\"temperature\":\(requests.temperature)" }
    tail += "}}\n"
    self.tail = Array(tail.utf8)
  }

  /// The request line of `word` in run `run`.
  public func build(_ word: RunWord, run: RunID) -> BuiltRequest {
    var values: [PromptTemplate.Placeholder: String] = [:]
    func value(_ placeholder: PromptTemplate.Placeholder) -> String {
      if let known = values[placeholder] { return known }
      let made = render(placeholder, of: word)
      values[placeholder] = made
      return made
    }
    var line: [UInt8] = []
    line.reserveCapacity(2048)
    line.append(contentsOf: "{\"custom_id\":\"".utf8)
    line.append(contentsOf: word.customID(run: run).utf8)
    line.append(contentsOf: head)
    var tokens = fixedInputTokens
    for (role, message) in [("system", template.system), ("user", template.user)] {
      if role == "user" { line.append(0x2C) }
      let content = message.render(value)
      if !message.isConstant { tokens += tokenizer.count(content) }
      line.append(contentsOf: "{\"role\":\"\(role)\",\"content\":".utf8)
      JSONString.append(content, to: &line)
      line.append(0x7D)
    }
    return BuiltRequest(start: line, shared: tail, inputTokens: tokens)
  }

  /// The exact input tokens of `word`'s request, without building the line.
  public func inputTokens(_ word: RunWord) -> Int {
    var tokens = fixedInputTokens
    for message in [template.system, template.user] where !message.isConstant {
      tokens += tokenizer.count(message.render { render($0, of: word) })
    }
    return tokens
  }

  /// The messages of `word` as the model sees them, for checks against another tokenizer.
  public func messages(_ word: RunWord) -> [String] {
    [template.system, template.user].map { $0.render { render($0, of: word) } }
  }

  private func render(_ placeholder: PromptTemplate.Placeholder, of word: RunWord) -> String {
    switch placeholder {
    case .headword: word.word
    case .lemma: word.lemma
    case .zipf: Self.twoDecimals(frequencies.zipf(word.word))
    case .senses: senses(of: word)
    }
  }

  /// `%.2f` for the small non-negative numbers Zipf values are, without `String(format:)`'s cost on every line.
  static func twoDecimals(_ value: Double) -> String {
    let hundredths = Int((max(0, value) * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
  }

  /// `- (noun) gloss; synonyms: a, b`, one line per sense: the headword's senses, else its lemma's.
  func senses(of word: RunWord) -> String {
    guard maxSenses > 0 else { return "" }
    var senses = (try? wordNet.senses(of: word.word, limit: maxSenses)) ?? []
    if senses.isEmpty && word.lemma != word.word {
      senses = (try? wordNet.senses(of: word.lemma, limit: maxSenses)) ?? []
    }
    if senses.isEmpty { return "- (none: WordNet does not have this word)" }
    return senses.map { sense in
      var line = "- (\(sense.partOfSpeech.rawValue)) \(sense.gloss)"
      if !sense.synonyms.isEmpty { line += "; synonyms: \(sense.synonyms.joined(separator: ", "))" }
      if !sense.antonyms.isEmpty { line += "; antonyms: \(sense.antonyms.joined(separator: ", "))" }
      return line
    }.joined(separator: "\n")
  }
}
