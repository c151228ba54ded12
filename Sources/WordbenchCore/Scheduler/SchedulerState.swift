import Foundation

/// `scheduler/state.json`: the scheduler's progress, in the original tool's fields and ours. Written atomically, so
/// a crash leaves the previous state or the new one, never a mix.
public struct SchedulerState: Codable, Equatable, Sendable {
  /// One thing that went wrong in a cycle.
  public struct ProcessingError: Codable, Equatable, Sendable {
    public var time: Date
    public var run: String?
    public var message: String
  }

  /// The limits `scheduler start` was given, kept so that `status` (another process) can show them.
  public struct Targets: Codable, Equatable, Sendable {
    /// Words to process in all, and dollars to spend in all, since the state was set up; nil for no limit.
    public var maxWords: Int?
    public var maxCost: Double?
    public var batchSize: Int?
    public var filterPreset: String?

    /// Takes the limits a command was given; the ones it was not given stay as they were.
    mutating func take(_ options: CycleOptions) {
      if let maxWords = options.maxWords { self.maxWords = maxWords }
      if let maxCost = options.maxCost { self.maxCost = maxCost }
      if let batchSize = options.batchSize { self.batchSize = batchSize }
      if let preset = options.filterPreset { filterPreset = preset.rawValue }
    }

    enum CodingKeys: String, CodingKey {
      case maxWords = "max_words"
      case maxCost = "max_cost"
      case batchSize = "batch_size"
      case filterPreset = "filter_preset"
    }
  }

  // The original tool's fields.
  public var lastRun: Date?
  public var totalWordsProcessed = 0
  public var totalCostIncurred = 0.0
  public var successfulRuns = 0
  public var failedRuns = 0
  public var processingErrors: [ProcessingError] = []

  // Ours.
  /// When progress tracking began (set up or reset); spend is counted from here.
  public var since: Date
  public var nextRun: Date?
  public var runsInFlight: [String] = []
  /// Spend (actual cost of merged shards plus estimates of those still out) in the rolling day and month.
  public var spendDay = 0.0
  public var spendMonth = 0.0
  public var currentBatchSize: Int?
  public var targets = Targets()
  /// The last finished batches, for auto-scaling.
  public var recentBatches: [BatchOutcome] = []
  /// The process of a running `scheduler start`, while it runs.
  public var loopPID: Int32?

  public static let keptErrors = 20

  public init(since: Date) { self.since = since }

  mutating func recordError(_ message: String, run: String?, at time: Date) {
    processingErrors.append(ProcessingError(time: time, run: run, message: message))
    processingErrors = Array(processingErrors.suffix(Self.keptErrors))
  }

  enum CodingKeys: String, CodingKey {
    case since, targets
    case lastRun = "last_run"
    case totalWordsProcessed = "total_words_processed"
    case totalCostIncurred = "total_cost_incurred"
    case successfulRuns = "successful_runs"
    case failedRuns = "failed_runs"
    case processingErrors = "processing_errors"
    case nextRun = "next_run"
    case runsInFlight = "runs_in_flight"
    case spendDay = "spend_day"
    case spendMonth = "spend_month"
    case currentBatchSize = "current_batch_size"
    case recentBatches = "recent_batches"
    case loopPID = "loop_pid"
  }
}

/// Where the scheduler keeps its files in a workspace: `scheduler/state.json`, `scheduler/scheduler.log` and the
/// lock that keeps two cycles from running at once.
public struct SchedulerFiles: Sendable {
  public let folder: URL

  public init(workspace: Workspace) { folder = workspace.root.appendingPathComponent("scheduler") }

  public var state: URL { folder.appendingPathComponent("state.json") }
  public var log: URL { folder.appendingPathComponent("scheduler.log") }
  var cycleLock: URL { folder.appendingPathComponent("cycle.lock") }

  /// The saved state, or a fresh one starting `now` when there is none yet.
  public func load(now: Date) throws -> SchedulerState {
    guard let data = try? Data(contentsOf: state) else { return SchedulerState(since: now) }
    do {
      return try JSONCoding.decoder().decode(SchedulerState.self, from: data)
    } catch {
      throw SchedulerError.unreadableState(path: state.path, reason: JSONCoding.describe(error))
    }
  }

  public func save(_ value: SchedulerState) throws {
    try POSIXFile.createDirectory(folder)
    try AtomicFile.write(try JSONCoding.encoder().encode(value), to: state)
  }

  /// Takes the cycle lock at once for `command`, or says who holds it: a cycle and anything that rewrites the whole
  /// state never wait for one another.
  func lockCycle(command: String, context: WordbenchContext) async throws -> WorkspaceLock {
    try POSIXFile.createDirectory(folder)
    do {
      return try await WorkspaceLock.acquire(at: cycleLock, command: command, wait: false, context: context)
    } catch WorkspaceError.busy(let holder) {
      throw SchedulerError.cycleRunning(holder: "\(holder.command), pid \(holder.pid), since \(holder.sinceText)")
    }
  }

  /// Loads, changes and saves the state, holding the cycle lock so that no cycle writes it meanwhile.
  @discardableResult
  func update(
    command: String, context: WordbenchContext, _ change: (inout SchedulerState) throws -> Void
  ) async throws -> SchedulerState {
    try POSIXFile.createDirectory(folder)
    let lock = try await WorkspaceLock.acquire(at: cycleLock, command: command, wait: true, context: context)
    defer { lock.release() }
    var value = try load(now: context.clock.now())
    try change(&value)
    try save(value)
    return value
  }
}

/// Problems of the scheduler.
public enum SchedulerError: Error, Equatable, CustomStringConvertible {
  case unreadableState(path: String, reason: String)
  /// Another cycle holds the scheduler's lock.
  case cycleRunning(holder: String)
  case needsConfirmation
  case cannotInstall(reason: String)
  /// `scheduler start` is already running for the workspace.
  case alreadyRunning(pid: Int32)

  public var description: String {
    switch self {
    case .unreadableState(let path, let reason):
      "\(path) is not a scheduler state (\(reason)); fix it or run scheduler reset-state"
    case .cycleRunning(let holder):
      "another scheduler cycle is running (\(holder)); two cycles never run at once, so this one is skipped"
    case .needsConfirmation:
      "reset-state clears the scheduler's progress tracking; pass --yes to confirm when not on a terminal"
    case .cannotInstall(let reason): "cannot install the scheduler: \(reason)"
    case .alreadyRunning(let pid):
      "the scheduler is already running for this workspace (pid \(pid)); stop it first (kill -TERM \(pid))"
    }
  }
}
