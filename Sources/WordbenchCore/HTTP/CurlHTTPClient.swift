import CCurl
import Dispatch
import Foundation

/// An `HTTPClient` over libcurl. This file is the only Swift code that touches libcurl.
///
/// Each request uses its own easy handle on a background thread, so async callers never block the cooperative pool.
public struct CurlHTTPClient: HTTPClient {
  /// libcurl's global state is set up once per process, before the first handle.
  private static let globalInit: Void = {
    curl_global_init(Int(CURL_GLOBAL_DEFAULT))
  }()

  public init() {
    _ = Self.globalInit
  }

  public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(with: Result { try perform(request) })
      }
    }
  }

  /// Performs one request synchronously.
  func perform(_ request: HTTPRequest) throws -> HTTPResponse {
    guard let handle = curl_easy_init() else { throw HTTPError.invalidRequest("libcurl could not create a handle") }
    defer { curl_easy_cleanup(handle) }
    let collector = ResponseCollector()
    let context = Unmanaged.passUnretained(collector).toOpaque()
    var headerList: UnsafeMutablePointer<curl_slist>?
    defer { curl_slist_free_all(headerList) }
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    defer { errorBuffer.deallocate() }

    wb_curl_setopt_string(handle, CURLOPT_URL, request.url)
    wb_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
    wb_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
    wb_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout))
    wb_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
    wb_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, Self.milliseconds(request.stallTimeout) / 1000))
    wb_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
    wb_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, ResponseCollector.onBody)
    wb_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
    wb_curl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, ResponseCollector.onHeader)
    wb_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)

    switch request.method {
    case "GET": wb_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
    case "HEAD": wb_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
    default: wb_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
    }
    if let body = request.body {
      wb_curl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
      body.withUnsafeBytes { raw in
        // COPYPOSTFIELDS copies the bytes, so the buffer need not outlive this call.
        _ = wb_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
      }
    }
    for header in request.headers {
      headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
    }
    // Without this libcurl adds "Expect: 100-continue" to larger bodies, costing a round trip.
    headerList = curl_slist_append(headerList, "Expect:")
    wb_curl_setopt_list(handle, CURLOPT_HTTPHEADER, headerList)

    let code = withExtendedLifetime(collector) { curl_easy_perform(handle) }
    guard code == CURLE_OK else {
      let detail = String(cString: errorBuffer)
      throw HTTPError.transport(
        url: Self.redacted(request.url), code: Int(code.rawValue),
        message: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
    }
    var status = 0
    wb_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
    return HTTPResponse(status: status, headers: collector.headers, body: collector.body)
  }

  static func milliseconds(_ duration: Duration) -> Int {
    Int(duration.timeInterval * 1000)
  }

  /// The URL without query or credentials, for error messages.
  static func redacted(_ url: String) -> String {
    guard var components = URLComponents(string: url) else { return "(invalid URL)" }
    components.query = nil
    components.user = nil
    components.password = nil
    return components.string ?? "(invalid URL)"
  }
}

/// Receives a response's header lines and body from libcurl's callbacks.
private final class ResponseCollector {
  var body = Data()
  var headers: [HTTPHeader] = []

  static let onBody: wb_curl_data_callback = { pointer, size, count, context in
    let length = size * count
    guard let pointer, let context else { return length }
    let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
    collector.body.append(UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: length)
    return length
  }

  static let onHeader: wb_curl_data_callback = { pointer, size, count, context in
    let length = size * count
    guard let pointer, let context else { return length }
    let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
      // A new status line (after a 100 Continue, say) starts a new set of headers.
      collector.headers.removeAll()
    } else if let colon = line.firstIndex(of: ":") {
      let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
      let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
      collector.headers.append(HTTPHeader(name, value))
    }
    return length
  }
}
