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

/// One part of a `multipart/form-data` body: a plain field, or a file streamed from disk (never loaded whole).
public enum MultipartPart: Sendable, Equatable {
  case field(name: String, value: String)
  case file(name: String, path: URL, fileName: String, contentType: String)
}

/// Where a response body goes instead of memory: appended to `file`, which already holds the first
/// `resumeFrom` bytes of it (a `Range` request asks for the rest).
public struct DownloadTarget: Sendable, Equatable {
  public var file: URL
  public var resumeFrom: Int64

  public init(file: URL, resumeFrom: Int64 = 0) {
    self.file = file
    self.resumeFrom = resumeFrom
  }
}

/// A request to send; the body, when present, is sent as is.
public struct HTTPRequest: Sendable {
  public var method: String
  public var url: String
  public var headers: [HTTPHeader]
  public var body: Data?
  /// A `multipart/form-data` body, streamed; replaces `body`.
  public var multipart: [MultipartPart]?
  /// Stream the response body to a file instead of `HTTPResponse.body` (which is then empty unless the status is
  /// an error, whose body is kept for its message).
  public var download: DownloadTarget?
  /// Told the bytes sent and to send, and received and to receive, as the transfer goes.
  public var progress: (@Sendable (TransferProgress) -> Void)?
  /// A CA bundle to verify TLS peers with instead of the system's (verification is always on).
  public var caBundle: String?
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

/// How far a transfer is.
public struct TransferProgress: Sendable, Equatable {
  public var sent: Int64
  public var toSend: Int64
  public var received: Int64
  public var toReceive: Int64
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
  /// A file to upload cannot be read, or a download cannot be written.
  case file(path: String, message: String)
  /// libcurl is not installed (or not the version wordbench was built with); nothing can be sent.
  case unavailable(String)

  public var description: String {
    switch self {
    case .transport(let url, let code, let message): "request to \(url) failed: \(message) (curl error \(code))"
    case .invalidRequest(let message): "invalid HTTP request: \(message)"
    case .file(let path, let message): "\(path): \(message)"
    case .unavailable(let message): "\(message); install Debian's libcurl4 package (make deps)"
    }
  }

  /// True when the request certainly never reached a server (no connection was made), so even a request that
  /// creates something may be sent again.
  public var neverSent: Bool {
    // 6: could not resolve host, 7: could not connect, 5: could not resolve proxy.
    if case .transport(_, let code, _) = self { return [5, 6, 7].contains(code) }
    return false
  }
}

/// Sends HTTP requests; the core reaches the network only through this, taken from the context.
public protocol HTTPClient: Sendable {
  func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
