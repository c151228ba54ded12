import Foundation

/// The hard spending limits (design.md §8): nothing is uploaded whose estimated cost would pass `--max-cost`, the
/// per-run budget, or the day's and month's budgets counted from the ledger. Prepare checks the first two (it spends
/// nothing yet); upload checks all four.
///
/// Spend in a period is the actual cost of the shards merged plus the estimate of the shards still out, for every
/// shard sent in the period (`Ledger.spend`).
enum Budget {
  /// Seconds in the two rolling budget periods.
  static let day: TimeInterval = 86_400
  static let month: TimeInterval = 30 * 86_400

  /// - Parameter resending: shards already in the ledger that are being sent again (after `token_limit_exceeded`);
  ///   their earlier estimate is not counted twice.
  static func check(
    _ cost: Double, words: Int, maxCost: Double?, workspace: Workspace, context: WordbenchContext,
    spending: Bool = true, resending: Set<Ledger.ShardKey> = []
  ) throws {
    let budget = workspace.config.budget
    var limits: [(String, Double?, Double)] = [
      ("--max-cost", maxCost, cost), ("[budget] max_cost_per_run", budget.maxCostPerRun, cost),
    ]
    if spending {
      let now = context.clock.now()
      let ledger = Ledger(workspace: workspace)
      let day = try ledger.spend(since: now.addingTimeInterval(-Self.day), excluding: resending)
      let month = try ledger.spend(since: now.addingTimeInterval(-Self.month), excluding: resending)
      limits += [
        (
          "[budget] max_cost_per_day (with \(Money.format(day)) spent in the last 24 hours)", budget.maxCostPerDay,
          day + cost
        ),
        (
          "[budget] max_cost_per_month (with \(Money.format(month)) in the last 30 days)", budget.maxCostPerMonth,
          month + cost
        ),
      ]
    }
    for case (let name, let limit?, let total) in limits where total > limit {
      throw RequestError.overBudget(limit: name, limitUSD: limit, estimateUSD: total, words: words)
    }
  }
}

/// `ledger.jsonl`: one line per shard sent (its estimate) and, once merged, per shard's actual cost.
public struct Ledger: Sendable {
  /// A shard of a run, the unit the ledger counts.
  public struct ShardKey: Hashable, Sendable {
    public var run: String
    public var shard: Int
  }

  public struct Entry: Codable, Sendable {
    public var time: Date
    public var run: String
    public var shard: Int
    public var model: String
    /// `estimate` when uploaded, `actual` when merged.
    public var kind: String
    public var costUSD: Double
    /// Input and output tokens: estimated (exact input, estimated output) or as billed; absent in older ledgers.
    public var inputTokens: Int?
    public var outputTokens: Int?

    public var key: ShardKey { ShardKey(run: run, shard: shard) }

    enum CodingKeys: String, CodingKey {
      case time, run, shard, model, kind
      case costUSD = "cost_usd"
      case inputTokens = "input_tokens"
      case outputTokens = "output_tokens"
    }
  }

  /// What a shard's merged lines used and cost.
  public struct ShardUsage: Sendable {
    public var costUSD = 0.0
    public var inputTokens = 0
    public var outputTokens = 0
  }

  public static let fileName = "ledger.jsonl"
  public let url: URL

  public init(workspace: Workspace) { url = workspace.root.appendingPathComponent(Self.fileName) }

  func record(_ shards: [ShardRecord], run: String, model: String, at time: Date) throws {
    for shard in shards {
      let entry = Entry(
        time: time, run: run, shard: shard.index, model: model, kind: "estimate", costUSD: shard.estimatedCostUSD,
        inputTokens: shard.inputTokens, outputTokens: shard.estimatedOutputTokens)
      try AppendOnlyFile.append(try JSONCoding.line(entry), to: url)
    }
  }

  /// Appends the actual cost of each shard once: shards whose actual cost is already in the ledger are skipped,
  /// so merging again adds nothing.
  func recordActual(_ usage: [Int: ShardUsage], run: String, model: String, at time: Date) throws {
    var recorded = Set<Int>()
    try forEachEntry { if $0.kind == "actual" && $0.run == run { recorded.insert($0.shard) } }
    for (shard, used) in usage.sorted(by: { $0.key < $1.key }) where !recorded.contains(shard) {
      let entry = Entry(
        time: time, run: run, shard: shard, model: model, kind: "actual", costUSD: used.costUSD,
        inputTokens: used.inputTokens, outputTokens: used.outputTokens)
      try AppendOnlyFile.append(try JSONCoding.line(entry), to: url)
    }
  }

  /// Every complete entry; a torn last line (from a crash) is skipped.
  public func forEachEntry(_ body: (Entry) -> Void) throws {
    guard FileManager.default.fileExists(atPath: url.path) else { return }
    let decoder = JSONCoding.decoder()
    try LineReader(url: url).forEachLine { _, line in
      guard case .bytes(let bytes) = line, let entry = try? decoder.decode(Entry.self, from: Data(bytes)) else {
        return
      }
      body(entry)
    }
  }

  /// What the shards sent since `start` cost: the actual cost of each merged shard, else its latest estimate (a
  /// shard sent again after `token_limit_exceeded` has two estimates; it counts once).
  public func spend(since start: Date, excluding: Set<ShardKey> = []) throws -> Double {
    var estimates: [ShardKey: Double] = [:]
    var actuals: [ShardKey: Double] = [:]
    try forEachEntry { entry in
      guard !excluding.contains(entry.key) else { return }
      if entry.kind == "actual" {
        actuals[entry.key, default: 0] += entry.costUSD
      } else if entry.time >= start {
        estimates[entry.key] = entry.costUSD
      }
    }
    return estimates.reduce(0) { total, shard in total + (actuals[shard.key] ?? shard.value) }
  }
}
