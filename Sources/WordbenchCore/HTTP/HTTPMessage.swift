import Foundation

/// One HTTP header field.
public struct HTTPHeader: Equatable, Sendable {
  public var name: String
  public var value: String

  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}

/// A request to send; the body, when present, is sent as is.
public struct HTTPRequest: Sendable {
  public var method: String
  public var url: String
  public var headers: [HTTPHeader]
  public var body: Data?
  /// How long connecting may take.
  public var connectTimeout: Duration
  /// A transfer slower than 1 byte a second for this long is abandoned.
  public var stallTimeout: Duration

  public init(
    method: String = "GET", url: String, headers: [HTTPHeader] = [], body: Data? = nil,
    connectTimeout: Duration = .seconds(10), stallTimeout: Duration = .seconds(60)
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.connectTimeout = connectTimeout
    self.stallTimeout = stallTimeout
  }
}

/// A response as received: status, headers in order, and the whole body.
public struct HTTPResponse: Sendable {
  public var status: Int
  public var headers: [HTTPHeader]
  public var body: Data

  public init(status: Int, headers: [HTTPHeader], body: Data) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  /// The first header with this name, compared without regard to case.
  public func header(_ name: String) -> String? {
    headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
  }
}

/// A request that got no HTTP response at all. The URL is recorded without its query, and no header is ever
/// recorded, so an error can never carry a key.
public enum HTTPError: Error, Equatable, CustomStringConvertible {
  case transport(url: String, code: Int, message: String)
  case invalidRequest(String)

  public var description: String {
    switch self {
    case .transport(let url, let code, let message): "request to \(url) failed: \(message) (curl error \(code))"
    case .invalidRequest(let message): "invalid HTTP request: \(message)"
    }
  }
}

/// Sends HTTP requests; the core reaches the network only through this, taken from the context.
public protocol HTTPClient: Sendable {
  func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
