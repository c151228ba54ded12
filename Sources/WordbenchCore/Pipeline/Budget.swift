import Foundation

/// The hard spending limits (design.md §8): nothing is uploaded whose estimated cost would pass `--max-cost`, the
/// per-run budget, or the day's and month's budgets counted from the ledger. Prepare checks the first two (it spends
/// nothing yet); upload checks all four.
enum Budget {
  static func check(
    _ cost: Double, words: Int, maxCost: Double?, workspace: Workspace, context: WordbenchContext,
    spending: Bool = true
  ) throws {
    let budget = workspace.config.budget
    var limits: [(String, Double?, Double)] = [
      ("--max-cost", maxCost, cost), ("[budget] max_cost_per_run", budget.maxCostPerRun, cost),
    ]
    if spending {
      let now = context.clock.now()
      let ledger = Ledger(workspace: workspace)
      let day = try ledger.estimatedCost(since: now.addingTimeInterval(-86_400))
      let month = try ledger.estimatedCost(since: now.addingTimeInterval(-30 * 86_400))
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
struct Ledger {
  struct Entry: Codable {
    var time: Date
    var run: String
    var shard: Int
    var model: String
    /// `estimate` when uploaded, `actual` when merged.
    var kind: String
    var costUSD: Double

    enum CodingKeys: String, CodingKey {
      case time, run, shard, model, kind
      case costUSD = "cost_usd"
    }
  }

  static let fileName = "ledger.jsonl"
  let url: URL

  init(workspace: Workspace) { url = workspace.root.appendingPathComponent(Self.fileName) }

  func record(_ shards: [ShardRecord], run: String, model: String, at time: Date) throws {
    for shard in shards {
      let entry = Entry(
        time: time, run: run, shard: shard.index, model: model, kind: "estimate", costUSD: shard.estimatedCostUSD)
      try AppendOnlyFile.append(try JSONCoding.line(entry), to: url)
    }
  }

  /// Appends the actual cost of each shard once: shards whose actual cost is already in the ledger are skipped,
  /// so merging again adds nothing.
  func recordActual(_ costs: [Int: Double], run: String, model: String, at time: Date) throws {
    var recorded = Set<Int>()
    try forEachEntry { if $0.kind == "actual" && $0.run == run { recorded.insert($0.shard) } }
    for (shard, cost) in costs.sorted(by: { $0.key < $1.key }) where !recorded.contains(shard) {
      let entry = Entry(time: time, run: run, shard: shard, model: model, kind: "actual", costUSD: cost)
      try AppendOnlyFile.append(try JSONCoding.line(entry), to: url)
    }
  }

  /// Every complete entry; a torn last line (from a crash) is skipped.
  func forEachEntry(_ body: (Entry) -> Void) throws {
    guard FileManager.default.fileExists(atPath: url.path) else { return }
    let decoder = JSONCoding.decoder()
    try LineReader(url: url).forEachLine { _, line in
      guard case .bytes(let bytes) = line, let entry = try? decoder.decode(Entry.self, from: Data(bytes)) else {
        return
      }
      body(entry)
    }
  }

  /// The estimated cost of what was sent since `start`; a torn last line (from a crash) is skipped.
  func estimatedCost(since start: Date) throws -> Double {
    var total = 0.0
    try forEachEntry { if $0.kind == "estimate" && $0.time >= start { total += $0.costUSD } }
    return total
  }
}
