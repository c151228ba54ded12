import Foundation

/// Where one request of a run ended up (design.md §8: exactly one of merged, rejected, failed).
public enum ResultClass: String, Codable, Sendable, CaseIterable {
  case merged, rejected, failed
}

/// Why a request was rejected or failed. Retried: expired, cancelled, 429, 5xx, missing, truncated, invalid or
/// schema-violating content, empty answers. Permanent: other 4xx (such as a context too long), refusals, and an
/// entry for another headword.
public enum FailureKind: String, Codable, Sendable, CaseIterable {
  case batchExpired = "batch_expired"
  case batchCancelled = "batch_cancelled"
  case rateLimited = "http_429"
  case serverError = "http_5xx"
  case requestError = "http_4xx"
  case missing
  case truncated
  case invalidContent = "invalid_content"
  case schemaViolation = "schema_violation"
  case empty
  case refusal
  case headwordMismatch = "headword_mismatch"

  public var isRetried: Bool { ![.requestError, .refusal, .headwordMismatch].contains(self) }
}

/// One line of an output or error file, read and judged.
struct ResultLine: Sendable {
  var customID: String
  var resultClass: ResultClass
  var kind: FailureKind?
  var message: String?
  /// The entry as compact JSON, for merged lines.
  var entry: String?
  var definitions: String?
  var promptTokens = 0
  var completionTokens = 0

  /// The members of a result line that `judge` reads.
  static let judgedMembers = JSONSelection.members([
    ("custom_id", .everything), ("error", .everything),
    (
      "response",
      .members([
        ("status_code", .everything),
        (
          "body",
          .members([
            ("error", .everything),
            ("usage", .members([("prompt_tokens", .everything), ("completion_tokens", .everything)])),
            (
              "choices",
              .members([
                ("message", .members([("refusal", .everything), ("content", .everything)])),
                ("finish_reason", .everything),
              ])
            ),
          ])
        ),
      ])
    ),
  ])
  static let customIDMember = JSONSelection.members([("custom_id", .everything)])

  /// Reads a line, the members `selection` names (every one by default); nil when it is not a result line at all:
  /// not JSON (all of it is checked), or without a custom_id.
  static func read(
    _ bytes: UnsafeRawBufferPointer, selecting selection: JSONSelection = .everything
  ) -> (customID: String, body: JSONValue)? {
    guard let json = try? JSONValue(parsing: bytes, selecting: selection), let id = json["custom_id"]?.string
    else { return nil }
    return (id, json)
  }

  /// Judges a result line (batch-api-contract.md §4.2–4.3, §5): success only when `error` is null and the status is
  /// 2xx; then the answer must be a complete, non-refused JSON entry that follows the schema and names `headword`.
  static func judge(_ line: JSONValue, customID: String, headword: String, schema: SchemaValidator) -> ResultLine {
    var result = ResultLine(customID: customID, resultClass: .failed)
    func fail(_ kind: FailureKind, _ message: String) -> ResultLine {
      result.resultClass = kind.isRejection ? .rejected : .failed
      result.kind = kind
      result.message = message
      return result
    }
    if let error = line["error"], error != .null {
      let code = error["code"]?.string ?? ""
      let kind: FailureKind =
        code == "batch_expired" ? .batchExpired : code == "batch_cancelled" ? .batchCancelled : .serverError
      return fail(kind, "\(code): \(error["message"]?.string ?? "")")
    }
    let response = line["response"] ?? .null
    let status = response["status_code"]?.int ?? 0
    guard (200..<300).contains(status) else {
      let error = response["body"]?["error"]
      let detail = "HTTP \(status) \(error?["code"]?.string ?? ""): \(error?["message"]?.string ?? "")"
      return fail(status == 429 ? .rateLimited : status >= 500 || status == 0 ? .serverError : .requestError, detail)
    }
    let body = response["body"] ?? .null
    if let usage = body["usage"] {
      result.promptTokens = usage["prompt_tokens"]?.int ?? 0
      result.completionTokens = usage["completion_tokens"]?.int ?? 0
    }
    let choice = body["choices"]?.array?.first ?? .null
    let message = choice["message"] ?? .null
    if let refusal = message["refusal"]?.string { return fail(.refusal, refusal) }
    if choice["finish_reason"]?.string == "length" {
      return fail(.truncated, "the answer was cut off (finish_reason length)")
    }
    guard let content = message["content"]?.string, !content.isEmpty else { return fail(.empty, "no content") }
    guard let entry = try? JSONValue(parsing: content) else {
      return fail(.invalidContent, "the content is not JSON")
    }
    if let problem = schema.violation(of: entry) { return fail(.schemaViolation, problem) }
    if let named = entry["headword"]?.string, named.lowercased() != headword.lowercased() {
      return fail(.headwordMismatch, "an entry for \"\(named)\", not \"\(headword)\"")
    }
    result.resultClass = .merged
    result.entry = content
    result.definitions = definitions(of: entry)
    return result
  }

  /// The text the search index holds for an entry besides its headword: its senses' definitions, joined by spaces.
  /// The store's `entries_search_source` view computes the same for snippets and rebuilds.
  static func definitions(of entry: JSONValue) -> String {
    (entry["senses"]?.array ?? []).compactMap { $0["definition"]?.string }.joined(separator: " ")
  }
}

extension FailureKind {
  /// Content that came back but is not usable is a rejection; no usable answer at all is a failure.
  var isRejection: Bool {
    [.truncated, .invalidContent, .schemaViolation, .empty, .refusal, .headwordMismatch].contains(self)
  }
}
