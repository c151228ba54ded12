import Foundation
import WordbenchCore

/// What one request of a finished batch comes to, with every seeded draw already made: the emulator draws in file
/// order (so a seed always gives the same files) and then turns plans into result lines on all cores.
enum ResultPlan: Sendable {
  /// Not run before the batch expired or was cancelled.
  case unexecuted(lineID: String, customID: String, expired: Bool)
  /// A per-line HTTP error (500 or 429), as the fault rates ask.
  case httpError(lineID: String, customID: String, requestID: String, status: Int)
  /// A chat completion answered by the synthesizer, damaged as drawn.
  case answer(
    lineID: String, customID: String, requestID: String, body: JSONValue, damage: Synthesizer.Damage,
    completionID: String)

  /// One line of the output file (an answer) or of the error file (anything else), with the answer's tokens.
  struct Line: Sendable {
    var text: String
    var isOutput: Bool
    var promptTokens = 0
    var completionTokens = 0
  }

  func line(synthesizer: Synthesizer, created: Double) -> Line {
    switch self {
    case .unexecuted(let lineID, let customID, let expired):
      let (code, message) =
        expired
        ? ("batch_expired", "This request could not be executed before the completion window expired.")
        : ("batch_cancelled", "This request was not executed because the batch was cancelled.")
      return Line(
        text: Self.text(
          lineID, customID, response: .null, error: .object(["code": .string(code), "message": .string(message)])),
        isOutput: false)
    case .httpError(let lineID, let customID, let requestID, let status):
      let (message, type, code) =
        status == 500
        ? ("The server had an error.", "server_error", "server_error")
        : ("Rate limit reached.", "requests", "rate_limit_exceeded")
      let error: JSONValue = .object([
        "message": .string(message), "type": .string(type), "param": .null, "code": .string(code),
      ])
      return Line(
        text: Self.text(
          lineID, customID,
          response: .object([
            "status_code": .number(Double(status)), "request_id": .string(requestID),
            "body": .object(["error": error]),
          ])),
        isOutput: false)
    case .answer(let lineID, let customID, let requestID, let body, let damage, let completionID):
      let answer = synthesizer.answer(body, damage: damage)
      return Line(
        text: Self.text(
          lineID, customID,
          response: .object([
            "status_code": 200, "request_id": .string(requestID),
            "body": .object([
              "id": .string(completionID), "object": "chat.completion",
              "created": .number(created), "model": .string(body["model"]?.string ?? "unknown"),
              "choices": .array([
                .object([
                  "index": 0,
                  "message": .object(["role": "assistant", "content": .string(answer.content), "refusal": .null]),
                  "logprobs": .null, "finish_reason": .string(answer.finishReason),
                ])
              ]),
              "usage": .object([
                "prompt_tokens": .number(Double(answer.promptTokens)),
                "completion_tokens": .number(Double(answer.completionTokens)),
                "total_tokens": .number(Double(answer.promptTokens + answer.completionTokens)),
              ]),
              "system_fingerprint": "fp_wordbench_emulator",
            ]),
          ])),
        isOutput: true, promptTokens: answer.promptTokens, completionTokens: answer.completionTokens)
    }
  }

  /// A result line: its id and custom_id, with the response or the error the request ended in.
  private static func text(_ lineID: String, _ customID: String, response: JSONValue, error: JSONValue = .null)
    -> String
  {
    Synthesizer.text(
      .object(["id": .string(lineID), "custom_id": .string(customID), "response": response, "error": error]))
  }
}
