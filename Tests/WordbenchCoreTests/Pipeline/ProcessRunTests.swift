import Foundation
import Synchronization
import Testing
import WordbenchTestSupport

@testable import WordbenchCore
@testable import WordbenchEmulator

/// A sleeper that moves the emulator's clock instead of waiting, so a process waits for its batches without
/// sleeping; after `failAfter` sleeps it throws, as an interruption would.
final class EmulatorSleeper: Sleeper {
  let emulator: Emulator
  let failAfter: Int?
  private let slept = Mutex(0)

  init(_ emulator: Emulator, failAfter: Int? = nil) {
    self.emulator = emulator
    self.failAfter = failAfter
  }

  var sleeps: Int { slept.withLock { $0 } }

  func sleep(for duration: Duration) async throws {
    let count = slept.withLock {
      $0 += 1
      return $0
    }
    if let failAfter, count > failAfter { throw CancellationError() }
    emulator.clock.advance(seconds: duration.timeInterval)
  }
}

@Suite("process against the emulator")
struct ProcessRunTests {
  let lifecycle = BatchLifecycleTests()

  /// A sample workspace with its corpus imported and an emulator the context points at, sleeping on its clock.
  func setUp(failAfter: Int? = nil) async throws -> (Workspace, WordbenchContext, Emulator) {
    var config = EmulatorConfig()
    config.speed = 1e-9
    let emulator = try Emulator(config: config, lexicon: OpenAIProviderTests.lexicon)
    var environment = ProcessInfo.processInfo.environment
    environment["OPENAI_API_KEY"] = "sk-test-secret-key"
    environment["OPENAI_BASE_URL"] = try emulator.start()
    let workspace = try lifecycle.test.workspace()
    var context = lifecycle.test.context(environment: environment)
    context.sleeper = EmulatorSleeper(emulator, failAfter: failAfter)
    _ = try await Corpus.importFiles(
      [Samples.corpus.path], column: nil, workspace: workspace.root.path, waitForLock: false, context: context)
    return (workspace, context, emulator)
  }

  func options(words: Int = 60) -> ProcessOptions {
    var options = ProcessOptions()
    options.prepare.words = words
    options.prepare.batchSize = 20
    options.pollInterval = .seconds(60)
    return options
  }

  @Test("prepare, upload, wait, fetch and merge in one go, with progress and the run's entries written out")
  func wholeRun() async throws {
    let (workspace, context, emulator) = try await setUp()
    defer { emulator.stop() }
    var options = options()
    options.outputDirectory = "out"
    let events = Mutex<[String]>([])
    let report = try await ProcessRun.run(options: options, workspace: workspace.root.path, context: context) {
      event in
      let name =
        switch event {
        case .prepared: "prepared"
        case .uploaded: "uploaded"
        case .waiting(_, let progress): "waiting \(progress.finished)/\(progress.total)"
        case .fetched: "fetched"
        case .merged: "merged"
        }
      events.withLock { $0.append(name) }
    }
    let seen = events.withLock { $0 }
    #expect(seen.first == "prepared" && seen[1] == "uploaded" && seen.suffix(2) == ["fetched", "merged"])
    #expect(seen.contains("waiting 60/60"))
    #expect(report.merged?.merged == 60 && report.merged?.failed == 0)
    #expect(report.actualCostUSD ?? 0 > 0 && report.estimatedCostUSD ?? 0 > 0)
    let entries = try String(contentsOf: lifecycle.test.folder.file("out/r0001.entries.jsonl"), encoding: .utf8)
    #expect(entries.split(separator: "\n").count == 60)
    #expect(FileManager.default.fileExists(atPath: lifecycle.test.folder.file("out/r0001.report.json").path))
    #expect((context.sleeper as? EmulatorSleeper)?.sleeps ?? 0 >= 1, "it waited through the sleeper, not the clock")
  }

  @Test("an interrupted process is finished by --resume, with nothing sent or merged twice")
  func resume() async throws {
    let (workspace, context, emulator) = try await setUp(failAfter: 0)
    defer { emulator.stop() }
    let path = workspace.root.path
    await #expect(throws: CancellationError.self) {
      try await ProcessRun.run(options: options(), workspace: path, context: context)
    }
    #expect(lifecycle.counts(emulator).batches == 3)
    var resumed = ProcessOptions()
    resumed.resume = "r1"
    var later = context
    later.sleeper = EmulatorSleeper(emulator)
    let report = try await ProcessRun.run(options: resumed, workspace: path, context: later)
    #expect(report.prepared == nil && report.merged?.merged == 60)
    #expect(lifecycle.counts(emulator).batches == 3, "no batch was created again")
    let again = try await ProcessRun.run(options: resumed, workspace: path, context: later)
    #expect(again.merged?.alreadyMerged == 60 && again.merged?.newEntries == 0)
    #expect(try DictionaryStore(workspace: workspace).entryCount() == 60)
  }

  @Test("asked to stop while waiting, it stops between steps; --resume takes it from there")
  func stopRequest() async throws {
    let (workspace, context, emulator) = try await setUp()
    defer { emulator.stop() }
    let asked = Mutex(false)
    var options = options(words: 40)
    options.shouldStop = { asked.withLock { $0 } }
    let first = try await ProcessRun.run(options: options, workspace: workspace.root.path, context: context) {
      if case .waiting = $0 { asked.withLock { $0 = true } }
    }
    #expect(first.stopped && first.merged == nil && first.status != nil)
    #expect(lifecycle.counts(emulator).batches == 2)
    var resumed = ProcessOptions()
    resumed.resume = first.run
    let report = try await ProcessRun.run(options: resumed, workspace: workspace.root.path, context: context)
    #expect(!report.stopped && report.merged?.merged == 40)
  }

  @Test("--no-wait stops after uploading; --resume takes it from there")
  func noWait() async throws {
    let (workspace, context, emulator) = try await setUp()
    defer { emulator.stop() }
    var options = options(words: 30)
    options.noWait = true
    let first = try await ProcessRun.run(options: options, workspace: workspace.root.path, context: context)
    #expect(first.stoppedAfterUpload && first.merged == nil && first.uploaded?.shards.count == 2)
    var resumed = ProcessOptions()
    resumed.resume = first.run
    let report = try await ProcessRun.run(options: resumed, workspace: workspace.root.path, context: context)
    #expect(report.merged?.merged == 30)
  }

  @Test("the progress estimate: requests finished over all shards and the time left at the rate so far")
  func progress() {
    func shard(_ index: Int, _ done: Int, _ total: Int, elapsed: Int?, batch: Bool = true) -> ShardStatus {
      ShardStatus(
        index: index, batchID: batch ? "batch_\(index)" : nil, status: batch ? .inProgress : nil,
        requestCounts: batch ? RequestCounts(total: total, completed: done, failed: 0) : nil,
        elapsedSeconds: elapsed, errors: [])
    }
    let half = RunProgress(
      StatusReport(
        run: "r0001", shards: [shard(1, 50, 100, elapsed: 600), shard(2, 0, 100, elapsed: 600)],
        allTerminal: false))
    #expect(half.finished == 50 && half.total == 200 && half.etaSeconds == 1800)
    let waiting = RunProgress(
      StatusReport(
        run: "r0001", shards: [shard(1, 0, 100, elapsed: 60), shard(2, 0, 0, elapsed: nil, batch: false)],
        allTerminal: false))
    #expect(waiting.etaSeconds == nil && waiting.shardsSent == 1 && waiting.shards == 2)
  }
}
