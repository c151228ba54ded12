import Foundation

/// What `wordbench fetch` takes.
public struct FetchOptions: Sendable {
  public var redo = false
  /// Import files downloaded by hand for this shard instead of downloading.
  public var shard: Int?
  public var outputFile: String?
  public var errorFile: String?
  public var waitForLock = false

  public init() {}
}

/// What `wordbench fetch` did per shard.
public struct FetchReport: Codable, Sendable {
  public struct Shard: Codable, Sendable {
    public var index: Int
    /// `fetched`, `imported`, `already`, or `waiting` (the batch is not finished).
    public var action: String
    public var status: BatchStatus?
    public var record: FetchRecord?
  }

  public var run: String
  public var shards: [Shard]
}

/// `wordbench fetch`: downloads the output and error files of finished shards into `results/`, streamed to
/// `.part` files that resume after an interruption and are renamed only when their size matches the provider's;
/// then checks that every line's `custom_id` belongs to the shard and records the ones missing from both files.
/// Running it again is a no-op for complete downloads.
public enum Fetch {
  public static func run(
    _ runName: String?, options: FetchOptions, workspace path: String?, context: WordbenchContext
  ) async throws -> FetchReport {
    let workspace = try Workspace.locate(explicit: path, context: context)
    return try await workspace.withLock(command: "fetch", wait: options.waitForLock, context: context) {
      let run = try RemoteRun.open(runName, workspace: workspace)
      let shards = try await run.shards()
      let results = run.folder.url.appendingPathComponent("results")
      try POSIXFile.createDirectory(results)
      var lines: [FetchReport.Shard] = []
      if let index = options.shard {
        guard let shard = shards.first(where: { $0.index == index }) else {
          throw PipelineError.unknownShard(run: run.folder.id.name, shard: index)
        }
        let expected = Set(shard.customIDs(in: shards, run: run.folder.id))
        let record = try importFiles(
          shard, expected: expected, options: options, run: run, into: results, context: context)
        try await run.updateShard(index) { $0.fetched = record }
        lines.append(FetchReport.Shard(index: index, action: "imported", status: shard.remote?.status, record: record))
      } else {
        let provider = try OpenAIProvider.configured(workspace.config, context: context)
        for shard in shards {
          lines.append(
            try await fetch(
              shard, expected: Set(shard.customIDs(in: shards, run: run.folder.id)), redo: options.redo, run: run,
              provider: provider, into: results, context: context))
        }
      }
      let complete = (await run.manifest.shards ?? []).allSatisfy { $0.remote?.fetched != nil }
      let now = context.clock.now()
      try await run.update { $0.record(.fetch, complete ? .done : .running, at: now, message: nil) }
      try await run.event(
        .fetch, "fetched", lines.map { "shard \($0.index) \($0.action)" }.joined(separator: ", "), at: now)
      return FetchReport(run: run.folder.id.name, shards: lines)
    }
  }

  static func fetch(
    _ shard: ShardRecord, expected: Set<String>, redo: Bool, run: RemoteRun, provider: OpenAIProvider,
    into results: URL,
    context: WordbenchContext
  ) async throws -> FetchReport.Shard {
    guard let batchID = shard.remote?.batchID else {
      throw PipelineError.notUploaded(run: run.folder.id.name, shard: shard.index)
    }
    if let fetched = shard.remote?.fetched, !redo {
      return FetchReport.Shard(index: shard.index, action: "already", status: shard.remote?.status, record: fetched)
    }
    let batch = try await provider.batch(batchID)
    try await Status.record(batch, shard: shard.index, run: run, at: context.clock.now())
    if BatchError.hitQueueLimit(batch.status, batch.errors) {
      return FetchReport.Shard(
        index: shard.index, action: "waiting for room (upload sends it again)", status: batch.status, record: nil)
    }
    guard batch.status.isTerminal else {
      return FetchReport.Shard(index: shard.index, action: "waiting", status: batch.status, record: nil)
    }
    var names: (String?, String?) = (nil, nil)
    for (kind, fileID) in [("output", batch.outputFileID), ("errors", batch.errorFileID)] {
      guard let fileID else { continue }
      let name = resultName(shard.index, kind)
      try await download(fileID, to: results.appendingPathComponent(name), provider: provider, redo: redo)
      if kind == "output" { names.0 = "results/\(name)" } else { names.1 = "results/\(name)" }
    }
    let record = try check(expected: expected, output: names.0, errors: names.1, run: run)
    try await run.updateShard(shard.index) { $0.fetched = record }
    return FetchReport.Shard(index: shard.index, action: "fetched", status: batch.status, record: record)
  }

  /// `shard-001.output.jsonl`, `shard-001.errors.jsonl`.
  static func resultName(_ index: Int, _ kind: String) -> String {
    "shard-\(index.zeroPadded(3)).\(kind).jsonl"
  }

  /// Downloads to `<target>.part`, resuming what an earlier attempt left, and renames it into place only when its
  /// size is the file's size at the provider.
  static func download(_ fileID: String, to target: URL, provider: OpenAIProvider, redo: Bool) async throws {
    if POSIXFile.exists(target) && !redo { return }
    let part = target.appendingPathExtension("part")
    let expected = try await provider.file(fileID).bytes
    var have = Int64((try? FileManager.default.attributesOfItem(atPath: part.path)[.size] as? Int) ?? 0)
    if have > expected { have = 0 }
    if have < expected {
      do {
        try await provider.downloadFile(fileID, to: DownloadTarget(file: part, resumeFrom: have))
      } catch let error as HTTPError {
        let got = (try? FileManager.default.attributesOfItem(atPath: part.path)[.size] as? Int) ?? 0
        throw PipelineError.incompleteDownload(
          file: "\(target.lastPathComponent) (\(error))", expected: expected, got: got)
      }
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: part.path)[.size] as? Int) ?? 0
    guard size == expected else {
      throw PipelineError.incompleteDownload(file: target.lastPathComponent, expected: expected, got: size)
    }
    try POSIXFile.rename(part, to: target)
    try POSIXFile.syncDirectory(target.deletingLastPathComponent())
  }

  /// Files downloaded by hand, copied into `results/` atomically and checked like downloaded ones.
  static func importFiles(
    _ shard: ShardRecord, expected: Set<String>, options: FetchOptions, run: RemoteRun, into results: URL,
    context: WordbenchContext
  ) throws -> FetchRecord {
    var names: (String?, String?) = (nil, nil)
    for (kind, file) in [("output", options.outputFile), ("errors", options.errorFile)] {
      guard let file else { continue }
      let source = context.resolve(file)
      guard let data = try? Data(contentsOf: source) else {
        throw RequestError.unreadable(file: source.path, reason: "missing or not readable")
      }
      let name = resultName(shard.index, kind)
      try AtomicFile.write(data, to: results.appendingPathComponent(name))
      if kind == "output" { names.0 = "results/\(name)" } else { names.1 = "results/\(name)" }
    }
    return try check(expected: expected, output: names.0, errors: names.1, run: run)
  }

  /// Counts the lines of the result files and compares their custom_ids with the shard's (`expected`).
  static func check(expected: Set<String>, output: String?, errors: String?, run: RemoteRun) throws -> FetchRecord {
    var seen = Set<String>()
    var foreign = 0
    var counts = [0, 0]
    for (position, file) in [output, errors].enumerated() {
      guard let file else { continue }
      try forEachCustomID(run.folder.url.appendingPathComponent(file)) { id in
        counts[position] += 1
        if let id, expected.contains(id) { seen.insert(id) } else { foreign += 1 }
      }
    }
    return FetchRecord(
      outputFile: output, errorFile: errors, outputLines: counts[0], errorLines: counts[1],
      missing: expected.subtracting(seen).sorted(), foreign: foreign)
  }

  /// The `custom_id` of each line (nil for a line without one); bad lines are counted, never fatal. Lines are read
  /// as merge reads them (`ResultLine.read`), with the project's JSON parser: `JSONDecoder` took 18 s of CPU for the
  /// 277,619 lines of a whole run.
  static func forEachCustomID(_ url: URL, _ body: (String?) -> Void) throws {
    try LineReader(url: url, maxLineBytes: 64 << 20).forEachLine { _, line in
      guard case .bytes(let bytes) = line else { return body(nil) }
      if bytes.isEmpty { return }
      body(ResultLine.read(bytes, selecting: ResultLine.customIDMember)?.customID)
    }
  }
}

/// `wordbench attach`: records a batch created by hand from a shard's file; when a key is at hand, first checks
/// with the provider that the batch's input file has the shard's size.
public enum Attach {
  public static func run(
    _ runName: String, shard index: Int, batchID: String, workspace path: String?, context: WordbenchContext
  ) async throws -> UploadReport.Shard {
    let workspace = try Workspace.locate(explicit: path, context: context)
    return try await workspace.withLock(command: "attach", wait: false, context: context) {
      let run = try RemoteRun.open(runName, workspace: workspace)
      guard let shard = try await run.shards().first(where: { $0.index == index }) else {
        throw PipelineError.unknownShard(run: run.folder.id.name, shard: index)
      }
      var fileID: String?
      var status: BatchStatus?
      if context.environment["OPENAI_API_KEY"]?.isEmpty == false {
        let provider = try OpenAIProvider.configured(workspace.config, context: context)
        let batch = try await provider.batch(batchID)
        let file = try await provider.file(batch.inputFileID)
        guard file.bytes == shard.bytes else {
          throw PipelineError.attachMismatch(
            shard: index, batchID: batchID, reason: "its input file has \(file.bytes) bytes, the shard \(shard.bytes)")
        }
        fileID = file.id
        status = batch.status
      }
      try await run.updateShard(index) { remote in
        if remote.intent.isEmpty { remote.intent = "attached-\(batchID)" }
        remote.batchID = batchID
        remote.fileID = fileID ?? remote.fileID
        remote.status = status
        remote.attached = true
      }
      let all = (await run.manifest.shards ?? []).allSatisfy { $0.remote?.batchID != nil }
      let now = context.clock.now()
      try await run.update { $0.record(.upload, all ? .done : .running, at: now, message: "shard \(index) attached") }
      try await run.event(.upload, "attached", "shard \(index): \(batchID)", at: now)
      return UploadReport.Shard(
        index: index, file: shard.file, lines: shard.lines, bytes: shard.bytes, action: "attached", fileID: fileID,
        batchID: batchID)
    }
  }
}
