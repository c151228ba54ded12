import Foundation

/// One shard as `wordbench status` shows it.
public struct ShardStatus: Codable, Equatable, Sendable {
  public var index: Int
  public var batchID: String?
  public var status: BatchStatus?
  public var requestCounts: RequestCounts?
  public var createdAt: Date?
  public var expiresAt: Date?
  /// Seconds since the batch was created.
  public var elapsedSeconds: Int?
  public var errors: [BatchError]

  enum CodingKeys: String, CodingKey {
    case index, status, errors
    case batchID = "batch_id"
    case requestCounts = "request_counts"
    case createdAt = "created_at"
    case expiresAt = "expires_at"
    case elapsedSeconds = "elapsed_seconds"
  }
}

/// What `wordbench status` reports.
public struct StatusReport: Codable, Equatable, Sendable {
  public var run: String
  public var shards: [ShardStatus]
  /// Every shard has a batch in a terminal state (finalizing is not terminal).
  public var allTerminal: Bool

  enum CodingKeys: String, CodingKey {
    case run, shards
    case allTerminal = "all_terminal"
  }
}

/// `wordbench status`: asks the provider about each shard's batch and records the answer in the manifest.
public enum Status {
  public static func run(_ runName: String?, workspace path: String?, context: WordbenchContext) async throws
    -> StatusReport
  {
    let workspace = try Workspace.locate(explicit: path, context: context)
    // Waits for the lock: status only holds it for a moment, and --watch takes it once per round.
    return try await workspace.withLock(command: "status", wait: true, context: context) {
      let run = try RemoteRun.open(runName, workspace: workspace)
      let shards = try await run.shards()
      let provider = try OpenAIProvider.configured(workspace.config, context: context)
      let now = context.clock.now()
      var lines: [ShardStatus] = []
      for shard in shards {
        guard let batchID = shard.remote?.batchID else {
          lines.append(ShardStatus(index: shard.index, errors: []))
          continue
        }
        let batch = try await provider.batch(batchID)
        try await record(batch, shard: shard.index, run: run, at: now)
        let created = Date(timeIntervalSince1970: TimeInterval(batch.createdAt))
        // A finished batch took as long as the provider's own times say (one clock, and it stops growing); one
        // still running has been out since it was created.
        let end = batch.finishedAt.map { Date(timeIntervalSince1970: TimeInterval($0)) } ?? now
        lines.append(
          ShardStatus(
            index: shard.index, batchID: batchID, status: batch.status, requestCounts: batch.requestCounts,
            createdAt: created, expiresAt: batch.expiresAt.map { Date(timeIntervalSince1970: TimeInterval($0)) },
            elapsedSeconds: max(0, Int(end.timeIntervalSince(created))), errors: batch.errors))
      }
      let terminal = lines.allSatisfy { $0.status?.isTerminal == true }
      try await run.update {
        $0.record(.poll, terminal ? .done : .running, at: now, message: summary(lines))
      }
      return StatusReport(run: run.folder.id.name, shards: lines, allTerminal: terminal)
    }
  }

  /// Polls every `interval` until every shard is terminal, handing each report to `report`.
  public static func watch(
    _ runName: String?, interval: Duration, workspace path: String?, context: WordbenchContext,
    report: (StatusReport) -> Void
  ) async throws -> StatusReport {
    while true {
      let status = try await run(runName, workspace: path, context: context)
      report(status)
      if status.allTerminal { return status }
      try await context.sleeper.sleep(for: interval)
    }
  }

  static func record(_ batch: RemoteBatch, shard: Int, run: RemoteRun, at now: Date) async throws {
    try await run.updateShard(shard) { remote in
      remote.status = batch.status
      remote.requestCounts = batch.requestCounts
      remote.errors = batch.errors.isEmpty ? nil : batch.errors
      remote.outputFileID = batch.outputFileID
      remote.errorFileID = batch.errorFileID
      remote.usage = batch.usage
      remote.checkedAt = now
      remote.createdAt = batch.createdAt
      remote.finishedAt = batch.finishedAt
    }
  }

  /// `2 completed, 1 in_progress`.
  static func summary(_ shards: [ShardStatus]) -> String {
    var counts: [String: Int] = [:]
    for shard in shards { counts[shard.status?.description ?? "not uploaded", default: 0] += 1 }
    return counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
  }
}

/// `wordbench cancel`: asks the provider to cancel the run's batches that are still running (or one shard's).
public enum Cancel {
  public static func run(_ runName: String, shard: Int?, workspace path: String?, context: WordbenchContext)
    async throws -> StatusReport
  {
    let workspace = try Workspace.locate(explicit: path, context: context)
    try await workspace.withLock(command: "cancel", wait: true, context: context) {
      let run = try RemoteRun.open(runName, workspace: workspace)
      let shards = try await run.shards()
      if let shard, !shards.contains(where: { $0.index == shard }) {
        throw PipelineError.unknownShard(run: run.folder.id.name, shard: shard)
      }
      let provider = try OpenAIProvider.configured(workspace.config, context: context)
      for record in shards where shard == nil || record.index == shard {
        guard let batchID = record.remote?.batchID, record.remote?.status?.isTerminal != true else { continue }
        do {
          try await Status.record(
            try await provider.cancelBatch(batchID), shard: record.index, run: run, at: context.clock.now())
        } catch let error as ProviderError where error.status == 409 {
          // Finished meanwhile: nothing to cancel.
        }
      }
      try await run.event(.poll, "cancel", "cancel requested", at: context.clock.now())
    }
    return try await Status.run(runName, workspace: path, context: context)
  }
}
