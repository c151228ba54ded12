import Foundation

/// A run that talks to the provider: its workspace, folder and manifest, with manifest changes serialized so that
/// shards handled at once never lose each other's records.
actor RemoteRun {
  let workspace: Workspace
  let folder: RunFolder
  private(set) var manifest: RunManifest

  init(workspace: Workspace, folder: RunFolder) throws {
    self.workspace = workspace
    self.folder = folder
    manifest = try folder.readManifest()
  }

  /// The run named `name` (r0003, r3, 3), or the newest one.
  static func open(_ name: String?, workspace: Workspace) throws -> RemoteRun {
    let runs = RunStore(workspace: workspace)
    if let name {
      guard let id = RunID(parsing: name) else { throw WorkspaceError.unknownRun(name) }
      return try RemoteRun(workspace: workspace, folder: try runs.open(id))
    }
    guard let latest = runs.latest() else { throw WorkspaceError.unknownRun("(there are no runs; run prepare first)") }
    return try RemoteRun(workspace: workspace, folder: latest)
  }

  /// Changes the manifest and writes it atomically before returning.
  @discardableResult
  func update(_ change: (inout RunManifest) throws -> Void) throws -> RunManifest {
    var next = manifest
    try change(&next)
    try folder.writeManifest(next)
    manifest = next
    return next
  }

  /// Changes one shard's remote record.
  func updateShard(_ index: Int, _ change: (inout ShardRemote) -> Void) throws {
    try update { manifest in
      guard let position = manifest.shards?.firstIndex(where: { $0.index == index }) else { return }
      var remote = manifest.shards![position].remote ?? ShardRemote(intent: "")
      change(&remote)
      manifest.shards![position].remote = remote
    }
  }

  func shards() throws -> [ShardRecord] {
    guard let shards = manifest.shards, manifest.state(of: .prepare) == .done else {
      throw PipelineError.notPrepared(run: folder.id.name)
    }
    return shards
  }

  func event(_ step: RunStep, _ kind: String, _ message: String, at time: Date) throws {
    try folder.append(RunEvent(time: time, run: folder.id, step: step, kind: kind, message: message))
  }
}

/// Problems of the steps that talk to the provider.
public enum PipelineError: Error, Equatable, CustomStringConvertible {
  case notPrepared(run: String)
  case unknownShard(run: String, shard: Int)
  /// A shard line that the Batch API would refuse, found by `upload --dry-run` or before uploading.
  case invalidShard(file: String, line: Int?, reason: String)
  case notUploaded(run: String, shard: Int)
  case attachMismatch(shard: Int, batchID: String, reason: String)
  case incompleteDownload(file: String, expected: Int, got: Int)
  case notMerged(run: String)
  /// A shard that alone needs more input tokens than the provider's queue takes for its model.
  case shardOverQueue(run: String, shard: Int, tokens: Int, limit: Int)

  public var description: String {
    switch self {
    case .notPrepared(let run): "\(run) is not prepared (its prepare step is not done); run prepare --redo \(run)"
    case .unknownShard(let run, let shard): "\(run) has no shard \(shard)"
    case .invalidShard(let file, let line, let reason):
      "\(file)\(line.map { ":\($0)" } ?? ""): \(reason); rebuild the run with prepare --redo"
    case .notUploaded(let run, let shard): "shard \(shard) of \(run) has no batch yet; upload or attach it first"
    case .attachMismatch(let shard, let batchID, let reason):
      "batch \(batchID) does not look like shard \(shard)'s: \(reason)"
    case .notMerged(let run): "\(run) is not merged yet; run merge \(run) first"
    case .shardOverQueue(let run, let shard, let tokens, let limit):
      "shard \(shard) of \(run) has \(tokens) input tokens, more than the \(limit) the provider's queue takes for "
        + "its model; raise [limits] max_enqueued_tokens to your tier's limit, or prepare the words again with a "
        + "smaller --batch-size"
    case .incompleteDownload(let file, let expected, let got):
      "\(file): got \(got) of \(expected) bytes; run fetch again to resume"
    }
  }
}
