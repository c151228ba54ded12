import Foundation

/// When and how long to retry (design.md §8): exponential backoff with full jitter on connection errors and on 408,
/// 429, 500, 502, 503 and 504, honouring `Retry-After`; never on other 4xx.
public struct RetryPolicy: Sendable {
  public var maxAttempts = 6
  public var baseDelay: Duration = .milliseconds(500)
  public var maxDelay: Duration = .seconds(60)
  /// A request that creates something remote is sent again only when it certainly was not acted on: it never
  /// reached the server, or the server refused it with 429. Anything else goes back to the caller to reconcile.
  public var creates = false
  /// A uniform draw from 0 up to the given bound; injectable so tests are deterministic.
  public var jitter: @Sendable (Double) -> Double = { Double.random(in: 0...$0) }

  public static let retryableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]

  public init() {}

  /// The policy for a request that creates something remote.
  public static var creating: RetryPolicy {
    var policy = RetryPolicy()
    policy.creates = true
    return policy
  }

  /// The wait before attempt `attempt + 1` (attempt counts from 1): the server's `Retry-After` when it gave one,
  /// else a uniform draw up to base × 2^(attempt-1), capped.
  func delay(after attempt: Int, retryAfter: String?) -> Duration {
    if let retryAfter, let seconds = Self.seconds(retryAfter: retryAfter) {
      return .milliseconds(Int(min(seconds, maxDelay.timeInterval * 5) * 1000))
    }
    let ceiling = min(maxDelay.timeInterval, baseDelay.timeInterval * pow(2, Double(attempt - 1)))
    return .milliseconds(Int(jitter(ceiling) * 1000))
  }

  /// `Retry-After` as delay-seconds (`12`, `1.5`) or as an HTTP date relative to now.
  static func seconds(retryAfter: String, now: Date = Date()) -> Double? {
    if let seconds = Double(retryAfter.trimmingCharacters(in: .whitespaces)), seconds >= 0 { return seconds }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    return formatter.date(from: retryAfter).map { max(0, $0.timeIntervalSince(now)) }
  }
}

/// Sends a request through another client, retrying by a `RetryPolicy`; every wait goes through the sleeper, so
/// tests never sleep. After the last attempt the last response (or error) is returned as it is.
public struct RetryingHTTPClient: Sendable {
  public let client: any HTTPClient
  public let sleeper: any Sleeper
  /// Told of each retry: the attempt that failed and why, for logs and progress.
  public let onRetry: @Sendable (Int, String) -> Void

  public init(
    client: any HTTPClient, sleeper: any Sleeper, onRetry: @escaping @Sendable (Int, String) -> Void = { _, _ in }
  ) {
    self.client = client
    self.sleeper = sleeper
    self.onRetry = onRetry
  }

  public func send(_ request: HTTPRequest, policy: RetryPolicy = RetryPolicy()) async throws -> HTTPResponse {
    var attempt = 1
    while true {
      let outcome: Result<HTTPResponse, any Error>
      do {
        outcome = .success(try await client.send(request))
      } catch {
        outcome = .failure(error)
      }
      guard attempt < policy.maxAttempts, let reason = Self.retryReason(outcome, policy: policy) else {
        return try outcome.get()
      }
      onRetry(attempt, reason)
      let retryAfter = (try? outcome.get())?.header("Retry-After")
      try await sleeper.sleep(for: policy.delay(after: attempt, retryAfter: retryAfter))
      attempt += 1
    }
  }

  /// Why the outcome deserves another attempt, or nil.
  static func retryReason(_ outcome: Result<HTTPResponse, any Error>, policy: RetryPolicy) -> String? {
    switch outcome {
    case .success(let response):
      guard RetryPolicy.retryableStatuses.contains(response.status) else { return nil }
      if policy.creates && response.status != 429 { return nil }
      return "HTTP \(response.status)"
    case .failure(let error as HTTPError):
      guard case .transport = error else { return nil }
      if policy.creates && !error.neverSent { return nil }
      return error.description
    case .failure:
      return nil
    }
  }
}
