import Foundation

/// How much more the provider's queue may take from this workspace: at most `limits.max_concurrent_batches`
/// batches in flight across all runs, and per model at most the enqueued-token limit of input tokens
/// (`limits.max_enqueued_tokens`, or the model's `shard_input_tokens` when that is 0).
///
/// Counted from the manifests, under the workspace lock, so two commands never both take the last place.
struct QueueRoom {
  var batches: Int
  var maximumBatches: Int
  /// Input tokens in flight per model.
  var tokens: [String: Int]
  let workspace: Workspace
  private let catalog: ModelCatalog

  /// What is in flight now: every shard of every run folder with a batch that is not terminal.
  init(workspace: Workspace) throws {
    self.workspace = workspace
    catalog = try ModelCatalog.bundled(overrides: workspace.config.models)
    maximumBatches = workspace.config.limits.maxConcurrentBatches
    batches = 0
    tokens = [:]
    count()
  }

  private mutating func count() {
    batches = 0
    tokens = [:]
    for folder in RunStore(workspace: workspace).folders() {
      guard let manifest = try? folder.readManifest() else { continue }
      let model = Self.model(of: manifest, workspace: workspace)
      for shard in manifest.shards ?? [] where Self.isInFlight(shard) {
        batches += 1
        tokens[model, default: 0] += shard.inputTokens
      }
    }
  }

  /// Asks the provider about every batch counted as in flight, records the answers in their runs' manifests (the
  /// caller holds the workspace lock; `current` is the run being uploaded, whose manifest it already holds), and
  /// counts again.
  mutating func refresh(current: RemoteRun, provider: OpenAIProvider, context: WordbenchContext) async throws {
    for folder in RunStore(workspace: workspace).folders() {
      guard let manifest = try? folder.readManifest(),
        (manifest.shards ?? []).contains(where: Self.isInFlight)
      else { continue }
      let run = folder.id == current.folder.id ? current : try RemoteRun(workspace: workspace, folder: folder)
      for shard in manifest.shards ?? [] where Self.isInFlight(shard) {
        let batch = try await provider.batch(shard.remote!.batchID!)
        try await Status.record(batch, shard: shard.index, run: run, at: context.clock.now())
      }
    }
    count()
  }

  static func model(of manifest: RunManifest, workspace: Workspace) -> String {
    manifest.parameters["model"]?.string ?? workspace.config.provider.model
  }

  /// A batch was created and has not reached a terminal state (as last seen).
  static func isInFlight(_ shard: ShardRecord) -> Bool {
    guard let remote = shard.remote, remote.batchID != nil else { return false }
    return remote.status?.isTerminal != true
  }

  func tokenLimit(model: String) throws -> Int {
    let configured = workspace.config.limits.maxEnqueuedTokens
    return configured > 0 ? configured : try catalog.rules(for: model).shardInputTokens
  }

  /// Takes a place for `shard` when there is room; a shard larger than the whole token limit can never go, so it
  /// is an error rather than a wait.
  mutating func admit(_ shard: ShardRecord, run: String, model: String) throws -> Bool {
    let limit = try tokenLimit(model: model)
    guard shard.inputTokens <= limit else {
      throw PipelineError.shardOverQueue(run: run, shard: shard.index, tokens: shard.inputTokens, limit: limit)
    }
    guard batches < maximumBatches, tokens[model, default: 0] + shard.inputTokens <= limit else { return false }
    batches += 1
    tokens[model, default: 0] += shard.inputTokens
    return true
  }
}

extension ShardRemote {
  /// The batch failed only because the provider's enqueued-token queue was full: the shard is sent again when
  /// there is room, and its words do not count as failed.
  public var waitsForQueueRoom: Bool { BatchError.hitQueueLimit(status, errors ?? []) }
}

extension BatchError {
  /// The provider's code for a batch refused because its model's enqueued-token queue was full.
  public static let queueLimitCode = "token_limit_exceeded"

  static func hitQueueLimit(_ status: BatchStatus?, _ errors: [BatchError]) -> Bool {
    status == .failed && errors.contains { $0.code == queueLimitCode }
  }
}

extension ShardRecord {
  /// Upload still has to create a batch for it: none yet, or its batch hit the queue limit.
  var needsBatch: Bool { remote?.batchID == nil || remote?.waitsForQueueRoom == true }
}
