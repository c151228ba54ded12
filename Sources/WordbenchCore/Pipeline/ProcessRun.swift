import Foundation
import Logging

/// What `wordbench process` takes.
public struct ProcessOptions: Sendable {
  /// What `prepare` takes (words, batch size, preset, model, --force-refresh, --max-cost).
  public var prepare = PrepareOptions()
  /// Stop after uploading; `--resume RUN` (or the single-step commands) go on later.
  public var noWait = false
  /// Go on with this run instead of preparing a new one.
  public var resume: String?
  /// Also write the run's entries (JSONL) and merge report into this folder.
  public var outputDirectory: String?
  /// Between status checks while waiting for the provider.
  public var pollInterval: Duration = .seconds(60)
  /// Asked between steps and while waiting; true stops cleanly, leaving the run for `--resume` (SIGINT, SIGTERM).
  public var shouldStop: @Sendable () -> Bool = { false }

  public init() {}
}

/// What happened so far in `wordbench process`, handed out as it happens so the terminal can show it live.
public enum ProcessEvent: Sendable {
  case prepared(PrepareReport)
  case uploaded(UploadReport)
  case waiting(StatusReport, RunProgress)
  case fetched(FetchReport)
  case merged(MergeReport)
}

/// How far a run's batches are, over all shards, with an estimate of the time left.
public struct RunProgress: Codable, Equatable, Sendable {
  /// Requests finished (completed or failed) and requests in all, as the provider counts them.
  public var finished: Int
  public var total: Int
  /// Shards with a batch, and shards in all.
  public var shardsSent: Int
  public var shards: Int
  /// Seconds left at the rate so far; nil until some requests are finished.
  public var etaSeconds: Int?

  enum CodingKeys: String, CodingKey {
    case finished, total, shards
    case shardsSent = "shards_sent"
    case etaSeconds = "eta_seconds"
  }

  public init(_ status: StatusReport) {
    finished = 0
    total = 0
    shardsSent = 0
    shards = status.shards.count
    var elapsed = 0
    for shard in status.shards {
      guard shard.batchID != nil else { continue }
      shardsSent += 1
      finished += (shard.requestCounts?.completed ?? 0) + (shard.requestCounts?.failed ?? 0)
      total += shard.requestCounts?.total ?? 0
      elapsed = max(elapsed, shard.elapsedSeconds ?? 0)
    }
    if finished > 0 && elapsed > 0 && total > finished {
      etaSeconds = Int((Double(elapsed) / Double(finished) * Double(total - finished)).rounded(.up))
    } else if total > 0 && finished == total {
      etaSeconds = 0
    }
  }
}

/// What `wordbench process` did.
public struct ProcessReport: Codable, Sendable {
  public var run: String
  public var prepared: PrepareReport?
  public var uploaded: UploadReport?
  public var status: StatusReport?
  public var fetched: FetchReport?
  public var merged: MergeReport?
  /// Files written to `--output-dir`.
  public var outputFiles: [String]
  /// True when it stopped after uploading (`--no-wait`).
  public var stoppedAfterUpload: Bool
  /// True when it was asked to stop (SIGINT, SIGTERM) and did so between steps; `--resume` goes on.
  public var stopped = false
  public var estimatedCostUSD: Double?
  public var actualCostUSD: Double?

  enum CodingKeys: String, CodingKey {
    case run, prepared, uploaded, status, fetched, merged
    case outputFiles = "output_files"
    case stopped
    case stoppedAfterUpload = "stopped_after_upload"
    case estimatedCostUSD = "estimated_cost_usd"
    case actualCostUSD = "actual_cost_usd"
  }
}

/// `wordbench process` (the original tool's command): prepare, upload, wait, fetch and merge one run.
///
/// It is the single steps in a row and holds no state of its own: each step records its outcome in the run's
/// manifest before the next begins, so an interrupted process is finished by `--resume RUN` or by the single-step
/// commands, and nothing is sent or merged twice.
public enum ProcessRun {
  public static func run(
    options: ProcessOptions, workspace path: String?, context: WordbenchContext,
    onEvent: @Sendable (ProcessEvent) -> Void = { _ in }
  ) async throws -> ProcessReport {
    let name: String
    var prepared: PrepareReport?
    if let resume = options.resume {
      let workspace = try Workspace.locate(explicit: path, context: context)
      guard let id = RunID(parsing: resume) else { throw WorkspaceError.unknownRun(resume) }
      name = try RunStore(workspace: workspace).open(id).id.name
    } else {
      let report = try await Prepare.run(options: options.prepare, workspace: path, context: context)
      onEvent(.prepared(report))
      prepared = report
      name = report.run
    }
    var report = try await advance(
      name, maxCost: options.prepare.maxCost, until: options.noWait ? .uploaded : .merged,
      pollInterval: options.pollInterval, workspace: path, context: context, shouldStop: options.shouldStop,
      onEvent: onEvent)
    report.prepared = prepared
    if let folder = options.outputDirectory, report.merged != nil {
      report.outputFiles = try writeOutput(name, to: folder, workspace: path, context: context)
    }
    return report
  }

  /// How far `advance` goes.
  enum Goal {
    /// Send what the queue has room for, then stop.
    case uploaded
    /// Send, check the batches once, and fetch and merge if they are all finished (a scheduler cycle).
    case checked
    /// Send, wait, fetch and merge.
    case merged
  }

  /// Takes a prepared run towards `goal`: sends the shards the queue has room for, waits while the provider works
  /// (sending the rest as room frees up), fetches and merges. Steps already done are skipped.
  static func advance(
    _ name: String, maxCost: Double?, until goal: Goal, pollInterval: Duration, workspace path: String?,
    context: WordbenchContext, shouldStop: @Sendable () -> Bool = { false },
    onEvent: @Sendable (ProcessEvent) -> Void
  ) async throws -> ProcessReport {
    let workspace = try Workspace.locate(explicit: path, context: context)
    let folder = try RunStore(workspace: workspace).open(RunID(parsing: name)!)
    var report = ProcessReport(run: name, outputFiles: [], stoppedAfterUpload: false)
    let manifest = try folder.readManifest()
    report.estimatedCostUSD = manifest.estimate?.batchCostUSD
    if manifest.state(of: .merge) != .done {
      var upload = UploadOptions()
      upload.maxCost = maxCost
      upload.waitForLock = true
      while true {
        if try folder.readManifest().shards?.contains(where: \.needsBatch) == true {
          let uploaded = try await riding(context) {
            try await Upload.run(name, options: upload, workspace: path, context: context)
          }
          onEvent(.uploaded(uploaded))
          report.uploaded = uploaded
        }
        if goal == .uploaded {
          report.stoppedAfterUpload = true
          return report
        }
        let status = try await riding(context) { try await Status.run(name, workspace: path, context: context) }
        onEvent(.waiting(status, RunProgress(status)))
        report.status = status
        let shards = try folder.readManifest().shards ?? []
        if status.allTerminal && !shards.contains(where: \.needsBatch) { break }
        if goal == .checked { return report }
        try await wait(pollInterval, unless: shouldStop, context: context)
        if shouldStop() {
          report.stopped = true
          return report
        }
      }
      var fetch = FetchOptions()
      fetch.waitForLock = true
      let fetched = try await riding(context) {
        try await Fetch.run(name, options: fetch, workspace: path, context: context)
      }
      onEvent(.fetched(fetched))
      report.fetched = fetched
    }
    if shouldStop() {
      report.stopped = true
      return report
    }
    var merge = MergeOptions()
    merge.waitForLock = true
    let merged = try await Merge.run(name, options: merge, workspace: path, context: context)
    onEvent(.merged(merged))
    report.merged = merged
    report.actualCostUSD = merged.actualCostUSD
    return report
  }

  /// Sleeps `duration` in slices of at most a second, ending early when `stop` says so.
  static func wait(_ duration: Duration, unless stop: () -> Bool, context: WordbenchContext) async throws {
    var left = duration
    while left > .zero && !stop() {
      let slice = min(left, .seconds(1))
      try await context.sleeper.sleep(for: slice)
      left -= slice
    }
  }

  /// Times a step is tried when it fails for a passing reason, and the pause between tries.
  static let stepAttempts = 5
  static let stepPause: Duration = .seconds(10)

  /// Runs a step again when it fails for a reason that passes (the provider's 5xx or 429 after the HTTP client's own
  /// retries, a create that may not have gone through, a lost connection, a download cut short): each step
  /// reconciles with what the last try did, so trying again is what a user would do, done for them.
  static func riding<T>(_ context: WordbenchContext, _ step: () async throws -> T) async throws -> T {
    for _ in 1..<stepAttempts {
      do {
        return try await step()
      } catch let error where isPassing(error) {
        context.logger.info("a step failed for a passing reason (\(error)); trying again")
        try await context.sleeper.sleep(for: stepPause)
      }
    }
    return try await step()
  }

  static func isPassing(_ error: any Error) -> Bool {
    switch error {
    case let error as ProviderError: error.status.map { $0 == 429 || $0 >= 500 } ?? false
    case is HTTPError: true
    case PipelineError.incompleteDownload: true
    default: false
    }
  }

  /// `rNNNN.entries.jsonl` (the run's entries as they are in the store) and `rNNNN.report.json` (its merge report).
  static func writeOutput(_ name: String, to folder: String, workspace path: String?, context: WordbenchContext)
    throws -> [String]
  {
    let workspace = try Workspace.locate(explicit: path, context: context)
    let target = context.resolve(folder)
    try POSIXFile.createDirectory(target)
    let entries = try Export.run(
      format: .jsonl, output: target.appendingPathComponent("\(name).entries.jsonl").path, since: name,
      through: name, workspace: path, context: context)
    let report = target.appendingPathComponent("\(name).report.json")
    let source = try RunStore(workspace: workspace).open(RunID(parsing: name)!).url
      .appendingPathComponent("merge/report.json")
    try AtomicFile.write(try Data(contentsOf: source), to: report)
    return entries.files + [report.path]
  }
}
