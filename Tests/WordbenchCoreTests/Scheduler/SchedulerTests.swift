import Foundation
import Synchronization
import Testing
import WordbenchTestSupport

@testable import WordbenchCore
@testable import WordbenchEmulator

/// Moves the test clock and the emulator's clock together instead of sleeping.
struct LinkedSleeper: Sleeper {
  let clock: ManualClock
  let emulator: Emulator

  func sleep(for duration: Duration) async throws {
    emulator.clock.advance(seconds: duration.timeInterval)
    try await clock.sleep(for: duration)
  }
}

@Suite("Scheduler against the emulator, on a test clock")
struct SchedulerTests {
  let process = ProcessRunTests()

  func setUp() async throws -> (Workspace, WordbenchContext, Emulator) {
    let (workspace, base, emulator) = try await process.setUp()
    var context = base
    context.sleeper = LinkedSleeper(clock: process.lifecycle.test.clock, emulator: emulator)
    return (workspace, context, emulator)
  }

  func options(words: Int = 40, maxWords: Int? = nil, maxCost: Double? = nil) -> CycleOptions {
    var options = CycleOptions()
    options.words = words
    options.batchSize = 20
    options.maxWords = maxWords
    options.maxCost = maxCost
    return options
  }

  @Test("a cycle sends a new run; the next merges it, counts it and sends the next; limits end it")
  func cycles() async throws {
    let (workspace, context, emulator) = try await setUp()
    defer { emulator.stop() }
    let path = workspace.root.path
    let first = try await SchedulerCycle.run(options: options(maxWords: 100), workspace: path, context: context)
    #expect(first.newRun?.run == "r0001" && first.newRun?.words == 40 && first.errors.isEmpty)
    #expect(first.state.runsInFlight == ["r0001"] && first.state.successfulRuns == 1)
    #expect(first.state.targets.maxWords == 100)

    emulator.clock.advance(seconds: 3600)
    let second = try await SchedulerCycle.run(options: options(), workspace: path, context: context)
    #expect(second.merged.map(\.merged) == [40])
    #expect(second.newRun?.run == "r0002" && second.state.totalWordsProcessed == 40)
    #expect(second.state.totalCostIncurred > 0 && second.state.recentBatches.count == 2)

    emulator.clock.advance(seconds: 3600)
    let third = try await SchedulerCycle.run(options: options(), workspace: path, context: context)
    #expect(third.state.totalWordsProcessed == 80)
    #expect(third.newRun?.words == 20, "100 words in all: 80 done, so 20 more")

    emulator.clock.advance(seconds: 3600)
    let fourth = try await SchedulerCycle.run(options: options(), workspace: path, context: context)
    #expect(fourth.state.totalWordsProcessed == 100 && fourth.newRun == nil)
    #expect(fourth.noNewRun?.contains("word limit") == true)

    // The state on disk is the one reported, and the log has a line per cycle.
    let files = SchedulerFiles(workspace: workspace)
    #expect(try files.load(now: Date()) == fourth.state)
    let log = try String(contentsOf: files.log, encoding: .utf8)
    #expect(log.split(separator: "\n").count == 4 && log.contains("new run r0001 (40 words)"))

    let status = try await Scheduler.status(workspace: path, context: context)
    #expect(status.status == "STOPPED" && status.wordsProcessed == 100 && status.maxWords == 100)
    #expect(status.activeJobs == 0 && abs(status.currentCost - fourth.state.totalCostIncurred) < 1e-9)
  }

  @Test("nothing is sent that would pass a budget; the run is sized down to fit what is left")
  func budgets() async throws {
    let (workspace, context, emulator) = try await setUp()
    defer { emulator.stop() }
    let path = workspace.root.path
    // What would 40 words cost? Sized to fit half of it.
    let estimate = try #require(
      try Estimate.run(options: EstimateOptions(), workspace: path, context: context).rows.last?.estimate)
    let perWord = estimate.batchCostUSD / Double(estimate.words)
    let first = try await SchedulerCycle.run(
      options: options(maxCost: perWord * 20), workspace: path, context: context)
    let words = try #require(first.newRun?.words)
    #expect(words < 40 && words >= 10, "sized down to fit the money left")
    #expect(try Ledger(workspace: workspace).spend(since: .distantPast) <= perWord * 20 * 1.0001)

    let second = try await SchedulerCycle.run(options: options(), workspace: path, context: context)
    #expect(second.newRun == nil, "\(second.noNewRun ?? "")")
    #expect(second.noNewRun?.contains("--max-cost") == true || second.noNewRun?.contains("fits") == true)
    #expect(process.lifecycle.counts(emulator).batches == first.newRun?.shards.count)

    // The per-day budget from the config applies as well.
    try workspace.configure { $0.budget.maxCostPerDay = 0 }
    _ = try await Scheduler.reset(workspace: path, context: context)
    let third = try await SchedulerCycle.run(options: options(), workspace: path, context: context)
    #expect(third.newRun == nil && third.noNewRun?.contains("day") == true)
  }

  @Test("two cycles never run at once")
  func exclusive() async throws {
    let (workspace, context, emulator) = try await setUp()
    defer { emulator.stop() }
    let files = SchedulerFiles(workspace: workspace)
    try FileManager.default.createDirectory(at: files.folder, withIntermediateDirectories: true)
    let held = try await WorkspaceLock.acquire(
      at: files.cycleLock, command: "scheduler cycle", wait: false, context: context)
    await #expect(throws: SchedulerError.self) {
      try await SchedulerCycle.run(options: options(), workspace: workspace.root.path, context: context)
    }
    held.release()
    let report = try await SchedulerCycle.run(options: options(), workspace: workspace.root.path, context: context)
    #expect(report.newRun != nil)
  }

  @Test("start wakes on the schedule, runs a cycle each time, and stops when asked, between steps")
  func startLoop() async throws {
    let (workspace, context, emulator) = try await setUp()
    defer { emulator.stop() }
    var options = SchedulerStartOptions()
    options.cycle = self.options()
    options.frequency = .hourly
    options.runTime = "00:30"
    options.timeZone = TimeZone(identifier: "UTC")!
    options.maxCycles = 3
    let reports = Mutex<[CycleReport]>([])
    let started = context.clock.now()
    try await Scheduler.start(options: options, workspace: workspace.root.path, context: context) { result in
      if case .success(let report) = result { reports.withLock { $0.append(report) } }
    }
    let cycles = reports.withLock { $0 }
    #expect(cycles.count == 3)
    let minutes = cycles.map { Calendar(identifier: .gregorian).dateComponents(in: options.timeZone, from: $0.time) }
      .map(\.minute)
    #expect(minutes == [30, 30, 30], "each cycle at half past")
    #expect(cycles[0].time.timeIntervalSince(started) <= 3600)
    #expect(cycles[1].merged.count == 1 && cycles[2].merged.count == 1)
    let state = try SchedulerFiles(workspace: workspace).load(now: Date())
    #expect(state.loopPID == nil && state.successfulRuns == 3)

    // A second scheduler for the same workspace is refused while the first one lives.
    let files = SchedulerFiles(workspace: workspace)
    try await files.update(command: "test", context: context) { $0.loopPID = getpid() }
    await #expect(throws: SchedulerError.alreadyRunning(pid: getpid())) {
      try await Scheduler.start(options: options, workspace: workspace.root.path, context: context)
    }
    try await files.update(command: "test", context: context) { $0.loopPID = nil }

    // Asked to stop: no cycle runs.
    var stopping = options
    stopping.maxCycles = nil
    stopping.cycle.shouldStop = { true }
    try await Scheduler.start(options: stopping, workspace: workspace.root.path, context: context)
    #expect(try SchedulerFiles(workspace: workspace).load(now: Date()).successfulRuns == 3)
  }

  @Test("reset-state clears progress tracking and keeps the limits; a torn write never replaces the state")
  func resetAndAtomicWrites() async throws {
    let (workspace, context, emulator) = try await setUp()
    defer { emulator.stop() }
    let path = workspace.root.path
    _ = try await SchedulerCycle.run(options: options(maxWords: 500), workspace: path, context: context)
    let files = SchedulerFiles(workspace: workspace)
    let before = try files.load(now: Date())
    // A write cut short (a crash) leaves the old state readable.
    #expect(throws: (any Error).self) {
      try AtomicFile.write(Data("{\"last_run\": tru".utf8), to: files.state, interruption: .abandonBeforeRename)
    }
    #expect(try files.load(now: Date()) == before)

    let reset = try await Scheduler.reset(workspace: path, context: context)
    #expect(reset.cleared.successfulRuns == 1 && reset.state.successfulRuns == 0)
    #expect(reset.state.targets.maxWords == 500 && reset.state.lastRun == nil)
    // Entries, runs and the ledger are untouched.
    #expect(RunStore(workspace: workspace).folders().count == 1)
  }
}
