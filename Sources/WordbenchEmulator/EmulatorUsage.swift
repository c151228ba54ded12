import Foundation
import Synchronization
import WordbenchCore

/// The organization's Usage API (batch completions) and Costs API (batch-api-contract.md §7), computed from the
/// batches that have results: one bucket per UTC day from `start_time`, each finished batch counted on the day it
/// finished, in emulated time.
extension Emulator {
  /// What one model used on one day.
  struct DayUsage {
    var input = 0
    var output = 0
    var requests = 0
  }

  func usageBuckets(_ request: EmulatorRequest) -> EmulatorResponse {
    let includeBatch = request.query["batch"] != "false"
    let byModel = request.query["group_by[]"]?.contains("model") == true
    return buckets(request, defaultLimit: 7, maximumLimit: 31) { usage in
      guard includeBatch else { return [] }
      let groups: [(String?, DayUsage)] =
        byModel
        ? usage.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        : usage.isEmpty
          ? []
          : [
            (
              nil,
              usage.values.reduce(into: DayUsage()) {
                $0.input += $1.input
                $0.output += $1.output
                $0.requests += $1.requests
              }
            )
          ]
      return groups.map { model, day in
        .object([
          "object": "organization.usage.completions.result", "input_tokens": .number(Double(day.input)),
          "output_tokens": .number(Double(day.output)), "num_model_requests": .number(Double(day.requests)),
          "input_cached_tokens": 0, "input_audio_tokens": 0, "output_audio_tokens": 0,
          "model": model.map { .string($0) } ?? .null, "batch": .bool(true), "project_id": .null, "user_id": .null,
          "api_key_id": .null, "service_tier": .null,
        ])
      }
    }
  }

  func costBuckets(_ request: EmulatorRequest) -> EmulatorResponse {
    buckets(request, defaultLimit: 7, maximumLimit: 180) { usage in
      usage.sorted { $0.key < $1.key }.flatMap { model, day -> [JSONValue] in
        guard let rules = try? synthesizer.catalog.rules(for: model) else { return [] }
        return [("input", day.input, rules.batchInput), ("output", day.output, rules.batchOutput)].map {
          kind, tokens, price in
          .object([
            "object": "organization.costs.result",
            "amount": .object(["value": .number(Double(tokens) * price / 1_000_000), "currency": "usd"]),
            "line_item": .string("\(model), \(kind) (batch)"), "project_id": .null, "api_key_id": .null,
            "quantity": .number(Double(tokens)), "quantity_unit": "tokens",
          ])
        }
      }
    }
  }

  /// The page of day buckets asked for, each filled by `results` from that day's usage per model.
  private func buckets(
    _ request: EmulatorRequest, defaultLimit: Int, maximumLimit: Int,
    results: ([String: DayUsage]) -> [JSONValue]
  ) -> EmulatorResponse {
    guard let start = request.query["start_time"].flatMap(Int.init) else {
      return Self.error(400, "Missing required parameter: 'start_time'.", param: "start_time")
    }
    if let width = request.query["bucket_width"], width != "1d" {
      return Self.error(400, "The emulator serves bucket_width=1d only.", param: "bucket_width")
    }
    let firstDay = start - start % 86_400
    let end = request.query["end_time"].flatMap(Int.init) ?? Int(clock.now())
    let limit = min(maximumLimit, max(1, request.query["limit"].flatMap(Int.init) ?? defaultLimit))
    let offset = request.query["page"].flatMap { Int($0.replacingOccurrences(of: "day-", with: "")) } ?? 0
    let days = max(0, (end - firstDay + 86_399) / 86_400)
    let perDay = dailyUsage()
    var data: [JSONValue] = []
    for day in offset..<min(days, offset + limit) {
      let bucketStart = firstDay + day * 86_400
      data.append(
        .object([
          "object": "bucket", "start_time": .number(Double(bucketStart)),
          "end_time": .number(Double(bucketStart + 86_400)), "results": .array(results(perDay[bucketStart] ?? [:])),
        ]))
    }
    let more = offset + limit < days
    return .json(
      200,
      .object([
        "object": "page", "data": .array(data), "has_more": .bool(more),
        "next_page": more ? .string("day-\(offset + limit)") : .null,
      ]))
  }

  /// Tokens and requests of finished batches per UTC day (bucket start) and model.
  private func dailyUsage() -> [Int: [String: DayUsage]] {
    state.withLock { state in
      var days: [Int: [String: DayUsage]] = [:]
      for batch in state.batches {
        guard let outcome = batch.outcome, let model = batch.model else { continue }
        let day = Int(outcome.at) - Int(outcome.at) % 86_400
        var usage = days[day, default: [:]][model, default: DayUsage()]
        usage.input += outcome.inputTokens
        usage.output += outcome.outputTokens
        usage.requests += outcome.completed
        days[day, default: [:]][model] = usage
      }
      return days
    }
  }
}
