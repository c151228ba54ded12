import Foundation

/// What a scheduler cycle may take on, beside the workspace's `[scheduler]` and `[budget]` settings.
public struct CycleOptions: Sendable {
  /// Words to process in all since the state was set up; kept in the state once given.
  public var maxWords: Int?
  /// Dollars to spend in all since the state was set up; kept in the state once given.
  public var maxCost: Double?
  public var batchSize: Int?
  public var filterPreset: FilterPreset?
  /// Words of this cycle's new run (`run-once --words N`); else `[scheduler] max_words_per_run`.
  public var words: Int?
  /// Asked between steps; true ends the cycle early, cleanly (SIGTERM, SIGINT).
  public var shouldStop: @Sendable () -> Bool = { false }

  public init() {}
}

/// What one scheduler cycle did.
public struct CycleReport: Codable, Sendable {
  public var time: Date
  /// What happened to each run in flight, by run.
  public var runs: [String: String] = [:]
  public var merged: [MergeReport] = []
  /// Runs made from the words that failed in runs merged this cycle.
  public var retries: [String] = []
  public var archived: [String] = []
  /// The new run prepared and sent this cycle, if any, else why there is none.
  public var newRun: PrepareReport?
  public var noNewRun: String?
  public var errors: [String] = []
  public var stopped = false
  public var state: SchedulerState

  enum CodingKeys: String, CodingKey {
    case time, runs, merged, retries, archived, errors, stopped, state
    case newRun = "new_run"
    case noNewRun = "no_new_run"
  }
}

/// One scheduler cycle (`scheduler run-once`, and each wake-up of `scheduler start`): advance the runs in flight
/// (status, fetch, merge, retry), archive runs older than the configured age, then, if words remain and the budgets
/// allow, prepare and send the next run, sized to fit the word and cost limits.
///
/// Every step is one of the single-step commands, so a cycle interrupted anywhere is finished by the next. Two
/// cycles never run at once: a cycle holds `scheduler/cycle.lock` throughout (the steps take the workspace lock
/// one by one, as they always do).
public enum SchedulerCycle {
  public static func run(options: CycleOptions, workspace path: String?, context: WordbenchContext) async throws
    -> CycleReport
  {
    let workspace = try Workspace.locate(explicit: path, context: context)
    let files = SchedulerFiles(workspace: workspace)
    let lock = try await files.lockCycle(command: "scheduler cycle", context: context)
    defer { lock.release() }
    var state = try files.load(now: context.clock.now())
    state.targets.take(options)
    var report = CycleReport(time: context.clock.now(), state: state)
    var cycle = Cycle(workspace: workspace, path: path, context: context, options: options, state: state)
    await cycle.advanceRuns(&report)
    if !options.shouldStop() { await cycle.archiveOldRuns(&report) }
    if !options.shouldStop() { await cycle.startNextRun(&report) }
    report.stopped = options.shouldStop()
    state = cycle.state
    try cycle.finish(&state, errors: report.errors)
    try files.save(state)
    report.state = state
    try AppendOnlyFile.append(Data((logLine(report) + "\n").utf8), to: files.log)
    return report
  }

  /// One line of `scheduler/scheduler.log` per cycle.
  static func logLine(_ report: CycleReport) -> String {
    var parts = report.runs.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
    parts += report.archived.map { "archived \($0)" }
    parts.append(
      report.newRun.map { "new run \($0.run) (\($0.words) words)" } ?? "no new run: \(report.noNewRun ?? "")")
    parts += report.errors.map { "error: \($0)" }
    return "\(report.time.formatted(.iso8601)) cycle: " + parts.joined(separator: "; ")
  }
}

/// The work of one cycle, with the state it updates.
struct Cycle {
  let workspace: Workspace
  let path: String?
  let context: WordbenchContext
  let options: CycleOptions
  var state: SchedulerState

  var now: Date { context.clock.now() }

  /// Spend since the state began: actual cost of merged shards plus estimates of those still out.
  func totalSpend() throws -> Double { try Ledger(workspace: workspace).spend(since: state.since) }

  /// What may still be spent on one run: the least of what is left of the scheduler's total, the per-run budget,
  /// and the day's and month's budgets.
  func remainingBudget() throws -> (amount: Double, limit: String) {
    let ledger = Ledger(workspace: workspace)
    let budget = workspace.config.budget
    var limits: [(Double, String)] = [
      (budget.maxCostPerRun, "[budget] max_cost_per_run"),
      (budget.maxCostPerDay - (try ledger.spend(since: now.addingTimeInterval(-Budget.day))), "the day's budget"),
      (
        budget.maxCostPerMonth - (try ledger.spend(since: now.addingTimeInterval(-Budget.month))),
        "the month's budget"
      ),
    ]
    if let total = state.targets.maxCost { limits.append((total - (try totalSpend()), "the scheduler's --max-cost")) }
    let least = limits.min { $0.0 < $1.0 }!
    return (max(0, least.0), least.1)
  }

  /// The prepared runs not yet merged, oldest first.
  func unfinishedRuns() -> [(name: String, manifest: RunManifest)] {
    RunStore(workspace: workspace).folders().compactMap { folder in
      guard let manifest = try? folder.readManifest(), manifest.state(of: .prepare) == .done,
        manifest.state(of: .merge) != .done
      else { return nil }
      return (folder.id.name, manifest)
    }
  }

  mutating func advanceRuns(_ report: inout CycleReport) async {
    for (name, _) in unfinishedRuns() {
      if options.shouldStop() { return }
      do {
        let remaining = try remainingBudget().amount
        let progress = try await ProcessRun.advance(
          name, maxCost: remaining, until: .checked, pollInterval: .zero, workspace: path, context: context,
          onEvent: { _ in })
        guard let merged = progress.merged else {
          report.runs[name] = progress.status.map { "waiting: " + Status.summary($0.shards) } ?? "waiting"
          continue
        }
        try recordMerge(merged, run: name, report: &report)
        // The words that failed go round again in a new run, sent at once when the queue has room; after the
        // attempt limit a word is quarantined with its reason instead.
        if merged.rejected + merged.failed > 0 {
          let retry = try await Retry.run(name, workspace: path, context: context)
          if let again = retry.prepared?.run {
            report.retries.append(again)
            _ = try await ProcessRun.advance(
              again, maxCost: try remainingBudget().amount, until: .uploaded, pollInterval: .zero, workspace: path,
              context: context, onEvent: { _ in })
          }
          if !retry.quarantined.isEmpty { report.runs[name, default: ""] += ", \(retry.quarantined.count) quarantined" }
        }
      } catch {
        report.errors.append("\(name): \(error)")
        state.recordError("\(error)", run: name, at: now)
      }
    }
  }

  /// Counts a merged run's words, cost and batches, and sends the words that failed round again.
  mutating func recordMerge(_ merged: MergeReport, run: String, report: inout CycleReport) throws {
    report.merged.append(merged)
    report.runs[run] =
      "merged \(merged.merged) of \(merged.requests) (\(merged.rejected) rejected, \(merged.failed) failed)"
    state.totalWordsProcessed += merged.newEntries + merged.replacedEntries
    state.totalCostIncurred += merged.actualCostUSD
    let manifest = try RunStore(workspace: workspace).open(RunID(parsing: run)!).readManifest()
    for shard in manifest.shards ?? [] {
      guard let remote = shard.remote, let created = remote.createdAt, let finished = remote.finishedAt else {
        continue
      }
      state.recentBatches.append(
        BatchOutcome(
          run: run, shard: shard.index, requests: shard.lines, completed: remote.requestCounts?.completed ?? 0,
          turnaroundSeconds: max(0, finished - created)))
    }
    state.recentBatches = Array(state.recentBatches.suffix(AutoScaler.window * 4))
  }

  mutating func archiveOldRuns(_ report: inout CycleReport) async {
    do {
      var archive = ArchiveOptions()
      archive.waitForLock = true
      report.archived = try await RunArchiver.archive(options: archive, workspace: path, context: context).archived
        .map(\.run)
    } catch {
      report.errors.append("archive: \(error)")
      state.recordError("archive: \(error)", run: nil, at: now)
    }
  }

  /// The batch size of the next run: the auto-scaled one when `[scheduler] auto_scale` is on.
  mutating func nextBatchSize() -> Int? {
    let settings = workspace.config.scheduler
    guard settings.autoScale else { return state.targets.batchSize }
    let size = AutoScaler.next(
      current: state.currentBatchSize ?? state.targets.batchSize ?? settings.minBatchSize,
      recent: state.recentBatches, minimum: settings.minBatchSize, maximum: settings.maxBatchSize)
    state.currentBatchSize = size
    return size
  }

  mutating func startNextRun(_ report: inout CycleReport) async {
    do {
      if let reason = try reasonForNoNewRun() {
        report.noNewRun = reason
        return
      }
      let inFlight = unfinishedRuns().reduce(0) { $0 + ($1.manifest.shards ?? []).reduce(0) { $0 + $1.lines } }
      var words = options.words ?? workspace.config.scheduler.maxWordsPerRun
      if let maxWords = state.targets.maxWords { words = min(words, maxWords - state.totalWordsProcessed - inFlight) }
      guard words > 0 else {
        report.noNewRun = "the word limit is reached (with \(inFlight) words in flight)"
        return
      }
      let budget = try remainingBudget()
      guard budget.amount > 0 else {
        report.noNewRun = "no money left in \(budget.limit)"
        return
      }
      guard let prepared = try await prepare(words: words, budget: budget.amount, report: &report) else { return }
      report.newRun = prepared
      _ = try await ProcessRun.advance(
        prepared.run, maxCost: budget.amount, until: .uploaded, pollInterval: .zero, workspace: path,
        context: context, onEvent: { _ in })
      report.runs[prepared.run] = "prepared and sent"
    } catch {
      report.errors.append("new run: \(error)")
      state.recordError("new run: \(error)", run: nil, at: now)
    }
  }

  /// A new run waits while an earlier one still has shards waiting for room in the provider's queue.
  func reasonForNoNewRun() throws -> String? {
    for (name, manifest) in unfinishedRuns() where (manifest.shards ?? []).contains(where: \.needsBatch) {
      return "\(name) still has shards waiting for room in the queue"
    }
    return nil
  }

  /// Prepares `words` words (fewer if their estimate passes `budget`: the count is scaled down to fit and tried
  /// again); nil when no word is left.
  mutating func prepare(words: Int, budget: Double, report: inout CycleReport) async throws -> PrepareReport? {
    var options = PrepareOptions()
    options.words = words
    options.batchSize = nextBatchSize()
    options.preset = state.targets.filterPreset.flatMap(FilterPreset.init(rawValue:))
    options.maxCost = budget
    options.waitForLock = true
    for _ in 0..<6 {
      do {
        return try await Prepare.run(options: options, workspace: path, context: context)
      } catch RequestError.noWords {
        report.noNewRun = "no words are left to do"
        return nil
      } catch RequestError.overBudget(_, _, let estimate, _) where estimate > 0 {
        let fitting = Int(Double(options.words ?? 0) * budget / estimate * 0.98)
        guard fitting >= 1, fitting < options.words ?? 0 else {
          report.noNewRun = "not even one word fits in the \(Money.format(budget)) left"
          return nil
        }
        options.words = fitting
      }
    }
    report.noNewRun = "no run size fits in the \(Money.format(budget)) left"
    return nil
  }

  /// The state at the end of a cycle: counts, spend, runs in flight and the next run.
  func finish(_ state: inout SchedulerState, errors: [String]) throws {
    let ledger = Ledger(workspace: workspace)
    state.lastRun = now
    if errors.isEmpty { state.successfulRuns += 1 } else { state.failedRuns += 1 }
    state.runsInFlight = unfinishedRuns().map(\.name)
    state.spendDay = try ledger.spend(since: now.addingTimeInterval(-Budget.day))
    state.spendMonth = try ledger.spend(since: now.addingTimeInterval(-Budget.month))
    state.nextRun = Schedule(workspace.config.scheduler).next(after: now)
  }
}
