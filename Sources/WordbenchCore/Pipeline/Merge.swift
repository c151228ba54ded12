import Foundation

/// What `wordbench merge` takes.
public struct MergeOptions: Sendable {
  /// Let a newer valid entry replace a word's older one (a run prepared with `--force-refresh` always does).
  public var replace = false
  public var waitForLock = false

  public init() {}
}

/// `merge/report.json`: every request of the run in exactly one class, with tokens and cost.
public struct MergeReport: Codable, Sendable {
  public var run: String
  public var requests: Int
  public var merged: Int
  public var rejected: Int
  public var failed: Int
  /// Requests of shards not fetched yet; merge them after `fetch`.
  public var notFetched: Int
  /// Counts per failure kind (`batch_expired`, `schema_violation`, ...).
  public var kinds: [String: Int]
  public var newEntries: Int
  public var replacedEntries: Int
  /// Requests already merged by an earlier run of merge (merging again changes nothing).
  public var alreadyMerged: Int
  /// Lines that could not be used (malformed, unknown or repeated custom_id, too long), with file and line.
  public var problems: [String]
  public var promptTokens: Int
  public var completionTokens: Int
  /// From each line's usage at batch prices, and from the batches' own usage where the provider gave it.
  public var actualCostUSD: Double
  public var batchUsageCostUSD: Double?
  public var estimatedCostUSD: Double?

  enum CodingKeys: String, CodingKey {
    case run, requests, merged, rejected, failed, kinds, problems
    case notFetched = "not_fetched"
    case newEntries = "new_entries"
    case replacedEntries = "replaced_entries"
    case alreadyMerged = "already_merged"
    case promptTokens = "prompt_tokens"
    case completionTokens = "completion_tokens"
    case actualCostUSD = "actual_cost_usd"
    case batchUsageCostUSD = "batch_usage_cost_usd"
    case estimatedCostUSD = "estimated_cost_usd"
  }
}

/// `wordbench merge`: streams the run's fetched output and error files, matches each line to its word through
/// `custom_id`, judges it (merged, rejected with a reason, or failed), and writes entries, attempts and word
/// statuses in transactions of bounded size. Idempotent: merging the same results again changes nothing.
public enum Merge {
  /// Records written per transaction: each commit makes the full-text index write a new segment and checkpoints the
  /// WAL, so fewer, larger transactions cost much less (4096 took a fifth longer over a 277k-word run); at about 3 KB a
  /// record this keeps well under 100 MB in memory.
  static let transactionSize = 16384
  /// Lines read before they are judged together on all cores.
  static let chunkLines = 2048
  static let maximumProblemsListed = 100

  public static func run(
    _ runName: String?, options: MergeOptions, workspace path: String?, context: WordbenchContext
  ) async throws -> MergeReport {
    let workspace = try Workspace.locate(explicit: path, context: context)
    return try await workspace.withLock(command: "merge", wait: options.waitForLock, context: context) {
      let run = try RemoteRun.open(runName, workspace: workspace)
      let shards = try await run.shards()
      let manifest = await run.manifest
      let runID = run.folder.id
      let model = manifest.parameters["model"]?.string ?? workspace.config.provider.model
      let rules = try ModelCatalog.bundled(overrides: workspace.config.models).rules(for: model)
      let schemaURL = run.folder.url.appendingPathComponent(EntrySchema.fileName)
      let schema = try EntrySchema.load(
        POSIXFile.exists(schemaURL) ? schemaURL : workspace.templatesFolder.appendingPathComponent(EntrySchema.fileName)
      )
      let validator = SchemaValidator(root: schema.root)
      let requests = try RunRequests(run.folder)
      let store = try DictionaryStore(workspace: workspace)
      var report = MergeReport(
        run: runID.name, requests: requests.count, merged: 0, rejected: 0, failed: 0, notFetched: 0, kinds: [:],
        newEntries: 0, replacedEntries: 0, alreadyMerged: 0, problems: [], promptTokens: 0, completionTokens: 0,
        actualCostUSD: 0, estimatedCostUSD: manifest.estimate?.batchCostUSD)
      var rejectedLines: [String] = []
      var retryLines: [String] = []
      var pending: [MergeRecord] = []
      var shardUsage: [Int: Ledger.ShardUsage] = [:]
      var problemCount = 0
      let schemaHash = manifest.parameters["schema_sha256"]?.string ?? schema.sha256
      let source = MergeSource(run: runID.name, model: model, schemaSHA256: schemaHash, at: context.clock.now())
      // A run prepared with --force-refresh exists to refresh its words' entries.
      let replace = options.replace || manifest.parameters["force_refresh"]?.bool == true

      // Each full batch is written on a thread of its own while the next one is read and judged: writing one takes
      // about as long as judging the next on the other core, and one after the other they took twice as long. One
      // batch at most is being written; `flush` waits for it before handing over the next.
      var writing: BackgroundWork<MergeChanges>?
      func collect() throws {
        guard let batch = writing else { return }
        writing = nil
        let changes = try batch.result()
        report.newEntries += changes.newEntries
        report.replacedEntries += changes.replacedEntries
        report.alreadyMerged += changes.alreadyMerged
      }
      // No write may outlive the command (and its workspace lock), even when judging fails.
      defer { _ = try? writing?.result() }
      func flush() throws {
        try collect()
        let batch = pending
        let runName = runID.name
        writing = BackgroundWork { try store.merge(batch, run: runName, replace: replace) }
        pending.removeAll(keepingCapacity: true)
      }
      func add(_ line: ResultLine, request: Int, shard: ShardRecord) throws {
        guard let listed = requests[request] else { return }
        let cost = rules.cost(inputTokens: line.promptTokens, outputTokens: line.completionTokens)
        shardUsage[shard.index, default: Ledger.ShardUsage()].costUSD += cost
        shardUsage[shard.index]!.inputTokens += line.promptTokens
        shardUsage[shard.index]!.outputTokens += line.completionTokens
        report.promptTokens += line.promptTokens
        report.completionTokens += line.completionTokens
        report.actualCostUSD += cost
        switch line.resultClass {
        case .merged: report.merged += 1
        case .rejected: report.rejected += 1
        case .failed: report.failed += 1
        }
        if let kind = line.kind {
          report.kinds[kind.rawValue, default: 0] += 1
          if kind.isRetried { retryLines.append("\(line.customID)\t\(listed.word.word)\t\(kind.rawValue)") }
          if line.resultClass == .rejected {
            let record: JSONValue = .object([
              "custom_id": .string(line.customID), "word": .string(listed.word.word), "reason": .string(kind.rawValue),
              "message": .string(line.message ?? ""),
            ])
            rejectedLines.append(record.compactText)
          }
        }
        pending.append(
          MergeRecord(
            line: line, word: listed.word.word, corpusWords: listed.corpusWords, shard: shard.index,
            batchID: shard.remote?.batchID, costUSD: cost, source: source))
        if pending.count >= transactionSize { try flush() }
      }
      func problem(_ text: String) {
        problemCount += 1
        if report.problems.count < maximumProblemsListed { report.problems.append(text) }
      }

      // Which shard (by position) each request belongs to, by request number; only fetched shards' requests are
      // expected in the files.
      var shardOf = [Int](repeating: -1, count: requests.highest + 1)
      for (position, shard) in shards.enumerated() {
        let numbers = shard.requestNumbers(in: shards)
        if shard.remote?.fetched == nil {
          report.notFetched += numbers.count
        } else {
          for number in numbers where number < shardOf.count { shardOf[number] = position }
        }
      }
      var seen = [Bool](repeating: false, count: shardOf.count)
      // Lines of every file are parsed and judged on all cores a chunk at a time, while the chunk before is written;
      // the checks that depend on the lines before (repeats) and the writes stay in file order on this thread.
      let pipeline = ChunkPipeline<RawResultLine, RawResultLine.Outcome>(
        transform: { $0.judged(requests: requests, schema: validator) },
        consume: { lines, outcomes in
          for (raw, outcome) in zip(lines, outcomes) {
            var place: String { "\(raw.file):\(raw.number)" }
            let shard = shards[raw.shard]
            switch outcome {
            case .tooLong: problem("\(place): a line of over 16 MB; skipped")
            case .notResult: problem("\(place): not a result line (malformed JSON or no custom_id); skipped")
            case .unknown(let customID):
              problem("\(place): custom_id \(customID) is not a request of shard \(shard.index)")
            case .judged(let number, let line):
              guard shardOf[number] == raw.shard else {
                problem("\(place): custom_id \(line.customID) is not a request of shard \(shard.index)")
                continue
              }
              guard !seen[number] else {
                problem("\(place): custom_id \(line.customID) appears again; the first line counts")
                continue
              }
              seen[number] = true
              try add(line, request: number, shard: shard)
            }
          }
        })
      var chunk: [RawResultLine] = []
      for (position, shard) in shards.enumerated() {
        guard let fetched = shard.remote?.fetched else { continue }
        for file in [fetched.outputFile, fetched.errorFile].compactMap({ $0 }) {
          let url = run.folder.url.appendingPathComponent(file)
          try LineReader(url: url, maxLineBytes: 16 << 20).forEachLine { number, line in
            switch line {
            case .bytes(let bytes) where bytes.isEmpty: return
            case .bytes(let bytes):
              chunk.append(RawResultLine(file: file, shard: position, number: number, bytes: Array(bytes)))
            case .tooLong: chunk.append(RawResultLine(file: file, shard: position, number: number, bytes: nil))
            }
            if chunk.count >= chunkLines {
              try pipeline.submit(chunk)
              chunk.removeAll(keepingCapacity: true)
            }
          }
        }
      }
      try pipeline.submit(chunk)
      try pipeline.finish()

      var batchUsage: Double?
      for (position, shard) in shards.enumerated() where shard.remote?.fetched != nil {
        for number in shard.requestNumbers(in: shards)
        where number < shardOf.count && shardOf[number] == position && !seen[number] {
          guard let listed = requests[number] else { continue }
          try add(
            ResultLine(
              customID: listed.word.customID(run: runID), resultClass: .failed, kind: .missing,
              message: "in neither the output nor the error file"),
            request: number, shard: shard)
        }
        if let usage = shard.remote?.usage {
          let cost = rules.cost(
            inputTokens: usage["input_tokens"]?.int ?? 0, outputTokens: usage["output_tokens"]?.int ?? 0)
          batchUsage = (batchUsage ?? 0) + cost
        }
      }
      try flush()
      try collect()
      if problemCount > report.problems.count {
        report.problems.append("... and \(problemCount - report.problems.count) more problems")
      }
      report.batchUsageCostUSD = batchUsage

      let folder = run.folder.url.appendingPathComponent("merge")
      try POSIXFile.createDirectory(folder)
      try AtomicFile.write(try JSONCoding.encoder().encode(report), to: folder.appendingPathComponent("report.json"))
      try AtomicFile.write(
        Data(rejectedLines.map { $0 + "\n" }.joined().utf8), to: folder.appendingPathComponent("rejected.jsonl"))
      try AtomicFile.write(
        Data(retryLines.map { $0 + "\n" }.joined().utf8), to: folder.appendingPathComponent("retry.txt"))
      try Ledger(workspace: workspace).recordActual(shardUsage, run: runID.name, model: model, at: context.clock.now())
      let calibration = Calibration(models: try store.measuredOutput())
      try AtomicFile.write(
        try JSONCoding.encoder().encode(calibration), to: workspace.root.appendingPathComponent(Calibration.fileName))
      let now = context.clock.now()
      let complete = report.notFetched == 0
      try await run.update {
        $0.record(
          .merge, complete ? .done : .running, at: now,
          message: "\(report.merged) merged, \(report.rejected) rejected, \(report.failed) failed")
      }
      try await run.event(
        .merge, "merged", "\(report.merged) merged, \(report.rejected) rejected, \(report.failed) failed", at: now)
      return report
    }
  }
}

/// A line of a result file as read: where it is (file, position of its shard, line number), and its bytes unless it
/// was too long to keep.
struct RawResultLine: Sendable {
  var file: String
  var shard: Int
  var number: Int
  var bytes: [UInt8]?

  enum Outcome: Sendable {
    case tooLong
    case notResult
    /// A result line whose custom_id is not a request of the run.
    case unknown(customID: String)
    /// A result line for request `number` of the run.
    case judged(number: Int, line: ResultLine)
  }

  func judged(requests: RunRequests, schema: SchemaValidator) -> Outcome {
    guard let bytes else { return .tooLong }
    guard let (customID, json) = bytes.withUnsafeBytes({ ResultLine.read($0, selecting: ResultLine.judgedMembers) })
    else { return .notResult }
    guard let number = requests.number(of: customID), let listed = requests[number] else {
      return .unknown(customID: customID)
    }
    return .judged(
      number: number, line: ResultLine.judge(json, customID: customID, headword: listed.word.word, schema: schema))
  }
}
