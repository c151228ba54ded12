import Foundation
import WordbenchCore

/// A file the emulator holds; its bytes are in the data folder under `id`.
struct FileRecord: Codable, Sendable {
  var id: String
  var bytes: Int
  var createdAt: Int
  var filename: String
  var purpose: String

  var json: JSONValue {
    .object([
      "id": .string(id), "object": "file", "bytes": .number(Double(bytes)), "created_at": .number(Double(createdAt)),
      "expires_at": .number(Double(createdAt + 2_592_000)), "filename": .string(filename), "purpose": .string(purpose),
      "status": "processed", "status_details": .null,
    ])
  }
}

/// A batch and everything that decides its course. Its status is computed from emulated time (`status(at:)`);
/// results are made once, when it first reaches a state that has them.
struct BatchRecord: Codable, Sendable {
  var id: String
  var inputFileID: String
  var endpoint: String
  var metadata: [String: String]
  var createdAt: Double
  var model: String?
  var lineCount: Int
  /// Validation errors found at creation; the batch fails when its validation phase ends.
  var validationErrors: [BatchError]
  var validatingUntil: Double
  var processingUntil: Double
  var finalizingUntil: Double
  /// Set by the expiry fault: the batch expires at `expiresAt` instead of finishing.
  var expires: Bool
  var cancelRequestedAt: Double?
  var cancellingUntil: Double?
  /// Set once results are made.
  var outcome: Outcome?
  /// The prompt tokens of all its lines, for the enqueued-token limit.
  var promptTokens: Int?
  /// True once the validating phase has checked the input file.
  var validated: Bool?

  struct Outcome: Codable, Sendable {
    /// completed, expired or cancelled.
    var status: String
    var at: Double
    var outputFileID: String?
    var errorFileID: String?
    var completed: Int
    var failed: Int
    var inputTokens: Int
    var outputTokens: Int
  }

  var expiresAt: Double { createdAt + 86_400 }

  /// The status at emulated time `now`, and the time it began.
  func status(at now: Double) -> (String, Double) {
    if !validationErrors.isEmpty {
      return now < validatingUntil ? ("validating", createdAt) : ("failed", validatingUntil)
    }
    if let cancelled = cancelRequestedAt, let until = cancellingUntil {
      return now < until ? ("cancelling", cancelled) : ("cancelled", until)
    }
    if now < validatingUntil { return ("validating", createdAt) }
    if expires { return now < expiresAt ? ("in_progress", validatingUntil) : ("expired", expiresAt) }
    if now < processingUntil { return ("in_progress", validatingUntil) }
    if now < finalizingUntil { return ("finalizing", processingUntil) }
    return ("completed", finalizingUntil)
  }

  /// The share of lines done by `time`, for partial results: an expired batch got through about half its lines, a
  /// cancelled one as many as its processing time allowed.
  func progress(at time: Double, expired: Bool) -> Double {
    if expired { return 0.5 }
    guard time > validatingUntil else { return 0 }
    return min(1, (time - validatingUntil) / max(0.001, processingUntil - validatingUntil))
  }

  func json(at now: Double) -> JSONValue {
    let (status, since) = status(at: now)
    func time(_ value: Double?) -> JSONValue { value.map { .number(Double(Int($0))) } ?? .null }
    let inProgressAt = validationErrors.isEmpty && now >= validatingUntil ? validatingUntil : nil
    let counts: (Int, Int, Int) =
      if let outcome { (lineCount, outcome.completed, outcome.failed) } else if inProgressAt != nil {
        (lineCount, 0, 0)
      } else { (0, 0, 0) }
    let usage: JSONValue =
      outcome.map {
        .object([
          "input_tokens": .number(Double($0.inputTokens)), "output_tokens": .number(Double($0.outputTokens)),
          "total_tokens": .number(Double($0.inputTokens + $0.outputTokens)),
          "input_tokens_details": .object(["cached_tokens": 0]),
          "output_tokens_details": .object(["reasoning_tokens": 0]),
        ])
      } ?? .null
    let errors: JSONValue =
      validationErrors.isEmpty
      ? .null
      : .object([
        "object": "list",
        "data": .array(
          validationErrors.map {
            .object([
              "code": .string($0.code), "message": .string($0.message), "param": $0.param.map { .string($0) } ?? .null,
              "line": $0.line.map { .number(Double($0)) } ?? .null,
            ])
          }),
      ])
    return .object([
      "id": .string(id), "object": "batch", "endpoint": .string(endpoint), "model": model.map { .string($0) } ?? .null,
      "errors": errors, "input_file_id": .string(inputFileID), "completion_window": "24h", "status": .string(status),
      "output_file_id": outcome?.outputFileID.map { .string($0) } ?? .null,
      "error_file_id": outcome?.errorFileID.map { .string($0) } ?? .null,
      "created_at": time(createdAt), "in_progress_at": time(inProgressAt), "expires_at": time(expiresAt),
      "finalizing_at": time(["finalizing", "completed"].contains(status) ? processingUntil : nil),
      "completed_at": time(status == "completed" ? since : nil), "failed_at": time(status == "failed" ? since : nil),
      "expired_at": time(status == "expired" ? since : nil), "cancelling_at": time(cancelRequestedAt),
      "cancelled_at": time(status == "cancelled" ? since : nil),
      "request_counts": .object([
        "total": .number(Double(counts.0)), "completed": .number(Double(counts.1)), "failed": .number(Double(counts.2)),
      ]),
      "usage": usage, "metadata": .object(metadata.mapValues { .string($0) }),
    ])
  }
}

/// Everything the emulator keeps, saved as `state.json` in the data folder after each change.
struct EmulatorState: Codable, Sendable {
  var files: [FileRecord] = []
  var batches: [BatchRecord] = []
  var nextID = 1
  /// Emulated time when last saved, so a restarted emulator goes on from there.
  var savedAt: Double?

  /// Prompt tokens of the batches of `model` still waiting or running at `now`.
  func enqueuedTokens(model: String?, at now: Double) -> Int {
    batches.filter { $0.model == model && ["validating", "in_progress", "finalizing"].contains($0.status(at: now).0) }
      .reduce(0) { $0 + ($1.promptTokens ?? 0) }
  }
}
