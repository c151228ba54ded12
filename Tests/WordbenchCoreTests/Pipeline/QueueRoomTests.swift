import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore
@testable import WordbenchEmulator

/// The workspace's queue limits: batches in flight and enqueued input tokens per model, and shards sent again
/// after the provider's `token_limit_exceeded`.
@Suite("Queue limits against the emulator")
struct QueueRoomTests {
  let lifecycle = BatchLifecycleTests()

  /// Uploads and finishes batches until every shard is completed; returns the upload actions of each round.
  func uploadUntilDone(_ path: String, _ context: WordbenchContext, _ emulator: Emulator) async throws -> [[String]] {
    var rounds: [[String]] = []
    for _ in 0..<10 {
      let upload = try await Upload.run(nil, options: UploadOptions(), workspace: path, context: context)
      rounds.append(upload.shards.map(\.action))
      emulator.clock.advance(seconds: 3600)
      let status = try await Status.run(nil, workspace: path, context: context)
      if status.shards.allSatisfy({ $0.status == .completed }) { return rounds }
    }
    Issue.record("the shards never all completed: \(rounds)")
    return rounds
  }

  @Test("no more batches in flight than max_concurrent_batches, across runs; the rest wait for room")
  func concurrentBatches() async throws {
    let (workspace, context, emulator) = try await lifecycle.setUp(words: 100, batchSize: 20)
    defer { emulator.stop() }
    try workspace.configure { $0.limits.maxConcurrentBatches = 2 }
    let path = workspace.root.path
    let first = try await Upload.run(nil, options: UploadOptions(), workspace: path, context: context)
    #expect(first.shards.map(\.action) == ["uploaded", "uploaded"] + Array(repeating: "waiting for room", count: 3))
    #expect(lifecycle.counts(emulator).batches == 2)
    let manifest = try RunStore(workspace: workspace).open(RunID(1)).readManifest()
    #expect(manifest.state(of: .upload) == .running)

    // Nothing has finished, so there is still no room.
    let again = try await Upload.run(nil, options: UploadOptions(), workspace: path, context: context)
    #expect(again.shards.filter { $0.action == "waiting for room" }.count == 3)
    #expect(lifecycle.counts(emulator).batches == 2)

    let rounds = try await uploadUntilDone(path, context, emulator)
    #expect(rounds.map { $0.filter { $0 == "uploaded" }.count } == [0, 2, 1])
    #expect(lifecycle.counts(emulator).batches == 5)
    let done = try RunStore(workspace: workspace).open(RunID(1)).readManifest()
    #expect(done.state(of: .upload) == .done)
  }

  @Test("a batch that finished unseen frees its place: upload asks the provider before it makes a shard wait")
  func staleStatus() async throws {
    let (workspace, context, emulator) = try await lifecycle.setUp(words: 20, batchSize: 20)
    defer { emulator.stop() }
    try workspace.configure { $0.limits.maxConcurrentBatches = 1 }
    let path = workspace.root.path
    _ = try await Upload.run("r1", options: UploadOptions(), workspace: path, context: context)
    var options = PrepareOptions()
    options.words = 20
    _ = try await Prepare.run(options: options, workspace: path, context: context)
    let blocked = try await Upload.run("r2", options: UploadOptions(), workspace: path, context: context)
    #expect(blocked.shards.map(\.action) == ["waiting for room"])
    // r0001's batch finishes at the provider; nobody asks for its status.
    emulator.clock.advance(seconds: 3600)
    let sent = try await Upload.run("r2", options: UploadOptions(), workspace: path, context: context)
    #expect(sent.shards.map(\.action) == ["uploaded"])
    let first = try RunStore(workspace: workspace).open(RunID(1)).readManifest()
    #expect(first.shards?.first?.remote?.status == .completed, "the answer is recorded in r0001's manifest")
  }

  @Test("a batch refused with token_limit_exceeded is sent again when there is room; its words are not failed")
  func tokenLimitExceeded() async throws {
    let (workspace, setUpContext, first) = try await lifecycle.setUp(words: 60, batchSize: 20)
    first.stop()
    let shards = try #require(try RunStore(workspace: workspace).open(RunID(1)).readManifest().shards)
    let largest = try #require(shards.map(\.inputTokens).max())
    // The provider's queue takes one shard at a time; ours is set higher, so all three are sent at once.
    var config = EmulatorConfig()
    config.speed = 1e-9
    config.enqueuedTokenLimit = largest + largest / 2
    let emulator = try Emulator(config: config, lexicon: OpenAIProviderTests.lexicon)
    defer { emulator.stop() }
    var environment = setUpContext.environment
    environment["OPENAI_BASE_URL"] = try emulator.start()
    let context = lifecycle.test.context(environment: environment)
    try workspace.configure { $0.limits.maxEnqueuedTokens = 100 * largest }
    let path = workspace.root.path

    _ = try await Upload.run(nil, options: UploadOptions(), workspace: path, context: context)
    emulator.clock.advance(seconds: 3)  // past validating, where the queue is checked; not yet done
    let status = try await Status.run(nil, workspace: path, context: context)
    #expect(status.shards.filter { $0.errors.contains { $0.code == "token_limit_exceeded" } }.count == 2)
    let fetch = try await Fetch.run(nil, options: FetchOptions(), workspace: path, context: context)
    #expect(fetch.shards.filter { $0.action.hasPrefix("waiting for room") }.count == 2)

    let rounds = try await uploadUntilDone(path, context, emulator)
    #expect(rounds.first?.filter { $0 == "uploaded" }.count == 2, "the two refused shards are sent again")
    _ = try await Fetch.run(nil, options: FetchOptions(), workspace: path, context: context)
    let merged = try await Merge.run(nil, options: MergeOptions(), workspace: path, context: context)
    #expect(merged.merged == 60 && merged.failed == 0)
    // Each refused shard was sent once more with the same file, and is counted once in the ledger's spend.
    let state = emulator.handle(
      EmulatorRequest(method: "GET", path: "/_emulator/state", query: [:], headers: [:], body: Data()))
    let counts = try JSONValue(parsing: state.body)
    #expect(counts["input_files"]?.int == 3 && counts["batches"]?.int ?? 0 >= 5)
    let spend = try Ledger(workspace: workspace).spend(since: .distantPast)
    #expect(abs(spend - merged.actualCostUSD) < 1e-9)
  }

  @Test("a shard larger than the whole queue is an error that says what to change")
  func shardOverQueue() async throws {
    let (workspace, context, emulator) = try await lifecycle.setUp(words: 20, batchSize: 20)
    defer { emulator.stop() }
    try workspace.configure { $0.limits.maxEnqueuedTokens = 100 }
    await #expect(throws: PipelineError.self) {
      try await Upload.run(nil, options: UploadOptions(), workspace: workspace.root.path, context: context)
    }
    #expect(lifecycle.counts(emulator) == (0, 0))
  }
}
