import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("HTTP over libcurl")
struct CurlHTTPClientTests {
  @Test("GET reads status, headers and body from a loopback server")
  func get() async throws {
    let server = try LoopbackHTTPServer { request in
      request.path == "/v1/hello"
        ? .init(status: 200, headers: ["X-Request-Id": "req_1", "Content-Type": "text/plain"], body: Data("hi".utf8))
        : .init(status: 404, body: Data("{\"error\":{}}".utf8))
    }
    defer { server.stop() }
    let client = CurlHTTPClient()
    let response = try await client.send(
      HTTPRequest(url: "\(server.baseURL)/v1/hello", headers: [HTTPHeader("Authorization", "Bearer sk-test")]))
    #expect(response.status == 200)
    #expect(String(decoding: response.body, as: UTF8.self) == "hi")
    #expect(response.header("x-request-id") == "req_1")
    #expect(server.requests.first?.headers["authorization"] == "Bearer sk-test")
    let missing = try await client.send(HTTPRequest(url: "\(server.baseURL)/nope"))
    #expect(missing.status == 404)
  }

  @Test("POST sends its body and method")
  func post() async throws {
    let server = try LoopbackHTTPServer { request in .init(status: 201, body: request.body) }
    defer { server.stop() }
    let body = Data("{\"a\":1}".utf8)
    let response = try await CurlHTTPClient().send(
      HTTPRequest(
        method: "POST", url: "\(server.baseURL)/v1/batches", headers: [HTTPHeader("Content-Type", "application/json")],
        body: body))
    #expect(response.status == 201)
    #expect(response.body == body)
    #expect(server.requests.first?.method == "POST")
  }

  @Test("a refused connection is a transport error that names the URL without its query")
  func refused() async throws {
    let server = try LoopbackHTTPServer { _ in .init(status: 200) }
    let port = server.port
    server.stop()
    await #expect {
      try await CurlHTTPClient().send(HTTPRequest(url: "http://127.0.0.1:\(port)/v1/files?key=secret"))
    } throws: { error in
      guard case HTTPError.transport(let url, _, _) = error else { return false }
      return url == "http://127.0.0.1:\(port)/v1/files"
    }
  }
}
