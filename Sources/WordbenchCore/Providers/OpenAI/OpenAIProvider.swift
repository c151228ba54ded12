import Foundation
import Logging

/// OpenAI's Files and Batches API, or any server that speaks it (the emulator, Azure OpenAI's deployments, vLLM),
/// through `baseURL`. The key is only ever put in the Authorization header.
public struct OpenAIProvider: BatchProvider {
  public let baseURL: String
  private let apiKey: String
  private let http: RetryingHTTPClient
  /// Query items added to every request (Azure's `api-version`).
  public var extraQuery: [URLQueryItem] = []
  public var caBundle: String?
  /// `Authorization: Bearer KEY` by default; Azure OpenAI takes `api-key: KEY`.
  public var keyHeader = "authorization"
  /// Sent as `output_expires_after` when creating batches.
  public var outputExpiresAfterSeconds: Int?

  public init(baseURL: String, apiKey: String, http: RetryingHTTPClient) {
    self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    self.apiKey = apiKey
    self.http = http
  }

  /// The provider a workspace is configured for, with the key from `OPENAI_API_KEY` and `OPENAI_BASE_URL`
  /// overriding the configured address.
  ///
  /// - Parameter keyVariable: `OPENAI_ADMIN_KEY` for the organization's Usage and Costs API.
  public static func configured(
    _ config: WorkspaceConfig, context: WordbenchContext, keyVariable: String = "OPENAI_API_KEY"
  ) throws -> OpenAIProvider {
    guard let key = context.environment[keyVariable], !key.isEmpty else {
      throw ProviderError.missingKey(variable: keyVariable)
    }
    let base = context.environment["OPENAI_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? config.provider.baseURL
    let logger = context.logger
    let retrying = RetryingHTTPClient(client: context.http, sleeper: context.sleeper) { attempt, reason in
      logger.info("attempt \(attempt) failed (\(reason)); retrying")
    }
    var provider = OpenAIProvider(baseURL: base, apiKey: key, http: retrying)
    provider.caBundle = context.environment["WORDBENCH_CA_BUNDLE"].flatMap { $0.isEmpty ? nil : $0 }
    provider.keyHeader = config.provider.keyHeader
    if !config.provider.apiVersion.isEmpty {
      provider.extraQuery = [URLQueryItem(name: "api-version", value: config.provider.apiVersion)]
    }
    if config.provider.outputExpiresAfter > 0 {
      provider.outputExpiresAfterSeconds = max(3600, config.provider.outputExpiresAfter)
    }
    return provider
  }

  // MARK: - Files

  public func uploadFile(_ file: URL, name: String, progress: (@Sendable (TransferProgress) -> Void)?)
    async throws -> RemoteFile
  {
    var request = request("POST", "/files")
    request.multipart = [
      .field(name: "purpose", value: "batch"),
      .file(name: "file", path: file, fileName: name, contentType: "application/jsonl"),
    ]
    request.progress = progress
    request.stallTimeout = .seconds(300)
    return try OpenAIDecoding.file(try await json(request, policy: .creating), status: 200)
  }

  public func file(_ id: String) async throws -> RemoteFile {
    try OpenAIDecoding.file(try await json(request("GET", "/files/\(id)")), status: 200)
  }

  public func listFiles(after: String?, limit: Int) async throws -> RemotePage<RemoteFile> {
    var query = [URLQueryItem(name: "purpose", value: "batch"), URLQueryItem(name: "limit", value: String(limit))]
    if let after { query.append(URLQueryItem(name: "after", value: after)) }
    let page = try await json(request("GET", "/files", query: query))
    let items = try (page["data"]?.array ?? []).map { try OpenAIDecoding.file($0, status: 200) }
    return RemotePage(items: items, hasMore: page["has_more"] == .bool(true), lastID: page["last_id"]?.string)
  }

  public func deleteFile(_ id: String) async throws {
    do {
      _ = try await json(request("DELETE", "/files/\(id)"))
    } catch ProviderError.api(let status, _, _, _, _) where status == 404 {
      // Already gone: deleting is idempotent.
    }
  }

  public func downloadFile(_ id: String, to target: DownloadTarget) async throws {
    var request = request("GET", "/files/\(id)/content")
    request.download = target
    request.stallTimeout = .seconds(300)
    let response = try await http.send(request)
    guard (200..<300).contains(response.status) else { throw OpenAIDecoding.error(response) }
  }

  // MARK: - Batches

  public func createBatch(inputFileID: String, endpoint: String, metadata: [String: String]) async throws
    -> RemoteBatch
  {
    var fields: [String: JSONValue] = [
      "input_file_id": .string(inputFileID), "endpoint": .string(endpoint), "completion_window": "24h",
      "metadata": .object(metadata.mapValues { .string($0) }),
    ]
    if let seconds = outputExpiresAfterSeconds {
      fields["output_expires_after"] = .object(["anchor": "created_at", "seconds": .number(Double(seconds))])
    }
    let body = JSONValue.object(fields)
    var request = request("POST", "/batches")
    request.body = try JSONEncoder().encode(body)
    request.headers.append(HTTPHeader("Content-Type", "application/json"))
    return try OpenAIDecoding.batch(try await json(request, policy: .creating), status: 200)
  }

  public func batch(_ id: String) async throws -> RemoteBatch {
    try OpenAIDecoding.batch(try await json(request("GET", "/batches/\(id)")), status: 200)
  }

  public func listBatches(after: String?, limit: Int) async throws -> RemotePage<RemoteBatch> {
    var query = [URLQueryItem(name: "limit", value: String(limit))]
    if let after { query.append(URLQueryItem(name: "after", value: after)) }
    let page = try await json(request("GET", "/batches", query: query))
    let items = try (page["data"]?.array ?? []).map { try OpenAIDecoding.batch($0, status: 200) }
    return RemotePage(items: items, hasMore: page["has_more"] == .bool(true), lastID: page["last_id"]?.string)
  }

  public func cancelBatch(_ id: String) async throws -> RemoteBatch {
    try OpenAIDecoding.batch(try await json(request("POST", "/batches/\(id)/cancel")), status: 200)
  }

  // MARK: - Plumbing

  func request(_ method: String, _ path: String, query: [URLQueryItem] = []) -> HTTPRequest {
    var components = URLComponents(string: baseURL + path)
    let items = query + extraQuery
    if !items.isEmpty { components?.queryItems = items }
    var request = HTTPRequest(
      method: method, url: components?.string ?? baseURL + path,
      headers: [
        keyHeader == "api-key" ? HTTPHeader("api-key", apiKey) : HTTPHeader("Authorization", "Bearer \(apiKey)"),
        HTTPHeader("Accept", "application/json"),
      ])
    request.caBundle = caBundle
    return request
  }

  /// Sends a request and decodes its JSON body; a non-2xx answer becomes a typed `ProviderError`.
  func json(_ request: HTTPRequest, policy: RetryPolicy = RetryPolicy()) async throws -> JSONValue {
    let response = try await http.send(request, policy: policy)
    guard (200..<300).contains(response.status) else { throw OpenAIDecoding.error(response) }
    guard let json = try? JSONValue(parsing: response.body) else {
      throw ProviderError.unexpected(status: response.status, detail: "a body that is not JSON")
    }
    return json
  }
}
