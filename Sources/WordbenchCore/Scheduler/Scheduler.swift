import Foundation

/// What `scheduler start` takes: the cycle's limits and the schedule, where the flags replace `[scheduler]`.
public struct SchedulerStartOptions: Sendable {
  public var cycle = CycleOptions()
  public var frequency: ScheduleFrequency?
  public var runTime: String?
  public var timeZone = TimeZone.current
  /// Ends the loop after this many cycles (tests); nil runs until stopped.
  public var maxCycles: Int?

  public init() {}
}

/// What `scheduler status` shows.
public struct SchedulerStatusReport: Codable, Sendable {
  /// RUNNING (a cycle is under way), WAITING (`scheduler start` sleeps until the next run) or STOPPED.
  public var status: String
  public var nextRun: Date?
  public var wordsProcessed: Int
  public var maxWords: Int?
  /// Spend since the state began: actual cost of merged shards plus estimates of those in flight.
  public var currentCost: Double
  public var maxCost: Double?
  /// Batches in flight at the provider, over the workspace's runs.
  public var activeJobs: Int
  /// What is left of each budget now.
  public var budgetLeft: [String: Double]
  public var lastErrors: [SchedulerState.ProcessingError]
  public var state: SchedulerState

  enum CodingKeys: String, CodingKey {
    case status, state
    case nextRun = "next_run"
    case wordsProcessed = "words_processed"
    case maxWords = "max_words"
    case currentCost = "current_cost"
    case maxCost = "max_cost"
    case activeJobs = "active_jobs"
    case budgetLeft = "budget_left"
    case lastErrors = "last_errors"
  }
}

/// What `scheduler reset-state` cleared.
public struct SchedulerResetReport: Codable, Sendable {
  public var cleared: SchedulerState
  public var state: SchedulerState
}

/// `wordbench scheduler start|status|reset-state`; `run-once` is `SchedulerCycle`.
public enum Scheduler {
  /// How long the loop sleeps at most before it looks at the clock and the stop request again.
  static let wakeInterval: Duration = .seconds(1)

  /// Runs cycles on the schedule until `options.cycle.shouldStop()` says to stop; a run missed while the
  /// scheduler was down makes one cycle at once. The clock is looked at again after every short sleep, so a
  /// daylight-saving change or a suspended machine never shifts the schedule.
  public static func start(
    options: SchedulerStartOptions, workspace path: String?, context: WordbenchContext,
    onCycle: @Sendable (Result<CycleReport, any Error>) -> Void = { _ in }
  ) async throws {
    let workspace = try Workspace.locate(explicit: path, context: context)
    var settings = workspace.config.scheduler
    if let frequency = options.frequency { settings.frequency = frequency }
    if let runTime = options.runTime { settings.runTime = runTime }
    let schedule = Schedule(settings, timeZone: options.timeZone)
    let files = SchedulerFiles(workspace: workspace)
    let begun = try await files.update(command: "scheduler start", context: context) { state in
      if let pid = state.loopPID, pid != context.processID, kill(pid, 0) == 0 {
        throw SchedulerError.alreadyRunning(pid: pid)
      }
      state.loopPID = context.processID
      state.targets.take(options.cycle)
    }
    do {
      try await loop(
        schedule, since: begun.lastRun ?? context.clock.now(), options: options, files: files, path: path,
        context: context, onCycle: onCycle)
    } catch {
      _ = try? await files.update(command: "scheduler start", context: context) { $0.loopPID = nil }
      throw error
    }
    try await files.update(command: "scheduler start", context: context) { $0.loopPID = nil }
  }

  private static func loop(
    _ schedule: Schedule, since start: Date, options: SchedulerStartOptions, files: SchedulerFiles, path: String?,
    context: WordbenchContext, onCycle: @Sendable (Result<CycleReport, any Error>) -> Void
  ) async throws {
    var last = start
    var cycles = 0
    while !options.cycle.shouldStop() {
      let next = schedule.next(after: last)
      try await files.update(command: "scheduler start", context: context) { $0.nextRun = next }
      while context.clock.now() < next && !options.cycle.shouldStop() {
        let left = next.timeIntervalSince(context.clock.now())
        try await context.sleeper.sleep(for: min(wakeInterval, .milliseconds(Int64((left * 1000).rounded(.up)))))
      }
      if options.cycle.shouldStop() { return }
      do {
        onCycle(.success(try await SchedulerCycle.run(options: options.cycle, workspace: path, context: context)))
      } catch {
        onCycle(.failure(error))
      }
      last = context.clock.now()
      cycles += 1
      if let maxCycles = options.maxCycles, cycles >= maxCycles { return }
    }
  }

  public static func status(workspace path: String?, context: WordbenchContext) async throws
    -> SchedulerStatusReport
  {
    let workspace = try Workspace.locate(explicit: path, context: context)
    let files = SchedulerFiles(workspace: workspace)
    let now = context.clock.now()
    let state = try files.load(now: now)
    var running = false
    if POSIXFile.exists(files.cycleLock) {
      do {
        let probe = try await WorkspaceLock.acquire(
          at: files.cycleLock, command: "scheduler status", wait: false, context: context)
        probe.release()
      } catch WorkspaceError.busy {
        running = true
      }
    }
    let looping = state.loopPID.map { kill($0, 0) == 0 } ?? false
    let cycle = Cycle(
      workspace: workspace, path: path, context: context, options: CycleOptions(), state: state)
    let budget = workspace.config.budget
    let ledger = Ledger(workspace: workspace)
    var left: [String: Double] = [
      "run": budget.maxCostPerRun,
      "day": budget.maxCostPerDay - (try ledger.spend(since: now.addingTimeInterval(-Budget.day))),
      "month": budget.maxCostPerMonth - (try ledger.spend(since: now.addingTimeInterval(-Budget.month))),
    ]
    let spent = try cycle.totalSpend()
    if let maxCost = state.targets.maxCost { left["total"] = maxCost - spent }
    let nextRun =
      looping ? state.nextRun : Schedule(workspace.config.scheduler).next(after: max(now, state.lastRun ?? now))
    return SchedulerStatusReport(
      status: running ? "RUNNING" : looping ? "WAITING" : "STOPPED", nextRun: nextRun,
      wordsProcessed: state.totalWordsProcessed, maxWords: state.targets.maxWords, currentCost: spent,
      maxCost: state.targets.maxCost, activeJobs: try QueueRoom(workspace: workspace).batches,
      budgetLeft: left.mapValues { max(0, $0) }, lastErrors: Array(state.processingErrors.suffix(5)), state: state)
  }

  /// Clears progress tracking (counts, spend period, errors, auto-scaling history), keeping the limits given to
  /// `start` and a running loop's record. Runs, entries and the ledger are not touched.
  public static func reset(workspace path: String?, context: WordbenchContext) async throws -> SchedulerResetReport {
    let workspace = try Workspace.locate(explicit: path, context: context)
    let files = SchedulerFiles(workspace: workspace)
    let lock = try await files.lockCycle(command: "scheduler reset-state", context: context)
    defer { lock.release() }
    let old = try files.load(now: context.clock.now())
    var fresh = SchedulerState(since: context.clock.now())
    fresh.targets = old.targets
    fresh.loopPID = old.loopPID
    fresh.nextRun = old.nextRun
    try files.save(fresh)
    return SchedulerResetReport(cleared: old, state: fresh)
  }
}
