import Foundation
import Synchronization
import Testing

@testable import WordbenchCore

@Suite("Retries")
struct RetryingHTTPClientTests {
  /// A loopback server answering with the given statuses in turn (200 once they run out).
  func server(_ statuses: [(Int, [String: String])]) throws -> LoopbackHTTPServer {
    let next = Mutex(0)
    return try LoopbackHTTPServer { _ in
      let index = next.withLock { value in
        defer { value += 1 }
        return value
      }
      let (status, headers) = index < statuses.count ? statuses[index] : (200, [:])
      return .init(status: status, headers: headers, body: Data("{}".utf8))
    }
  }

  /// A policy whose jitter is the full bound, so the waits can be checked exactly.
  var policy: RetryPolicy {
    var policy = RetryPolicy()
    policy.jitter = { $0 }
    return policy
  }

  @Test("backs off exponentially on 5xx and waits as Retry-After says on 429")
  func backoff() async throws {
    let server = try server([(503, [:]), (500, [:]), (429, ["Retry-After": "7"]), (502, [:])])
    defer { server.stop() }
    let clock = ManualClock()
    let client = RetryingHTTPClient(client: CurlHTTPClient(), sleeper: clock)
    let response = try await client.send(HTTPRequest(url: server.baseURL + "/x"), policy: policy)
    #expect(response.status == 200)
    #expect(server.requests.count == 5)
    #expect(clock.sleeps == [.milliseconds(500), .seconds(1), .seconds(7), .seconds(4)])
  }

  @Test("never retries other 4xx; gives the last answer after the last attempt")
  func limits() async throws {
    let notFound = try server([(404, [:])])
    defer { notFound.stop() }
    let clock = ManualClock()
    let client = RetryingHTTPClient(client: CurlHTTPClient(), sleeper: clock)
    #expect(try await client.send(HTTPRequest(url: notFound.baseURL + "/x"), policy: policy).status == 404)
    #expect(notFound.requests.count == 1 && clock.sleeps.isEmpty)

    let failing = try server(Array(repeating: (500, [:]), count: 10))
    defer { failing.stop() }
    var short = policy
    short.maxAttempts = 3
    #expect(try await client.send(HTTPRequest(url: failing.baseURL + "/x"), policy: short).status == 500)
    #expect(failing.requests.count == 3)
  }

  @Test("a create is repeated after a 429 or a refused connection, never after a 500")
  func creates() async throws {
    let busy = try server([(429, ["Retry-After": "1"])])
    defer { busy.stop() }
    let clock = ManualClock()
    let client = RetryingHTTPClient(client: CurlHTTPClient(), sleeper: clock)
    var creating = RetryPolicy.creating
    creating.jitter = { $0 }
    #expect(
      try await client.send(HTTPRequest(method: "POST", url: busy.baseURL + "/x"), policy: creating).status == 200)
    #expect(busy.requests.count == 2)

    let broken = try server([(500, [:])])
    defer { broken.stop() }
    #expect(
      try await client.send(HTTPRequest(method: "POST", url: broken.baseURL + "/x"), policy: creating).status == 500)
    #expect(broken.requests.count == 1)

    // Nothing listens on port 9 of the loopback: the connection is refused, so the request was never sent.
    var few = creating
    few.maxAttempts = 2
    await #expect(throws: HTTPError.self) {
      try await client.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:9/x"), policy: few)
    }
    #expect(clock.sleeps.count == 2)
  }

  @Test("Retry-After as an HTTP date")
  func retryAfterDate() {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let later = "Fri, 15 Jan 2027 08:00:10 GMT"
    let reference = RetryPolicy.seconds(retryAfter: "Fri, 15 Jan 2027 08:00:00 GMT", now: now) ?? 0
    #expect(RetryPolicy.seconds(retryAfter: later, now: now) == reference + 10)
    #expect(RetryPolicy.seconds(retryAfter: "3", now: now) == 3)
    #expect(RetryPolicy.seconds(retryAfter: "soon", now: now) == nil)
  }
}
