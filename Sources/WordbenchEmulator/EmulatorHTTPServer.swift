import Foundation
import Synchronization
import WordbenchCore

/// A request as the emulator's server read it off the socket.
public struct EmulatorRequest: Sendable {
  public var method: String
  /// The path without the query.
  public var path: String
  public var query: [String: String]
  /// Header names lowercased.
  public var headers: [String: String]
  public var body: Data
}

/// What the handler answers. `fault` lets the fault injector break the answer the way networks do.
public struct EmulatorResponse: Sendable {
  public enum Fault: Sendable {
    /// Close the connection without answering.
    case dropConnection
    /// Announce the full length but send only this many body bytes, then close.
    case truncateBody(Int)
  }

  public var status: Int
  public var headers: [(String, String)]
  public var body: Data
  public var fault: Fault?

  public init(status: Int, headers: [(String, String)] = [], body: Data = Data(), fault: Fault? = nil) {
    self.status = status
    self.headers = headers
    self.body = body
    self.fault = fault
  }

  /// A JSON answer.
  public static func json(_ status: Int, _ value: JSONValue) -> EmulatorResponse {
    let body = Data(value.compactText.utf8)
    return EmulatorResponse(status: status, headers: [("Content-Type", "application/json")], body: body)
  }
}

/// A small HTTP/1.1 server on a loopback socket: a thread per connection, keep-alive, bodies by Content-Length or
/// chunked transfer coding (the OpenAI SDKs use both). Enough for the OpenAI client libraries and for ours.
public final class EmulatorHTTPServer: Sendable {
  public let host: String
  public let port: UInt16
  private let listener: Int32
  private let handler: @Sendable (EmulatorRequest) -> EmulatorResponse
  private let stopped = Atomic<Bool>(false)

  /// Starts listening on `host:port` (port 0 picks a free one).
  public init(host: String, port: UInt16, handler: @escaping @Sendable (EmulatorRequest) -> EmulatorResponse) throws {
    self.handler = handler
    self.host = host
    let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socketFD >= 0 else { throw EmulatorError.cannotListen(host: host, port: port, reason: "no socket") }
    var yes: Int32 = 1
    setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
      close(socketFD)
      throw EmulatorError.cannotListen(host: host, port: port, reason: "not an IPv4 address")
    }
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(socketFD, 64) == 0 else {
      let reason = String(cString: strerror(errno))
      close(socketFD)
      throw EmulatorError.cannotListen(host: host, port: port, reason: reason)
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
    }
    listener = socketFD
    self.port = UInt16(bigEndian: address.sin_port)
    let thread = Thread { [self] in acceptLoop() }
    thread.start()
  }

  public var baseURL: String { "http://\(host):\(port)/v1" }

  /// Stops accepting; connections being served finish their current request.
  public func stop() {
    guard !stopped.exchange(true, ordering: .relaxed) else { return }
    // Shutting down wakes the accept loop, which closes the socket (closing it here could let another socket
    // reuse the number while the loop still accepts on it).
    shutdown(listener, Int32(SHUT_RDWR))
  }

  private func acceptLoop() {
    while true {
      let connection = accept(listener, nil, nil)
      if connection < 0 {
        if errno == EINTR && !stopped.load(ordering: .relaxed) { continue }
        close(listener)
        return
      }
      var yes: Int32 = 1
      setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
      let thread = Thread { [self] in
        serve(connection)
        close(connection)
      }
      thread.start()
    }
  }

  private func serve(_ connection: Int32) {
    var reader = SocketReader(fd: connection)
    while !stopped.load(ordering: .relaxed), let request = reader.readRequest() {
      let response = handler(request)
      let keepAlive = request.headers["connection"]?.lowercased() != "close"
      guard write(response, keepAlive: keepAlive, to: connection), keepAlive, response.fault == nil else { return }
    }
  }

  /// Sends the response; false when the connection must close.
  private func write(_ response: EmulatorResponse, keepAlive: Bool, to connection: Int32) -> Bool {
    if case .dropConnection = response.fault { return false }
    var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
    head += "Content-Length: \(response.body.count)\r\n"
    head += "Connection: \(keepAlive && response.fault == nil ? "keep-alive" : "close")\r\n"
    for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
    var bytes = Data((head + "\r\n").utf8)
    if case .truncateBody(let count) = response.fault {
      bytes += response.body.prefix(count)
    } else {
      bytes += response.body
    }
    return bytes.withUnsafeBytes { raw in
      var sent = 0
      while sent < raw.count {
        let count = send(connection, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { return false }
        sent += count
      }
      return true
    }
  }

  static func reason(_ status: Int) -> String {
    switch status {
    case 200: "OK"
    case 206: "Partial Content"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 404: "Not Found"
    case 409: "Conflict"
    case 416: "Range Not Satisfiable"
    case 429: "Too Many Requests"
    case 500: "Internal Server Error"
    case 503: "Service Unavailable"
    default: "Status"
    }
  }
}

/// Reads HTTP/1.1 requests from a socket, one after the other.
struct SocketReader {
  let fd: Int32
  private var buffer: [UInt8] = []
  private var chunk = [UInt8](repeating: 0, count: 65536)

  init(fd: Int32) { self.fd = fd }

  /// The next request, or nil when the peer closed the connection or sent something that is not HTTP.
  mutating func readRequest() -> EmulatorRequest? {
    guard let headEnd = readUntil([0x0D, 0x0A, 0x0D, 0x0A]) else { return nil }
    let head = String(decoding: buffer[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
    buffer.removeFirst(headEnd + 4)
    let requestLine = head[0].split(separator: " ")
    guard requestLine.count >= 2 else { return nil }
    var headers: [String: String] = [:]
    for line in head.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    var body: [UInt8]
    if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
      guard let chunked = readChunked() else { return nil }
      body = chunked
    } else {
      let length = Int(headers["content-length"] ?? "0") ?? 0
      guard fill(length) else { return nil }
      body = Array(buffer[..<length])
      buffer.removeFirst(length)
    }
    let target = String(requestLine[1])
    let components = URLComponents(string: "http://host" + target)
    var query: [String: String] = [:]
    for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
    return EmulatorRequest(
      method: String(requestLine[0]), path: components?.path ?? target, query: query, headers: headers,
      body: Data(body))
  }

  private mutating func readChunked() -> [UInt8]? {
    var body: [UInt8] = []
    while true {
      guard let lineEnd = readUntil([0x0D, 0x0A]) else { return nil }
      let sizeText = String(decoding: buffer[..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
      buffer.removeFirst(lineEnd + 2)
      guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
      if size == 0 {
        // Trailers, if any, end with an empty line.
        while let end = readUntil([0x0D, 0x0A]) {
          buffer.removeFirst(end + 2)
          if end == 0 { return body }
        }
        return nil
      }
      guard fill(size + 2) else { return nil }
      body += buffer[..<size]
      buffer.removeFirst(size + 2)
    }
  }

  /// Reads until `marker` is buffered; its offset, or nil at the end of the stream.
  private mutating func readUntil(_ marker: [UInt8]) -> Int? {
    var searched = 0
    while true {
      if buffer.count >= marker.count {
        for start in max(0, searched - marker.count)...(buffer.count - marker.count)
        where buffer[start] == marker[0] && buffer[start..<start + marker.count].elementsEqual(marker) {
          return start
        }
        searched = buffer.count
      }
      guard receive() else { return nil }
    }
  }

  private mutating func fill(_ count: Int) -> Bool {
    while buffer.count < count { guard receive() else { return false } }
    return true
  }

  private mutating func receive() -> Bool {
    let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    if count < 0 && errno == EINTR { return true }
    guard count > 0 else { return false }
    buffer += chunk[0..<count]
    return true
  }
}
