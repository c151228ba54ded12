import Foundation

/// What `wordbench upload` takes.
public struct UploadOptions: Sendable {
  public var dryRun = false
  public var maxCost: Double?
  public var waitForLock = false

  public init() {}
}

/// What `wordbench upload` did (or, with `--dry-run`, would do) per shard.
public struct UploadReport: Codable, Sendable {
  public struct Shard: Codable, Sendable {
    public var index: Int
    public var file: String
    public var lines: Int
    public var bytes: Int
    /// `uploaded`, `reconciled` (found at the provider after an interruption), `already` or `would upload`.
    public var action: String
    public var fileID: String?
    public var batchID: String?

    enum CodingKeys: String, CodingKey {
      case index, file, lines, bytes, action
      case fileID = "file_id"
      case batchID = "batch_id"
    }
  }

  public var run: String
  public var dryRun: Bool
  public var baseURL: String
  public var shards: [Shard]
  public var estimate: CostEstimate?

  enum CodingKeys: String, CodingKey {
    case run, shards, estimate
    case dryRun = "dry_run"
    case baseURL = "base_url"
  }
}

/// `wordbench upload`: per shard, record the intent, upload the file, create the batch tagged with the intent,
/// record the ids. Running it again after a crash at any point reconciles with what the provider has (files by
/// name, batches by metadata) and never uploads a shard twice or creates a second batch for it.
public enum Upload {
  public static func run(
    _ runName: String?, options: UploadOptions, workspace path: String?, context: WordbenchContext
  ) async throws -> UploadReport {
    let workspace = try Workspace.locate(explicit: path, context: context)
    return try await workspace.withLock(command: "upload", wait: options.waitForLock, context: context) {
      let run = try RemoteRun.open(runName, workspace: workspace)
      var shards = try await run.shards()
      let manifest = await run.manifest
      let baseURL =
        context.environment["OPENAI_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? workspace.config.provider.baseURL
      let model = manifest.parameters["model"]?.string ?? workspace.config.provider.model
      if options.dryRun {
        for shard in shards {
          try ShardCheck.check(run.folder.url.appendingPathComponent(shard.file), model: model)
        }
        return UploadReport(
          run: run.folder.id.name, dryRun: true, baseURL: baseURL,
          shards: shards.map { report($0, action: $0.remote?.batchID == nil ? "would upload" : "already") },
          estimate: manifest.estimate)
      }
      let provider = try OpenAIProvider.configured(workspace.config, context: context)
      var room = try QueueRoom(workspace: workspace)
      if shards.contains(where: \.needsBatch) && room.batches > 0 {
        // What is in flight was counted from statuses last seen, perhaps long ago: ask the provider afresh, so a
        // batch that finished since frees its place.
        try await room.refresh(current: run, provider: provider, context: context)
        shards = try await run.shards()
      }
      var admitted: [ShardRecord] = []
      for shard in shards where shard.needsBatch {
        guard try room.admit(shard, run: run.folder.id.name, model: model) else { break }
        admitted.append(shard)
      }
      let resending = Set(
        admitted.filter { $0.remote?.waitsForQueueRoom == true }.map {
          Ledger.ShardKey(run: run.folder.id.name, shard: $0.index)
        })
      try Budget.check(
        admitted.reduce(0) { $0 + $1.estimatedCostUSD }, words: admitted.reduce(0) { $0 + $1.lines },
        maxCost: options.maxCost, workspace: workspace, context: context, resending: resending)
      let reconciler = Reconciler(provider: provider)
      var results: [Int: UploadReport.Shard] = [:]
      for shard in shards where !shard.needsBatch { results[shard.index] = report(shard, action: "already") }
      for shard in shards where shard.needsBatch && !admitted.contains(where: { $0.index == shard.index }) {
        results[shard.index] = report(shard, action: "waiting for room")
      }
      try await withThrowingTaskGroup(of: UploadReport.Shard.self) { group in
        for shard in admitted {
          group.addTask {
            try await upload(
              shard, run: run, provider: provider, reconciler: reconciler, workspace: workspace, context: context)
          }
        }
        for try await done in group { results[done.index] = done }
      }
      let uploaded = results.values.filter { $0.action == "uploaded" || $0.action == "reconciled" }
      try Ledger(workspace: workspace).record(
        shards.filter { shard in uploaded.contains { $0.index == shard.index } }, run: run.folder.id.name,
        model: model, at: context.clock.now())
      let now = context.clock.now()
      let waiting = shards.count - admitted.count - shards.filter { !$0.needsBatch }.count
      let message =
        waiting == 0
        ? "\(shards.count) shards at the provider"
        : "\(shards.count - waiting) of \(shards.count) shards at the provider; \(waiting) wait for room in the queue"
      try await run.update { $0.record(.upload, waiting == 0 ? .done : .running, at: now, message: message) }
      try await run.event(.upload, "uploaded", "\(uploaded.count) shards uploaded; \(waiting) waiting", at: now)
      return UploadReport(
        run: run.folder.id.name, dryRun: false, baseURL: baseURL,
        shards: shards.map { results[$0.index]! }, estimate: manifest.estimate)
    }
  }

  static func report(_ shard: ShardRecord, action: String) -> UploadReport.Shard {
    UploadReport.Shard(
      index: shard.index, file: shard.file, lines: shard.lines, bytes: shard.bytes, action: action,
      fileID: shard.remote?.fileID, batchID: shard.remote?.batchID)
  }

  /// One shard, step by step, each step recorded before the next.
  static func upload(
    _ shard: ShardRecord, run: RemoteRun, provider: OpenAIProvider, reconciler: Reconciler, workspace: Workspace,
    context: WordbenchContext
  ) async throws -> UploadReport.Shard {
    if !shard.needsBatch { return report(shard, action: "already") }
    var remote = shard.remote ?? ShardRemote(intent: "")
    if remote.waitsForQueueRoom {
      // The failed batch took nothing from the queue; its uploaded file is sent again under a new intent.
      var again = ShardRemote(intent: "")
      again.fileID = remote.fileID
      remote = again
      try await run.updateShard(shard.index) { $0 = again }
    }
    var reconciled = false
    if remote.intent.isEmpty {
      var random = SystemRandomNumberGenerator()
      remote.intent = "\(run.folder.id.name)-s\(shard.index)-\(String(random.next() & 0xFFFF_FFFF, radix: 16))"
      let intent = remote.intent
      try await run.updateShard(shard.index) { $0.intent = intent }
    } else {
      // An earlier attempt got this far; its create request may still be on its way to the provider, so look twice,
      // a moment apart, before creating anything.
      var found = try await reconciler.batch(intent: remote.intent)
      if found == nil {
        try await context.sleeper.sleep(for: inFlightGrace)
        found = try await reconciler.batch(intent: remote.intent, refresh: true)
      }
      if let batch = found {
        try await record(batch, shard: shard.index, run: run)
        return report(shard, action: "reconciled", fileID: batch.inputFileID, batchID: batch.id)
      }
    }
    let name = remote.intent + ".jsonl"
    if remote.fileID == nil, let file = try await reconciler.file(named: name, bytes: shard.bytes) {
      remote.fileID = file.id
      reconciled = true
    }
    if remote.fileID == nil {
      let url = run.folder.url.appendingPathComponent(shard.file)
      let task = "uploading \(shard.file)"
      let progress = context.progress
      let file = try await provider.uploadFile(url, name: name) { transfer in
        progress.progress(ProgressEvent(task: task, completed: transfer.sent, total: transfer.toSend, unit: "bytes"))
      }
      remote.fileID = file.id
    }
    let fileID = remote.fileID!
    try await run.updateShard(shard.index) { $0.fileID = fileID }
    let metadata = [
      "workspace": String(workspace.root.lastPathComponent.prefix(64)), "run": run.folder.id.name,
      "shard": String(shard.index), "intent": remote.intent,
    ]
    do {
      _ = try await provider.createBatch(inputFileID: fileID, endpoint: RequestBuilder.endpoint, metadata: metadata)
    } catch {
      // The create may have gone through before the failure: look before giving up, never create blindly.
      guard try await reconciler.batch(intent: remote.intent, refresh: true) != nil else { throw error }
    }
    let batch = try await keepOne(intent: remote.intent, provider: provider, reconciler: reconciler)
    try await record(batch, shard: shard.index, run: run)
    return report(shard, action: reconciled ? "reconciled" : "uploaded", fileID: fileID, batchID: batch.id)
  }

  /// How long to wait for a create request an interrupted attempt may have left in flight.
  static let inFlightGrace: Duration = .seconds(3)

  /// The shard's batch: the oldest with its intent. Should a create from an interrupted attempt have landed after
  /// all, the newer ones are cancelled at once, while still validating, so no request of the shard runs twice.
  static func keepOne(intent: String, provider: any BatchProvider, reconciler: Reconciler) async throws
    -> RemoteBatch
  {
    let all = try await reconciler.batches(intent: intent, refresh: true)
    guard let kept = all.min(by: { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }) else {
      throw ProviderError.unexpected(status: 200, detail: "the batch just created is not in the provider's list")
    }
    for extra in all where extra.id != kept.id {
      do {
        _ = try await provider.cancelBatch(extra.id)
      } catch let error as ProviderError where error.status == 409 {
        // Already finished or cancelled.
      }
    }
    return kept
  }

  static func report(_ shard: ShardRecord, action: String, fileID: String, batchID: String) -> UploadReport.Shard {
    var line = report(shard, action: action)
    line.fileID = fileID
    line.batchID = batchID
    return line
  }

  static func record(_ batch: RemoteBatch, shard: Int, run: RemoteRun) async throws {
    try await run.updateShard(shard) { remote in
      remote.fileID = batch.inputFileID
      remote.batchID = batch.id
      remote.status = batch.status
      remote.requestCounts = batch.requestCounts
    }
  }
}

/// What the provider already has, listed once per command and looked up by intent: batches by their metadata,
/// files by their name and size.
actor Reconciler {
  let provider: any BatchProvider
  private var batches: [RemoteBatch]?
  private var files: [RemoteFile]?

  init(provider: any BatchProvider) { self.provider = provider }

  func batch(intent: String, refresh: Bool = false) async throws -> RemoteBatch? {
    try await batches(intent: intent, refresh: refresh).first
  }

  /// Every batch carrying `intent`, cancelled ones left out.
  func batches(intent: String, refresh: Bool = false) async throws -> [RemoteBatch] {
    if batches == nil || refresh { batches = try await provider.allBatches() }
    return batches!.filter { $0.metadata["intent"] == intent && $0.status != .cancelled && $0.status != .cancelling }
  }

  func file(named name: String, bytes: Int) async throws -> RemoteFile? {
    if files == nil { files = try await provider.allFiles() }
    return files!.first { $0.filename == name && $0.bytes == bytes }
  }
}
