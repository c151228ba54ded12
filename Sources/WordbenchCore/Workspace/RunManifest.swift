import Foundation

/// The steps of a run, in the order they happen.
public enum RunStep: String, CaseIterable, Codable, Sendable {
  case prepare, upload, poll, fetch, merge, archive
}

/// Where a step stands.
public enum StepState: String, Codable, Sendable {
  case pending, running, done, failed
}

/// The outcome of one step as recorded in the manifest.
public struct StepRecord: Codable, Equatable, Sendable {
  public var state: StepState
  public var updatedAt: Date
  /// What the step said last, for example a failure reason.
  public var message: String?

  public init(state: StepState, updatedAt: Date, message: String? = nil) {
    self.state = state
    self.updatedAt = updatedAt
    self.message = message
  }

  enum CodingKeys: String, CodingKey {
    case state, message
    case updatedAt = "updated_at"
  }
}

/// `manifest.json`: the state machine of a run (design.md §3). Written only atomically.
public struct RunManifest: Codable, Equatable, Sendable {
  /// The version of this file's layout; a newer file than this wordbench understands is refused, not misread.
  public static let currentSchemaVersion = 1

  public var schemaVersion: Int
  public var run: String
  public var createdAt: Date
  /// The parameters the run was prepared with (model, batch size, preset, template hashes, ...).
  public var parameters: [String: JSONValue]
  /// Step name to outcome; steps not yet started are absent.
  public var steps: [String: StepRecord]
  /// The request shards `prepare` wrote; later steps add their remote ids.
  public var shards: [ShardRecord]?
  /// What `prepare` estimated for the whole run.
  public var estimate: CostEstimate?
  /// True once the run's words are marked in flight in the store (prepare does it right after creating the run, and
  /// the next prepare finishes it if a crash came in between).
  public var wordsMarked: Bool?

  public init(run: RunID, createdAt: Date, parameters: [String: JSONValue]) {
    schemaVersion = Self.currentSchemaVersion
    self.run = run.name
    self.createdAt = createdAt
    self.parameters = parameters
    steps = [:]
  }

  public func state(of step: RunStep) -> StepState { steps[step.rawValue]?.state ?? .pending }

  public mutating func record(_ step: RunStep, _ state: StepState, at time: Date, message: String? = nil) {
    steps[step.rawValue] = StepRecord(state: state, updatedAt: time, message: message)
  }

  /// A one-word summary for listings: the step under way or failed, else the last one done, else "created".
  public var stage: String {
    for step in RunStep.allCases.reversed() {
      switch state(of: step) {
      case .running: return "\(step.rawValue) running"
      case .failed: return "\(step.rawValue) failed"
      case .done: return Self.doneNames[step] ?? step.rawValue
      case .pending: continue
      }
    }
    return "created"
  }

  private static let doneNames: [RunStep: String] = [
    .prepare: "prepared", .upload: "uploaded", .poll: "finished", .fetch: "fetched", .merge: "merged",
    .archive: "archived",
  ]

  enum CodingKeys: String, CodingKey {
    case run, parameters, steps, shards, estimate
    case wordsMarked = "words_marked"
    case schemaVersion = "schema_version"
    case createdAt = "created_at"
  }
}

/// One request shard of a run, as `prepare` wrote it.
public struct ShardRecord: Codable, Equatable, Sendable {
  /// 1-based.
  public var index: Int
  /// Relative to the run folder: `requests/shard-001.jsonl`.
  public var file: String
  public var lines: Int
  public var bytes: Int
  public var inputTokens: Int
  public var estimatedOutputTokens: Int
  public var estimatedCostUSD: Double
  /// What is known of the shard at the provider; nil until upload records its intent.
  public var remote: ShardRemote?

  public init(
    index: Int, file: String, lines: Int, bytes: Int, inputTokens: Int, estimatedOutputTokens: Int,
    estimatedCostUSD: Double
  ) {
    self.index = index
    self.file = file
    self.lines = lines
    self.bytes = bytes
    self.inputTokens = inputTokens
    self.estimatedOutputTokens = estimatedOutputTokens
    self.estimatedCostUSD = estimatedCostUSD
  }

  /// `requests/shard-007.jsonl`
  public static func fileName(_ index: Int) -> String {
    "requests/shard-\(index.zeroPadded(3)).jsonl"
  }

  enum CodingKeys: String, CodingKey {
    case index, file, lines, bytes
    case inputTokens = "input_tokens"
    case estimatedOutputTokens = "estimated_output_tokens"
    case estimatedCostUSD = "estimated_cost_usd"
    case remote
  }
}

/// A shard's life at the provider, recorded step by step so that a crash at any moment is reconciled, never
/// repeated: the intent first, then the file, then the batch, then its status and the results fetched.
public struct ShardRemote: Codable, Equatable, Sendable {
  /// Chosen before anything is created remotely; carried in the file name and the batch metadata.
  public var intent: String
  public var fileID: String?
  public var batchID: String?
  /// True when the batch was created by hand and attached.
  public var attached: Bool?
  public var status: BatchStatus?
  public var requestCounts: RequestCounts?
  public var errors: [BatchError]?
  public var outputFileID: String?
  public var errorFileID: String?
  public var checkedAt: Date?
  /// The provider's times of the batch's creation and of its end (completed, failed, expired or cancelled), in Unix
  /// seconds; their difference is the turnaround auto-scaling looks at.
  public var createdAt: Int?
  public var finishedAt: Int?
  /// The batch's own token usage, when the provider reports it.
  public var usage: JSONValue?
  /// Set once the shard's result files are complete on disk.
  public var fetched: FetchRecord?

  public init(intent: String) { self.intent = intent }

  enum CodingKeys: String, CodingKey {
    case intent, attached, status, errors, fetched, usage
    case fileID = "file_id"
    case batchID = "batch_id"
    case requestCounts = "request_counts"
    case outputFileID = "output_file_id"
    case errorFileID = "error_file_id"
    case checkedAt = "checked_at"
    case createdAt = "created_at"
    case finishedAt = "finished_at"
  }
}

/// What fetch found in a shard's result files.
public struct FetchRecord: Codable, Equatable, Sendable {
  /// Relative to the run folder.
  public var outputFile: String?
  public var errorFile: String?
  public var outputLines: Int
  public var errorLines: Int
  /// custom_ids of the shard found in neither file.
  public var missing: [String]
  /// Lines whose custom_id is not one of the shard's.
  public var foreign: Int

  public init(
    outputFile: String?, errorFile: String?, outputLines: Int, errorLines: Int, missing: [String], foreign: Int
  ) {
    self.outputFile = outputFile
    self.errorFile = errorFile
    self.outputLines = outputLines
    self.errorLines = errorLines
    self.missing = missing
    self.foreign = foreign
  }

  enum CodingKeys: String, CodingKey {
    case missing, foreign
    case outputFile = "output_file"
    case errorFile = "error_file"
    case outputLines = "output_lines"
    case errorLines = "error_lines"
  }
}
