import Foundation

/// Reading the OpenAI API's objects tolerantly: the fields wordbench uses are checked, everything else is kept.
enum OpenAIDecoding {
  static func file(_ json: JSONValue, status: Int) throws -> RemoteFile {
    guard let id = json["id"]?.string else {
      throw ProviderError.unexpected(status: status, detail: "a file without an id")
    }
    return RemoteFile(
      id: id, bytes: json["bytes"]?.int ?? 0, filename: json["filename"]?.string ?? "",
      purpose: json["purpose"]?.string ?? "", createdAt: json["created_at"]?.int ?? 0, raw: json)
  }

  static func batch(_ json: JSONValue, status: Int) throws -> RemoteBatch {
    guard let id = json["id"]?.string, let state = json["status"]?.string else {
      throw ProviderError.unexpected(status: status, detail: "a batch without an id or a status")
    }
    var metadata: [String: String] = [:]
    if case .object(let object)? = json["metadata"] {
      for (key, value) in object { if let text = value.string { metadata[key] = text } }
    }
    let counts = json["request_counts"].flatMap { counts -> RequestCounts? in
      guard counts != .null else { return nil }
      return RequestCounts(
        total: counts["total"]?.int ?? 0, completed: counts["completed"]?.int ?? 0, failed: counts["failed"]?.int ?? 0)
    }
    let errors = (json["errors"]?["data"]?.array ?? []).map { error in
      BatchError(
        code: error["code"]?.string ?? "", message: error["message"]?.string ?? "", param: error["param"]?.string,
        line: error["line"]?.int)
    }
    return RemoteBatch(
      id: id, status: BatchStatus(state), endpoint: json["endpoint"]?.string ?? "",
      inputFileID: json["input_file_id"]?.string ?? "", outputFileID: json["output_file_id"]?.string,
      errorFileID: json["error_file_id"]?.string, createdAt: json["created_at"]?.int ?? 0,
      expiresAt: json["expires_at"]?.int, completedAt: json["completed_at"]?.int, requestCounts: counts,
      errors: errors, metadata: metadata, model: json["model"]?.string,
      usage: json["usage"].flatMap { $0 == .null ? nil : $0 }, raw: json)
  }

  /// The typed error of a non-2xx response: the `{error: {...}}` envelope when there is one.
  static func error(_ response: HTTPResponse) -> ProviderError {
    if let json = try? JSONValue(parsing: response.body), let error = json["error"],
      let message = error["message"]?.string
    {
      return .api(
        status: response.status, message: message, type: error["type"]?.string, param: error["param"]?.string,
        code: error["code"]?.string)
    }
    let text = String(decoding: response.body.prefix(200), as: UTF8.self)
    return .unexpected(status: response.status, detail: text.isEmpty ? "an empty body" : text)
  }
}
