import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore
@testable import WordbenchEmulator

/// prepare, upload, status, fetch, cancel and attach against the emulator on a loopback port, through libcurl.
@Suite("Batch lifecycle against the emulator")
struct BatchLifecycleTests {
  let test = TestContext()

  /// A sample workspace with a prepared run of `words` words in shards of `batchSize`, and a started emulator the
  /// context points at (key and base URL in its environment).
  func setUp(words: Int = 120, batchSize: Int = 50, _ configure: (inout EmulatorConfig) -> Void = { _ in })
    async throws -> (Workspace, WordbenchContext, Emulator)
  {
    var config = EmulatorConfig()
    config.speed = 1e-9
    configure(&config)
    let emulator = try Emulator(config: config, lexicon: OpenAIProviderTests.lexicon)
    let url = try emulator.start()
    var environment = ProcessInfo.processInfo.environment
    environment["OPENAI_API_KEY"] = "sk-test-secret-key"
    environment["OPENAI_BASE_URL"] = url
    let workspace = try test.workspace()
    let context = test.context(environment: environment)
    let sample = Samples.corpus.path
    _ = try await Corpus.importFiles(
      [sample], column: nil, workspace: workspace.root.path, waitForLock: false, context: context)
    var options = PrepareOptions()
    options.words = words
    options.batchSize = batchSize
    _ = try await Prepare.run(options: options, workspace: workspace.root.path, context: context)
    return (workspace, context, emulator)
  }

  func counts(_ emulator: Emulator) -> (files: Int, batches: Int) {
    let response = emulator.handle(
      EmulatorRequest(method: "GET", path: "/_emulator/state", query: [:], headers: [:], body: Data()))
    let json = try! JSONDecoder().decode(JSONValue.self, from: response.body)
    return (json["files"]?.int ?? -1, json["batches"]?.int ?? -1)
  }

  @Test("upload, status until finished, fetch; running each again changes nothing")
  func lifecycle() async throws {
    let (workspace, context, emulator) = try await setUp()
    defer { emulator.stop() }
    let path = workspace.root.path
    let dry = try await Upload.run(
      nil,
      options: {
        var o = UploadOptions()
        o.dryRun = true
        return o
      }(), workspace: path, context: context)
    #expect(dry.shards.map(\.action) == ["would upload", "would upload", "would upload"])
    #expect(counts(emulator) == (0, 0))

    let uploaded = try await Upload.run(nil, options: UploadOptions(), workspace: path, context: context)
    #expect(uploaded.shards.map(\.action) == ["uploaded", "uploaded", "uploaded"])
    #expect(counts(emulator) == (3, 3))
    let again = try await Upload.run("r1", options: UploadOptions(), workspace: path, context: context)
    #expect(again.shards.map(\.action) == ["already", "already", "already"])
    #expect(counts(emulator) == (3, 3))

    let running = try await Status.run(nil, workspace: path, context: context)
    #expect(!running.allTerminal && running.shards.allSatisfy { $0.status == .validating })
    let waiting = try await Fetch.run(nil, options: FetchOptions(), workspace: path, context: context)
    #expect(waiting.shards.map(\.action) == ["waiting", "waiting", "waiting"])

    emulator.clock.advance(seconds: 60)
    var reports: [StatusReport] = []
    let final = try await Status.watch(nil, interval: .seconds(30), workspace: path, context: context) {
      reports.append($0)
    }
    #expect(final.allTerminal && final.shards.allSatisfy { $0.status == .completed })
    #expect(final.shards.map { $0.requestCounts?.completed } == [50, 50, 20])
    // A finished batch's time is the provider's, from creation to completion, however late it is asked.
    let provider = try OpenAIProvider.configured(workspace.config, context: context)
    var turnarounds: [Int?] = []
    for shard in final.shards {
      let batch = try await provider.batch(try #require(shard.batchID))
      turnarounds.append(batch.finishedAt.map { $0 - batch.createdAt })
    }
    #expect(final.shards.map(\.elapsedSeconds) == turnarounds)
    test.clock.advance(by: .seconds(86_400))
    let later = try await Status.run(nil, workspace: path, context: context)
    #expect(later.shards.map(\.elapsedSeconds) == turnarounds)

    let fetched = try await Fetch.run(nil, options: FetchOptions(), workspace: path, context: context)
    #expect(fetched.shards.map(\.action) == ["fetched", "fetched", "fetched"])
    for shard in fetched.shards {
      let record = try #require(shard.record)
      #expect(record.missing.isEmpty && record.foreign == 0 && record.errorFile == nil)
      let url = workspace.runsFolder.appendingPathComponent("r0001/\(try #require(record.outputFile))")
      #expect(try String(contentsOf: url, encoding: .utf8).split(separator: "\n").count == record.outputLines)
    }
    #expect(fetched.shards.map { $0.record?.outputLines } == [50, 50, 20])
    let refetched = try await Fetch.run(nil, options: FetchOptions(), workspace: path, context: context)
    #expect(refetched.shards.map(\.action) == ["already", "already", "already"])
    let manifest = try RunStore(workspace: workspace).open(RunID(1)).readManifest()
    #expect(manifest.state(of: .upload) == .done && manifest.state(of: .poll) == .done)
    #expect(manifest.state(of: .fetch) == .done)

    // The key is in no file of the workspace.
    let enumerator = FileManager.default.enumerator(at: workspace.root, includingPropertiesForKeys: nil)!
    for case let url as URL in enumerator where !url.hasDirectoryPath {
      let data = (try? Data(contentsOf: url)) ?? Data()
      #expect(data.range(of: Data("sk-test-secret-key".utf8)) == nil, "\(url.path)")
    }
  }

  /// Uploads, finishes, fetches and merges the prepared run.
  func runThrough(_ workspace: Workspace, _ context: WordbenchContext, _ emulator: Emulator) async throws -> MergeReport
  {
    let path = workspace.root.path
    _ = try await Upload.run(nil, options: UploadOptions(), workspace: path, context: context)
    emulator.clock.advance(seconds: 600)
    _ = try await Fetch.run(nil, options: FetchOptions(), workspace: path, context: context)
    return try await Merge.run(nil, options: MergeOptions(), workspace: path, context: context)
  }

  @Test("merge puts every request in one class, writes entries once, and merging again changes nothing")
  func merge() async throws {
    let (workspace, context, emulator) = try await setUp(words: 60, batchSize: 30)
    defer { emulator.stop() }
    let report = try await runThrough(workspace, context, emulator)
    #expect(report.requests == 60 && report.merged == 60 && report.rejected + report.failed == 0)
    #expect(report.newEntries == 60 && report.problems.isEmpty && report.actualCostUSD > 0)
    #expect(report.batchUsageCostUSD != nil)
    let store = try DictionaryStore(workspace: workspace)
    #expect(try store.entryCount() == 60)
    #expect(try store.words(withStatus: .inFlight).isEmpty)
    let calibration = Calibration.load(workspace)
    #expect(calibration.models["gpt-4o-mini"]?.entries == 60)

    let again = try await Merge.run(nil, options: MergeOptions(), workspace: workspace.root.path, context: context)
    #expect(again.alreadyMerged == 60 && again.newEntries == 0 && again.merged == 60)
    #expect(try store.entryCount() == 60)
    var actual = 0
    try Ledger(workspace: workspace).forEachEntry { if $0.kind == "actual" { actual += 1 } }
    #expect(actual == 2, "one actual cost per shard, recorded once")

    // The next prepare takes other words: merged ones are done.
    var options = PrepareOptions()
    options.words = 10
    let next = try await Prepare.run(options: options, workspace: workspace.root.path, context: context)
    let taken = try RunWriter.readWords(try RunStore(workspace: workspace).open(RunID(2))).map(\.word.word)
    let merged = try RunWriter.readWords(try RunStore(workspace: workspace).open(RunID(1))).map(\.word.word)
    #expect(next.words == 10 && Set(taken).isDisjoint(with: merged))
  }

  @Test("a run prepared with --force-refresh replaces its words' entries; words record their lemma and Zipf")
  func forceRefresh() async throws {
    let (workspace, context, emulator) = try await setUp(words: 10, batchSize: 10)
    defer { emulator.stop() }
    let path = workspace.root.path
    let first = try await runThrough(workspace, context, emulator)
    #expect(first.newEntries == 10)
    let words = try RunWriter.readWords(try RunStore(workspace: workspace).open(RunID(1)))
    let plain = try #require(words.first { $0.corpusWords.contains($0.word.word) }).word
    let state = try #require(try DictionaryStore(workspace: workspace).state(of: plain.word))
    #expect(state.lemma == plain.lemma && (state.zipf ?? 0) > 0 && state.status == .done)

    var options = PrepareOptions()
    options.words = 10
    options.forceRefresh = true
    _ = try await Prepare.run(options: options, workspace: path, context: context)
    let second = try await runThrough(workspace, context, emulator)
    #expect(second.replacedEntries == 10 && second.newEntries == 0)
    let entry = try DictionaryStore(workspace: workspace).entry(for: words[0].word.word)
    #expect(entry?.run == "r0002")
  }

  @Test("merge sorts damaged answers, per-line errors and bad lines into their classes")
  func mergeClasses() async throws {
    let (workspace, context, emulator) = try await setUp(words: 120, batchSize: 60) {
      $0.faults.invalidContent = 0.1
      $0.faults.schemaViolations = 0.1
      $0.faults.truncated = 0.1
      $0.faults.lineErrors = 0.1
      $0.seed = 11
    }
    defer { emulator.stop() }
    _ = try await Upload.run(nil, options: UploadOptions(), workspace: workspace.root.path, context: context)
    emulator.clock.advance(seconds: 600)
    _ = try await Fetch.run(nil, options: FetchOptions(), workspace: workspace.root.path, context: context)
    // Damage one output file by hand: a garbage line, a line for a request of another run, and a repeated line.
    let output = workspace.runsFolder.appendingPathComponent("r0001/results/shard-001.output.jsonl")
    var text = try String(contentsOf: output, encoding: .utf8)
    let first = String(text.split(separator: "\n")[0])
    text += "\u{1}\u{2}garbage\n" + first.replacingOccurrences(of: "r0001-", with: "r0009-") + "\n" + first + "\n"
    try Data(text.utf8).write(to: output)
    let report = try await Merge.run(nil, options: MergeOptions(), workspace: workspace.root.path, context: context)
    #expect(report.merged + report.rejected + report.failed == 120)
    for kind in ["invalid_content", "schema_violation", "truncated"] {
      #expect((report.kinds[kind] ?? 0) > 0, "\(kind)")
    }
    #expect((report.kinds["http_5xx"] ?? 0) + (report.kinds["http_429"] ?? 0) > 0)
    #expect(
      report.problems.count == 3 && report.problems.allSatisfy { $0.hasPrefix("results/shard-001.output.jsonl:") })
    let merge = workspace.runsFolder.appendingPathComponent("r0001/merge")
    let rejected = try String(contentsOf: merge.appendingPathComponent("rejected.jsonl"), encoding: .utf8)
    #expect(rejected.split(separator: "\n").count == report.rejected)
    let retry = try String(contentsOf: merge.appendingPathComponent("retry.txt"), encoding: .utf8)
    #expect(retry.split(separator: "\n").count == report.rejected + report.failed)
    #expect(try DictionaryStore(workspace: workspace).entryCount() == report.merged)
  }

  @Test("lookup shows entries or why there is none; search finds definitions; export writes each format")
  func lookupAndExport() async throws {
    let (workspace, context, emulator) = try await setUp(words: 30, batchSize: 30)
    defer { emulator.stop() }
    _ = try await runThrough(workspace, context, emulator)
    let path = workspace.root.path
    let words = try RunWriter.readWords(try RunStore(workspace: workspace).open(RunID(1)))
    let merged = try #require(words.first)
    let found = try Lookup.word(merged.word.word, workspace: path, context: context)
    #expect(found.entry?.entry["headword"]?.string == merged.word.word && found.why == nil)
    let corpus = try Corpus.words(of: workspace, store: try DictionaryStore(workspace: workspace)).strings
    let pending = try #require(corpus.first { word in !words.contains { $0.corpusWords.contains(word) } })
    #expect(try Lookup.word(pending, workspace: path, context: context).why?.hasPrefix("pending") == true)
    #expect(try Lookup.word("zzzqqq", workspace: path, context: context).why?.contains("not in the corpus") == true)

    let definition = try #require(found.entry?.entry["senses"]?.array?.first?["definition"]?.string)
    let term = try #require(definition.split(separator: " ").max { $0.count < $1.count })
    let hits = try Lookup.search(String(term), limit: 50, workspace: path, context: context)
    #expect(hits.contains { $0.word == merged.word.word }, "\(term): \(hits)")
    #expect(try Lookup.search("\"unbalanced AND (", limit: 5, workspace: path, context: context).isEmpty)

    let jsonl = try Export.run(format: .jsonl, output: nil, since: nil, workspace: path, context: context)
    #expect(jsonl.entries == 30)
    let lines = try String(contentsOfFile: jsonl.files[0], encoding: .utf8).split(separator: "\n")
    #expect(
      lines.count == 30 && lines.allSatisfy { (try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8))) != nil })
    let csv = try Export.run(format: .csv, output: "out/dict.csv", since: "r1", workspace: path, context: context)
    let rows = try String(contentsOfFile: csv.files[0], encoding: .utf8).components(separatedBy: "\r\n")
    #expect(rows[0] == CSV.header.joined(separator: ",") && rows.count > 30)
    #expect(try Export.run(format: .jsonl, output: "none", since: "r2", workspace: path, context: context).entries == 0)

    let dictd = try Export.run(format: .dictd, output: "out/wb", since: nil, workspace: path, context: context)
    let index = try String(contentsOfFile: dictd.files[0], encoding: .utf8).split(separator: "\n")
    let dict = try Data(contentsOf: URL(fileURLWithPath: dictd.files[1]))
    #expect(index.count == 31)
    let keys = index.map { Dictd.sortKey(String($0.split(separator: "\t")[0])) }
    #expect(keys == keys.sorted())
    func decode(_ text: Substring) -> Int { text.reduce(0) { $0 * 64 + Dictd.digits.firstIndex(of: $1)! } }
    for line in index {
      let fields = line.split(separator: "\t")
      let article = String(decoding: dict[decode(fields[1])..<decode(fields[1]) + decode(fields[2])], as: UTF8.self)
      #expect(article.hasPrefix(String(fields[0]) + "\n"))
    }
  }

  @Test("retry makes a new run of the failed words, and quarantines a word at the attempt limit")
  func retry() async throws {
    let (workspace, context, emulator) = try await setUp(words: 12, batchSize: 12) { $0.faults.lineErrors = 1 }
    defer { emulator.stop() }
    let path = workspace.root.path
    let first = try await runThrough(workspace, context, emulator)
    #expect(first.failed == 12 && first.merged == 0)
    let again = try await Retry.run(nil, maxAttempts: 2, workspace: path, context: context)
    #expect(again.retried.count == 12 && again.quarantined.isEmpty && again.prepared?.run == "r0002")
    let second = try await runThrough(workspace, context, emulator)
    #expect(second.run == "r0002" && second.failed == 12)
    let last = try await Retry.run("r2", maxAttempts: 2, workspace: path, context: context)
    #expect(last.prepared == nil && last.quarantined.count == 12)
    let listed = try RunWriter.readWords(try RunStore(workspace: workspace).open(RunID(2)))
    let word = try #require(listed.first { $0.corpusWords == [$0.word.word] }?.word.word)
    #expect(
      try Lookup.word(word, workspace: path, context: context).why?.hasPrefix("quarantined after 2 attempts") == true)
    // Quarantined words stay out of later runs.
    var options = PrepareOptions()
    options.words = 5
    _ = try await Prepare.run(options: options, workspace: path, context: context)
    let taken = try RunWriter.readWords(try RunStore(workspace: workspace).open(RunID(3))).map(\.word.word)
    #expect(Set(taken).isDisjoint(with: last.quarantined.keys))
    await #expect(throws: PipelineError.notMerged(run: "r0003")) {
      try await Retry.run("r3", workspace: path, context: context)
    }
  }

  @Test("fetch resumes a download an interruption left in a .part file")
  func resumedFetch() async throws {
    let (workspace, context, emulator) = try await setUp(words: 20, batchSize: 20)
    defer { emulator.stop() }
    let path = workspace.root.path
    _ = try await Upload.run(nil, options: UploadOptions(), workspace: path, context: context)
    emulator.clock.advance(seconds: 60)
    let provider = try OpenAIProvider.configured(workspace.config, context: context)
    let batchID = try #require(
      try RunStore(workspace: workspace).open(RunID(1)).readManifest().shards?[0].remote?.batchID)
    let outputID = try #require(try await provider.batch(batchID).outputFileID)
    let whole = test.folder.file("whole.jsonl")
    try await provider.downloadFile(outputID, to: DownloadTarget(file: whole))
    let expected = try Data(contentsOf: whole)
    let results = workspace.runsFolder.appendingPathComponent("r0001/results")
    try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
    // What an interrupted download left: the first 700 bytes.
    let part = results.appendingPathComponent("shard-001.output.jsonl.part")
    try expected.prefix(700).write(to: part)
    let fetched = try await Fetch.run(nil, options: FetchOptions(), workspace: path, context: context)
    #expect(fetched.shards.first?.action == "fetched")
    #expect(try Data(contentsOf: results.appendingPathComponent("shard-001.output.jsonl")) == expected)
    #expect(!FileManager.default.fileExists(atPath: part.path))
  }

  @Test("after a crash between any two steps of upload, running it again never uploads or creates twice")
  func reconcile() async throws {
    let (workspace, context, emulator) = try await setUp(words: 60, batchSize: 20)
    defer { emulator.stop() }
    let path = workspace.root.path
    _ = try await Upload.run(nil, options: UploadOptions(), workspace: path, context: context)
    #expect(counts(emulator) == (3, 3))
    let folder = try RunStore(workspace: workspace).open(RunID(1))
    // Shard 1: the batch was created but its id never recorded. Shard 2: the file was uploaded but neither id
    // recorded. Shard 3: only the intent was recorded (the crash came before the upload finished).
    try folder.updateManifest { manifest in
      manifest.shards![0].remote!.batchID = nil
      manifest.shards![1].remote!.batchID = nil
      manifest.shards![1].remote!.fileID = nil
      manifest.shards![2].remote = ShardRemote(intent: manifest.shards![2].remote!.intent + "-lost")
    }
    let again = try await Upload.run(nil, options: UploadOptions(), workspace: path, context: context)
    #expect(again.shards.map(\.action) == ["reconciled", "reconciled", "uploaded"])
    #expect(counts(emulator) == (4, 4), "only shard 3, whose intent was never sent, is sent again")
    let batches = try folder.readManifest().shards!.map { $0.remote?.batchID }
    #expect(batches.allSatisfy { $0 != nil } && Set(batches).count == 3)
  }

  @Test("over a budget nothing is uploaded; --max-cost and the day's ledger both count")
  func budget() async throws {
    let (workspace, context, emulator) = try await setUp(words: 40, batchSize: 40)
    defer { emulator.stop() }
    var options = UploadOptions()
    options.maxCost = 0.000001
    await #expect(throws: RequestError.self) {
      try await Upload.run(nil, options: options, workspace: workspace.root.path, context: context)
    }
    #expect(counts(emulator) == (0, 0))
    try Data("[budget]\nmax_cost_per_day = 0.0000001\n".utf8).write(to: workspace.configURL)
    await #expect {
      try await Upload.run(nil, options: UploadOptions(), workspace: workspace.root.path, context: context)
    } throws: { error in
      guard case RequestError.overBudget(let limit, _, _, _) = error else { return false }
      return limit.hasPrefix("[budget] max_cost_per_day")
    }
    #expect(counts(emulator) == (0, 0))
  }

  @Test("cancel stops running batches; fetch then takes the partial results")
  func cancel() async throws {
    let (workspace, context, emulator) = try await setUp(words: 30, batchSize: 30)
    defer { emulator.stop() }
    let path = workspace.root.path
    _ = try await Upload.run(nil, options: UploadOptions(), workspace: path, context: context)
    let cancelling = try await Cancel.run("r0001", shard: nil, workspace: path, context: context)
    #expect(cancelling.shards.map(\.status) == [.cancelling])
    emulator.clock.advance(seconds: 30)
    let fetched = try await Fetch.run(nil, options: FetchOptions(), workspace: path, context: context)
    #expect(fetched.shards.first?.status == .cancelled)
    #expect(fetched.shards.first?.record?.errorLines == 30 && fetched.shards.first?.record?.missing.isEmpty == true)
    await #expect(throws: PipelineError.unknownShard(run: "r0001", shard: 9)) {
      try await Cancel.run("r0001", shard: 9, workspace: path, context: context)
    }
  }

  @Test("a batch made by hand is attached after checking its file; files downloaded by hand are imported")
  func manualPath() async throws {
    let (workspace, context, emulator) = try await setUp(words: 20, batchSize: 20)
    defer { emulator.stop() }
    let path = workspace.root.path
    let provider = try OpenAIProvider.configured(workspace.config, context: context)
    let shardFile = workspace.runsFolder.appendingPathComponent("r0001/requests/shard-001.jsonl")
    let wrong = try test.folder.write(
      "other.jsonl",
      String(try String(contentsOf: shardFile, encoding: .utf8).prefix(4000).split(separator: "\n")[0]) + "\n")
    let wrongFile = try await provider.uploadFile(wrong, name: "other.jsonl", progress: nil)
    let wrongBatch = try await provider.createBatch(
      inputFileID: wrongFile.id, endpoint: RequestBuilder.endpoint, metadata: [:])
    await #expect {
      try await Attach.run("r0001", shard: 1, batchID: wrongBatch.id, workspace: path, context: context)
    } throws: { error in
      if case PipelineError.attachMismatch = error { return true }
      return false
    }
    let file = try await provider.uploadFile(shardFile, name: "by-hand.jsonl", progress: nil)
    let batch = try await provider.createBatch(inputFileID: file.id, endpoint: RequestBuilder.endpoint, metadata: [:])
    let attached = try await Attach.run("r0001", shard: 1, batchID: batch.id, workspace: path, context: context)
    #expect(attached.batchID == batch.id && attached.fileID == file.id)
    emulator.clock.advance(seconds: 60)
    let done = try await provider.batch(batch.id)
    let downloaded = test.folder.file("by-hand-output.jsonl")
    try await provider.downloadFile(try #require(done.outputFileID), to: DownloadTarget(file: downloaded))

    var options = FetchOptions()
    options.shard = 1
    options.outputFile = downloaded.path
    let imported = try await Fetch.run("r0001", options: options, workspace: path, context: context)
    #expect(imported.shards.first?.action == "imported")
    #expect(imported.shards.first?.record?.outputLines == 20 && imported.shards.first?.record?.missing == [])
    options.outputFile = wrong.path
    let partial = try await Fetch.run("r0001", options: options, workspace: path, context: context)
    #expect(partial.shards.first?.record?.missing.count == 19, "one line names one of the shard's 20 requests")
  }
}
