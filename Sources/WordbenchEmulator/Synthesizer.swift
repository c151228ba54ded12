import Foundation
import Synchronization
import WordbenchCore

/// Answers chat completion requests offline. A request whose user message names a headword (`Headword: X`, as the
/// default prompt does) gets an entry that follows the default entry schema, built from WordNet: senses with
/// glosses, examples, synonyms and antonyms, word forms, and a frequency band from the word's Zipf value. Other
/// requests get a short deterministic answer. Usage is counted with the model's tokenizer.
struct Synthesizer: Sendable {
  let lexicon: Lexicon
  let tokenizer: Tokenizer
  let catalog: ModelCatalog
  /// The tokens of each response-format schema seen: every line of a batch carries the same one, and counting it
  /// again for each would be most of the emulator's work.
  let schemaTokens = TokenCountCache()

  /// The content and token usage for one request body.
  struct Answer {
    var content: String
    var finishReason: String
    var promptTokens: Int
    var completionTokens: Int
  }

  /// What a fault does to an answer.
  enum Damage {
    case none, invalidJSON, schemaViolation, truncated
  }

  /// The prompt tokens of a request: its messages, the overheads and the response format's schema.
  func answerPromptTokens(_ body: JSONValue) -> Int {
    let messages = body["messages"]?.array ?? []
    var prompt = catalog.replyOverheadTokens
    for content in messages.compactMap({ $0["content"]?.string }) {
      prompt += tokenizer.count(content) + catalog.messageOverheadTokens
    }
    if let schema = body["response_format"]?["json_schema"]?["schema"] {
      prompt += schemaTokens.count(schema.compactText, tokenizer: tokenizer)
    }
    return prompt
  }

  func answer(_ body: JSONValue, damage: Damage) -> Answer {
    let messages = body["messages"]?.array ?? []
    let prompt = answerPromptTokens(body)
    let user = messages.last { $0["role"]?.string == "user" }?["content"]?.string ?? ""
    var content: String
    if let headword = Self.field("Headword", in: user) {
      let lemma = Self.field("Lemma", in: user) ?? lexicon.lemmatizer.normalize(headword).lemma
      content = Self.text(entry(headword: headword, lemma: lemma, damage: damage))
    } else {
      content = "This is the emulator's answer to a request without a headword."
    }
    var finish = "stop"
    switch damage {
    case .invalidJSON: content = String(content.prefix(content.count / 2)) + " [not JSON"
    case .truncated:
      content = String(content.prefix(max(1, content.count / 3)))
      finish = "length"
    case .none, .schemaViolation: break
    }
    return Answer(
      content: content, finishReason: finish, promptTokens: prompt, completionTokens: tokenizer.count(content))
  }

  /// `Headword: goose` → `goose`.
  static func field(_ name: String, in text: String) -> String? {
    for line in text.split(separator: "\n") where line.hasPrefix("\(name): ") {
      let value = line.dropFirst(name.count + 2).trimmingCharacters(in: .whitespaces)
      if !value.isEmpty { return value }
    }
    return nil
  }

  static func text(_ value: JSONValue) -> String {
    value.compactText
  }

  func entry(headword: String, lemma: String, damage: Damage) -> JSONValue {
    var senses = (try? lexicon.wordNet.senses(of: headword, limit: 6)) ?? []
    if senses.isEmpty { senses = (try? lexicon.wordNet.senses(of: lemma, limit: 6)) ?? [] }
    let zipf = lexicon.frequencies.zipf(headword)
    var senseValues: [JSONValue] = senses.map { sense in
      .object([
        "part_of_speech": .string(sense.partOfSpeech.rawValue), "definition": .string(sense.gloss),
        "examples": .array(sense.examples.map { .string($0) }), "synonyms": .array(sense.synonyms.map { .string($0) }),
        "antonyms": .array(sense.antonyms.map { .string($0) }), "register": .null, "domain": .null, "region": .null,
        "cefr_level": zipf >= 5 ? "A2" : zipf >= 4 ? "B1" : zipf >= 3 ? "B2" : "C1", "collocations": .array([]),
        "usage_note": .null,
      ])
    }
    if senseValues.isEmpty {
      senseValues = [
        .object([
          "part_of_speech": "noun", "definition": .string("A word WordNet does not describe: \(headword)."),
          "examples": .array([]), "synonyms": .array([]), "antonyms": .array([]), "register": .null, "domain": .null,
          "region": .null, "cefr_level": .null, "collocations": .array([]), "usage_note": .null,
        ])
      ]
    }
    let parts = Set(senses.map(\.partOfSpeech))
    var entry: [String: JSONValue] = [
      "headword": .string(headword), "lemma": .string(lemma),
      "pronunciation": .object(["ipa": .null, "syllables": .null]), "senses": .array(senseValues),
      "etymology": .null, "word_forms": .array(Self.forms(of: lemma, parts: parts)),
      "frequency_band": .number(Double(zipf >= 6 ? 1 : zipf >= 5 ? 2 : zipf >= 4 ? 3 : zipf >= 3 ? 4 : 5)),
    ]
    if damage == .schemaViolation {
      entry["senses"] = nil
      entry["frequency_band"] = "common"
    }
    return .object(entry)
  }

  /// Regular inflections by simple English spelling: plural for nouns, -s, -ed and -ing for verbs.
  static func forms(of lemma: String, parts: Set<PartOfSpeech>) -> [JSONValue] {
    func form(_ text: String, _ label: String) -> JSONValue {
      .object(["form": .string(text), "label": .string(label)])
    }
    let sibilant = ["s", "x", "z", "ch", "sh"].contains { lemma.hasSuffix($0) }
    let consonantY = lemma.hasSuffix("y") && !["ay", "ey", "oy", "uy"].contains { lemma.hasSuffix($0) }
    let plural = sibilant ? lemma + "es" : consonantY ? String(lemma.dropLast()) + "ies" : lemma + "s"
    var forms: [JSONValue] = []
    if parts.contains(.noun) { forms.append(form(plural, "plural")) }
    if parts.contains(.verb) {
      let stem = lemma.hasSuffix("e") ? String(lemma.dropLast()) : lemma
      forms.append(form(plural, "third person singular"))
      forms.append(form(consonantY ? String(lemma.dropLast()) + "ied" : stem + "ed", "past tense"))
      forms.append(form(stem + "ing", "present participle"))
    }
    return forms
  }
}

/// Token counts of texts that come again and again, remembered (a handful of entries: one per schema).
final class TokenCountCache: Sendable {
  private let counts = Mutex<[String: Int]>([:])

  func count(_ text: String, tokenizer: Tokenizer) -> Int {
    if let known = counts.withLock({ $0[text] }) { return known }
    let count = tokenizer.count(text)
    counts.withLock { $0[text] = count }
    return count
  }
}
