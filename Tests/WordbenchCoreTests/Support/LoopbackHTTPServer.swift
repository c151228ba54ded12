import Foundation
import Synchronization

/// A tiny HTTP/1.1 server on 127.0.0.1 with an ephemeral port, for testing the client over a real socket.
///
/// Each connection carries one request; the handler's answer is sent with `Connection: close`.
final class LoopbackHTTPServer: Sendable {
  struct Request: Sendable {
    var method: String
    var path: String
    var headers: [String: String]
    var body: Data
  }

  struct Response: Sendable {
    var status: Int
    var headers: [String: String] = [:]
    var body: Data = Data()
  }

  let port: UInt16
  private let listener: Int32
  private let handler: @Sendable (Request) -> Response
  private let received = Mutex<[Request]>([])

  var requests: [Request] { received.withLock { $0 } }

  init(handler: @escaping @Sendable (Request) -> Response) throws {
    self.handler = handler
    let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(socketFD, 16) == 0 else {
      close(socketFD)
      throw POSIXError(.EADDRINUSE)
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
    }
    listener = socketFD
    port = UInt16(bigEndian: address.sin_port)
    let thread = Thread { [self] in acceptLoop() }
    thread.start()
  }

  /// Stops accepting: shutting the socket down wakes the accept loop, which then closes it. Closing it here instead
  /// would let the descriptor number be reused by another test's socket while this loop still accepts on it.
  func stop() {
    shutdown(listener, Int32(SHUT_RDWR))
  }

  var baseURL: String { "http://127.0.0.1:\(port)" }

  private func acceptLoop() {
    while true {
      let connection = accept(listener, nil, nil)
      if connection < 0 {
        close(listener)
        return
      }
      serve(connection)
      close(connection)
    }
  }

  private func serve(_ connection: Int32) {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    var headerEnd: Range<Data.Index>?
    while headerEnd == nil {
      let count = recv(connection, &buffer, buffer.count, 0)
      if count <= 0 { return }
      data.append(contentsOf: buffer[0..<count])
      headerEnd = data.range(of: Data("\r\n\r\n".utf8))
    }
    guard let headerEnd else { return }
    let head = String(decoding: data[..<headerEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
    let requestLine = head[0].split(separator: " ")
    var headers: [String: String] = [:]
    for line in head.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let length = Int(headers["content-length"] ?? "0") ?? 0
    var body = Data(data[headerEnd.upperBound...])
    while body.count < length {
      let count = recv(connection, &buffer, buffer.count, 0)
      if count <= 0 { return }
      body.append(contentsOf: buffer[0..<count])
    }
    let request = Request(
      method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
    received.withLock { $0.append(request) }
    let response = handler(request)
    var text = "HTTP/1.1 \(response.status) Status\r\nContent-Length: \(response.body.count)\r\nConnection: close\r\n"
    for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
    let bytes = Data((text + "\r\n").utf8) + response.body
    _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
  }
}
