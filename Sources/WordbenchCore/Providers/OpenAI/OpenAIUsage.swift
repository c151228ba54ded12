import Foundation

/// One day of the organization's batch usage for one model, from `GET /organization/usage/completions`.
public struct RemoteUsage: Codable, Equatable, Sendable {
  /// The bucket's start, Unix seconds (UTC days).
  public var startTime: Int
  public var model: String?
  public var inputTokens: Int
  public var outputTokens: Int
  public var requests: Int

  enum CodingKeys: String, CodingKey {
    case model, requests
    case startTime = "start_time"
    case inputTokens = "input_tokens"
    case outputTokens = "output_tokens"
  }
}

/// One day's cost of one line item, from `GET /organization/costs`.
public struct RemoteCost: Codable, Equatable, Sendable {
  public var startTime: Int
  public var lineItem: String?
  public var amountUSD: Double

  enum CodingKeys: String, CodingKey {
    case startTime = "start_time"
    case lineItem = "line_item"
    case amountUSD = "amount_usd"
  }
}

/// The Usage and Costs API (batch-api-contract.md §7), read with the admin key: page and bucket envelopes, followed
/// through `next_page`.
extension OpenAIProvider {
  /// Batch completions usage per day and model in `[start, end)`.
  public func batchUsage(from start: Date, to end: Date) async throws -> [RemoteUsage] {
    try await buckets(
      "/organization/usage/completions",
      query: [
        URLQueryItem(name: "batch", value: "true"), URLQueryItem(name: "group_by[]", value: "model"),
        URLQueryItem(name: "limit", value: "31"),
      ], from: start, to: end
    ) { bucketStart, result in
      RemoteUsage(
        startTime: bucketStart, model: result["model"]?.string, inputTokens: result["input_tokens"]?.int ?? 0,
        outputTokens: result["output_tokens"]?.int ?? 0, requests: result["num_model_requests"]?.int ?? 0)
    }
  }

  /// Costs per day and line item in `[start, end)`.
  public func costs(from start: Date, to end: Date) async throws -> [RemoteCost] {
    try await buckets(
      "/organization/costs",
      query: [URLQueryItem(name: "group_by[]", value: "line_item"), URLQueryItem(name: "limit", value: "180")],
      from: start, to: end
    ) { bucketStart, result in
      RemoteCost(
        startTime: bucketStart, lineItem: result["line_item"]?.string,
        amountUSD: result["amount"]?["value"]?.number ?? 0)
    }
  }

  private func buckets<Row>(
    _ path: String, query: [URLQueryItem], from start: Date, to end: Date,
    row: (Int, JSONValue) -> Row
  ) async throws -> [Row] {
    var rows: [Row] = []
    var page: String?
    repeat {
      var items =
        query + [
          URLQueryItem(name: "start_time", value: String(Int(start.timeIntervalSince1970))),
          URLQueryItem(name: "end_time", value: String(Int(end.timeIntervalSince1970))),
          URLQueryItem(name: "bucket_width", value: "1d"),
        ]
      if let page { items.append(URLQueryItem(name: "page", value: page)) }
      let body = try await json(request("GET", path, query: items))
      for bucket in body["data"]?.array ?? [] {
        let bucketStart = bucket["start_time"]?.int ?? 0
        for result in bucket["results"]?.array ?? [] { rows.append(row(bucketStart, result)) }
      }
      page = body["has_more"] == .bool(true) ? body["next_page"]?.string : nil
    } while page != nil
    return rows
  }
}
