import Foundation

/// How `wordbench usage` groups its rows.
public enum UsageGrouping: String, CaseIterable, Codable, Sendable {
  case day, model, run
}

/// Tokens and cost of one kind (estimated, actual or the provider's).
public struct UsageAmount: Codable, Equatable, Sendable {
  public var inputTokens = 0
  public var outputTokens = 0
  public var costUSD = 0.0
  /// Requests, where known (the provider's count).
  public var requests: Int?

  public init() {}

  enum CodingKeys: String, CodingKey {
    case requests
    case inputTokens = "input_tokens"
    case outputTokens = "output_tokens"
    case costUSD = "cost_usd"
  }

  mutating func add(_ other: UsageAmount) {
    inputTokens += other.inputTokens
    outputTokens += other.outputTokens
    costUSD += other.costUSD
    if let more = other.requests { requests = (requests ?? 0) + more }
  }
}

/// One row of `wordbench usage`: a day (UTC), a model or a run.
public struct UsageRow: Codable, Equatable, Sendable {
  public var key: String
  /// What the shards sent were estimated at when uploaded.
  public var estimated = UsageAmount()
  /// What their merged lines used and cost (nil while none is merged).
  public var actual: UsageAmount?
  /// What the provider's Usage and Costs API report (with `--remote`).
  public var remote: UsageAmount?
}

/// What `wordbench usage` reports.
public struct UsageReport: Codable, Sendable {
  public var days: Int
  public var by: UsageGrouping
  public var from: Date
  public var to: Date
  public var rows: [UsageRow]
  public var total: UsageRow
  /// Set with `--remote`: where the provider's figures came from, or why some are missing.
  public var remoteNote: String?

  enum CodingKeys: String, CodingKey {
    case days, by, from, to, rows, total
    case remoteNote = "remote_note"
  }
}

/// `wordbench usage`: tokens and cost of the shards sent in the last N days, from the local ledger (estimated at
/// upload against actual at merge), and with `--remote` the provider's Usage API (batch completions) and Costs API
/// for the same days beside them.
public enum Usage {
  public static func run(
    days: Int, by grouping: UsageGrouping, remote: Bool, workspace path: String?, context: WordbenchContext
  ) async throws -> UsageReport {
    let workspace = try Workspace.locate(explicit: path, context: context)
    let now = context.clock.now()
    let start = startOfDay(now.addingTimeInterval(-Double(max(0, days - 1)) * 86_400))
    var rows: [String: UsageRow] = [:]
    for shard in try shards(Ledger(workspace: workspace)) where shard.estimate.time >= start {
      let key = Self.key(grouping, time: shard.estimate.time, model: shard.estimate.model, run: shard.estimate.run)
      var row = rows[key] ?? UsageRow(key: key)
      row.estimated.add(amount(shard.estimate))
      if let actual = shard.actual {
        var sum = row.actual ?? UsageAmount()
        sum.add(amount(actual))
        row.actual = sum
      }
      rows[key] = row
    }
    var note: String?
    var remoteTotal: UsageAmount?
    if remote {
      (note, remoteTotal) = try await addRemote(
        to: &rows, grouping: grouping, from: start, to: now, workspace: workspace, context: context)
    }
    let sorted = rows.values.sorted { $0.key < $1.key }
    var total = UsageRow(key: "total")
    for row in sorted {
      total.estimated.add(row.estimated)
      if let actual = row.actual { total.actual = sum(total.actual, actual) }
      if let remote = row.remote { total.remote = sum(total.remote, remote) }
    }
    if let remoteTotal { total.remote = remoteTotal }
    return UsageReport(
      days: days, by: grouping, from: start, to: now, rows: sorted, total: total, remoteNote: note)
  }

  /// Each shard's latest estimate and its actual cost, if merged.
  static func shards(_ ledger: Ledger) throws -> [(estimate: Ledger.Entry, actual: Ledger.Entry?)] {
    var estimates: [Ledger.ShardKey: Ledger.Entry] = [:]
    var actuals: [Ledger.ShardKey: Ledger.Entry] = [:]
    try ledger.forEachEntry { entry in
      if entry.kind == "actual" { actuals[entry.key] = entry } else { estimates[entry.key] = entry }
    }
    return estimates.values.sorted { ($0.time, $0.run, $0.shard) < ($1.time, $1.run, $1.shard) }.map {
      ($0, actuals[$0.key])
    }
  }

  static func amount(_ entry: Ledger.Entry) -> UsageAmount {
    var amount = UsageAmount()
    amount.inputTokens = entry.inputTokens ?? 0
    amount.outputTokens = entry.outputTokens ?? 0
    amount.costUSD = entry.costUSD
    return amount
  }

  static func sum(_ base: UsageAmount?, _ more: UsageAmount) -> UsageAmount {
    var total = base ?? UsageAmount()
    total.add(more)
    return total
  }

  static let utc = TimeZone(identifier: "UTC")!

  /// Days are UTC days, as the provider's buckets are.
  static func startOfDay(_ date: Date) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = utc
    return calendar.startOfDay(for: date)
  }

  static func key(_ grouping: UsageGrouping, time: Date, model: String, run: String) -> String {
    switch grouping {
    case .day: String(startOfDay(time).formatted(.iso8601).prefix(10))
    case .model: model
    case .run: run
    }
  }

  /// The provider's figures for the same days, per day or model; per run they cannot be split, so only the total
  /// gets them (returned as the second value).
  static func addRemote(
    to rows: inout [String: UsageRow], grouping: UsageGrouping, from start: Date, to end: Date,
    workspace: Workspace, context: WordbenchContext
  ) async throws -> (String, UsageAmount?) {
    let note = "the provider's batch usage and costs of these days"
    let provider = try OpenAIProvider.configured(workspace.config, context: context, keyVariable: "OPENAI_ADMIN_KEY")
    let usage = try await provider.batchUsage(from: start, to: end)
    let costs = try await provider.costs(from: start, to: end)
    guard grouping != .run else {
      var amount = UsageAmount()
      for line in usage {
        var part = UsageAmount()
        part.inputTokens = line.inputTokens
        part.outputTokens = line.outputTokens
        part.requests = line.requests
        amount.add(part)
      }
      amount.costUSD = costs.reduce(0) { $0 + $1.amountUSD }
      return (note + " in the total only (the provider does not split them by run)", amount)
    }
    for line in usage {
      let time = Date(timeIntervalSince1970: TimeInterval(line.startTime))
      let key = key(grouping, time: time, model: line.model ?? "unknown model", run: "")
      var part = UsageAmount()
      part.inputTokens = line.inputTokens
      part.outputTokens = line.outputTokens
      part.requests = line.requests
      rows[key, default: UsageRow(key: key)].remote = sum(rows[key]?.remote, part)
    }
    // Costs come per line item ("gpt-4o-mini, input (batch)"); a model's items are the ones that start with its name.
    for cost in costs {
      let time = Date(timeIntervalSince1970: TimeInterval(cost.startTime))
      let model = cost.lineItem.map { item in String(item.prefix { $0 != "," && $0 != " " }) } ?? "unknown model"
      let key = key(grouping, time: time, model: model, run: "")
      var part = UsageAmount()
      part.costUSD = cost.amountUSD
      rows[key, default: UsageRow(key: key)].remote = sum(rows[key]?.remote, part)
    }
    return (note, nil)
  }
}
