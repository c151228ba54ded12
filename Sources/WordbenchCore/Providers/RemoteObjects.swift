import Foundation

/// A file at the provider. Fields the provider adds later are kept in `raw`, never a decoding failure.
public struct RemoteFile: Codable, Equatable, Sendable {
  public var id: String
  public var bytes: Int
  public var filename: String
  public var purpose: String
  public var createdAt: Int
  public var raw: JSONValue

  enum CodingKeys: String, CodingKey {
    case id, bytes, filename, purpose, raw
    case createdAt = "created_at"
  }
}

/// Where a batch stands. Values the provider may add later are kept as `.other`, not rejected.
public enum BatchStatus: Equatable, Sendable, Codable, CustomStringConvertible {
  case validating, inProgress, finalizing, completed, failed, expired, cancelling, cancelled
  case other(String)

  static let names: [(BatchStatus, String)] = [
    (.validating, "validating"), (.inProgress, "in_progress"), (.finalizing, "finalizing"), (.completed, "completed"),
    (.failed, "failed"), (.expired, "expired"), (.cancelling, "cancelling"), (.cancelled, "cancelled"),
  ]

  public init(_ name: String) {
    self = Self.names.first { $0.1 == name }?.0 ?? .other(name)
  }

  public var description: String {
    if case .other(let name) = self { return name }
    return Self.names.first { $0.0 == self }!.1
  }

  /// No more changes will come: results (if any) can be fetched.
  public var isTerminal: Bool { [.completed, .failed, .expired, .cancelled].contains(self) }

  public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

/// A batch-level error: validation failures carry the input line they are about.
public struct BatchError: Codable, Equatable, Sendable {
  public var code: String
  public var message: String
  public var param: String?
  public var line: Int?

  public init(code: String, message: String, param: String? = nil, line: Int? = nil) {
    self.code = code
    self.message = message
    self.param = param
    self.line = line
  }
}

/// Request counts of a batch.
public struct RequestCounts: Codable, Equatable, Sendable {
  public var total: Int
  public var completed: Int
  public var failed: Int

  public init(total: Int, completed: Int, failed: Int) {
    self.total = total
    self.completed = completed
    self.failed = failed
  }
}

/// A batch at the provider.
public struct RemoteBatch: Codable, Equatable, Sendable {
  public var id: String
  public var status: BatchStatus
  public var endpoint: String
  public var inputFileID: String
  public var outputFileID: String?
  public var errorFileID: String?
  public var createdAt: Int
  public var expiresAt: Int?
  public var completedAt: Int?
  public var requestCounts: RequestCounts?
  public var errors: [BatchError]
  public var metadata: [String: String]
  public var model: String?
  /// Token usage of the whole batch, when the provider reports it.
  public var usage: JSONValue?
  public var raw: JSONValue

  /// When it reached its terminal state, whichever that is.
  public var finishedAt: Int? {
    completedAt ?? ["failed_at", "expired_at", "cancelled_at"].lazy.compactMap { self.raw[$0]?.int }.first
  }

  enum CodingKeys: String, CodingKey {
    case id, status, endpoint, errors, metadata, model, usage, raw
    case inputFileID = "input_file_id"
    case outputFileID = "output_file_id"
    case errorFileID = "error_file_id"
    case createdAt = "created_at"
    case expiresAt = "expires_at"
    case completedAt = "completed_at"
    case requestCounts = "request_counts"
  }
}

/// One page of a list.
public struct RemotePage<Item: Sendable>: Sendable {
  public var items: [Item]
  public var hasMore: Bool
  public var lastID: String?
}

/// What a provider answered when it did not do what was asked.
public enum ProviderError: Error, Equatable, CustomStringConvertible {
  /// An error body `{error: {message, type, param, code}}` with its HTTP status.
  case api(status: Int, message: String, type: String?, param: String?, code: String?)
  /// A body that is not what the API documents.
  case unexpected(status: Int, detail: String)
  case missingKey(variable: String)

  public var description: String {
    switch self {
    case .api(let status, let message, let type, _, let code):
      "the provider refused (HTTP \(status)\(code.map { ", \($0)" } ?? "")\(type.map { ", \($0)" } ?? "")): \(message)"
    case .unexpected(let status, let detail):
      "the provider answered something unexpected (HTTP \(status)): \(detail)"
    case .missingKey(let variable):
      "no API key: set \(variable) in the environment (it is never written to any file)"
    }
  }

  public var status: Int? {
    switch self {
    case .api(let status, _, _, _, _), .unexpected(let status, _): status
    case .missingKey: nil
    }
  }
}
