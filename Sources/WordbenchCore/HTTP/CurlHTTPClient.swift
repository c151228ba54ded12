import CCurl
import Dispatch
import Foundation

/// An `HTTPClient` over libcurl. This file is the only Swift code that touches libcurl.
///
/// Each request uses its own easy handle on a background thread, so async callers never block the cooperative pool.
public struct CurlHTTPClient: HTTPClient {
  public init() {}

  public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(with: Result { try perform(request) })
      }
    }
  }

  /// Performs one request synchronously.
  func perform(_ request: HTTPRequest) throws -> HTTPResponse {
    // libcurl is loaded, and its global state (TLS) set up, by the first request only: a command that sends none
    // (archive, merge, filter) pays neither the libraries' loading nor TLS's set-up.
    if let failure = wb_curl_open() {
      throw HTTPError.unavailable("libcurl cannot be loaded (\(String(cString: failure)))")
    }
    guard let handle = wb_curl_easy_init() else { throw HTTPError.invalidRequest("libcurl could not create a handle") }
    defer { wb_curl_easy_cleanup(handle) }
    let collector = try ResponseCollector(download: request.download, progress: request.progress)
    defer { collector.closeDownload() }
    let context = Unmanaged.passUnretained(collector).toOpaque()
    var headerList: UnsafeMutablePointer<curl_slist>?
    defer { wb_curl_slist_free_all(headerList) }
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
    var mime: OpaquePointer?
    defer { wb_curl_mime_free(mime) }
    if let parts = request.multipart {
      mime = try Self.mime(parts, handle: handle)
      wb_curl_setopt_mime(handle, mime)
    } else if let body = request.body {
      wb_curl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
      body.withUnsafeBytes { raw in
        // COPYPOSTFIELDS copies the bytes, so the buffer need not outlive this call.
        _ = wb_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
      }
    }
    if let download = request.download, download.resumeFrom > 0 {
      wb_curl_setopt_offset(handle, CURLOPT_RESUME_FROM_LARGE, curl_off_t(download.resumeFrom))
    }
    if request.progress != nil {
      wb_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
      wb_curl_setopt_xferinfo_callback(handle, ResponseCollector.onProgress)
      wb_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
    }
    if let caPath = request.caBundle {
      wb_curl_setopt_string(handle, CURLOPT_CAINFO, caPath)
    }
    for header in request.headers {
      headerList = wb_curl_slist_append(headerList, "\(header.name): \(header.value)")
    }
    // Without this libcurl adds "Expect: 100-continue" to larger bodies, costing a round trip.
    headerList = wb_curl_slist_append(headerList, "Expect:")
    wb_curl_setopt_list(handle, CURLOPT_HTTPHEADER, headerList)

    let code = withExtendedLifetime(collector) { wb_curl_easy_perform(handle) }
    if let failure = collector.writeFailure { throw failure }
    guard code == CURLE_OK else {
      let detail = String(cString: errorBuffer)
      throw HTTPError.transport(
        url: Self.redacted(request.url), code: Int(code.rawValue),
        message: detail.isEmpty ? String(cString: wb_curl_easy_strerror(code)) : detail)
    }
    var status = 0
    wb_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
    return HTTPResponse(status: status, headers: collector.headers, body: collector.body)
  }

  /// A multipart body whose file parts libcurl reads from disk as it sends them.
  private static func mime(_ parts: [MultipartPart], handle: UnsafeMutableRawPointer) throws -> OpaquePointer? {
    let mime = wb_curl_mime_init(handle)
    for part in parts {
      let field = wb_curl_mime_addpart(mime)
      switch part {
      case .field(let name, let value):
        wb_curl_mime_name(field, name)
        wb_curl_mime_data(field, value)
      case .file(let name, let path, let fileName, let contentType):
        guard access(path.path, R_OK) == 0 else {
          wb_curl_mime_free(mime)
          throw HTTPError.file(path: path.path, message: "cannot be read for upload")
        }
        wb_curl_mime_name(field, name)
        wb_curl_mime_filedata(field, path.path)
        wb_curl_mime_filename(field, fileName)
        wb_curl_mime_type(field, contentType)
      }
    }
    return mime
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

/// Receives a response's header lines and body from libcurl's callbacks, and reports progress.
private final class ResponseCollector {
  var body = Data()
  var headers: [HTTPHeader] = []
  /// The download's file, appended to, when the body goes to disk.
  private var downloadFD: Int32 = -1
  private let downloadPath: String?
  private let progress: (@Sendable (TransferProgress) -> Void)?
  private(set) var writeFailure: HTTPError?
  private var status = 0

  init(download: DownloadTarget?, progress: (@Sendable (TransferProgress) -> Void)?) throws {
    self.progress = progress
    downloadPath = download?.file.path
    if let download {
      downloadFD = open(download.file.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
      guard downloadFD >= 0 else { throw HTTPError.file(path: download.file.path, message: "cannot be opened") }
      // Anything past the resume point is from a transfer that did not finish; it is sent again.
      ftruncate(downloadFD, off_t(download.resumeFrom))
      lseek(downloadFD, 0, SEEK_END)
    }
  }

  func closeDownload() {
    if downloadFD >= 0 {
      fsync(downloadFD)
      close(downloadFD)
      downloadFD = -1
    }
  }

  /// Bytes go to the download file only for a successful (2xx) response; an error's body is kept for its message.
  private func append(_ pointer: UnsafeRawPointer, _ length: Int) -> Bool {
    guard downloadFD >= 0, (200..<300).contains(status) else {
      body.append(pointer.assumingMemoryBound(to: UInt8.self), count: length)
      return true
    }
    var written = 0
    while written < length {
      let count = write(downloadFD, pointer + written, length - written)
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else {
        writeFailure = .file(
          path: downloadPath ?? "", message: "cannot be written (\(String(cString: strerror(errno))))")
        return false
      }
      written += count
    }
    return true
  }

  static let onBody: wb_curl_data_callback = { pointer, size, count, context in
    let length = size * count
    guard let pointer, let context else { return length }
    let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
    // Returning less than `length` makes libcurl stop with a write error.
    return collector.append(UnsafeRawPointer(pointer), length) ? length : 0
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
      let fields = line.split(separator: " ")
      collector.status = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
    } else if let colon = line.firstIndex(of: ":") {
      let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
      let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
      collector.headers.append(HTTPHeader(name, value))
    }
    return length
  }

  static let onProgress: wb_curl_xferinfo_callback = { context, toReceive, received, toSend, sent in
    guard let context else { return 0 }
    let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
    collector.progress?(
      TransferProgress(sent: Int64(sent), toSend: Int64(toSend), received: Int64(received), toReceive: Int64(toReceive))
    )
    return 0
  }
}
