import Foundation

/// What wordbench needs from a batch API: files in, batches run, files out. OpenAI's Files and Batches API first;
/// Anthropic's Message Batches can implement the same shape later.
public protocol BatchProvider: Sendable {
  /// Uploads a JSONL file for batch use, streamed from disk.
  func uploadFile(_ file: URL, name: String, progress: (@Sendable (TransferProgress) -> Void)?) async throws
    -> RemoteFile
  func file(_ id: String) async throws -> RemoteFile
  /// One page of the batch files, newest first, after the file `after`.
  func listFiles(after: String?, limit: Int) async throws -> RemotePage<RemoteFile>
  func deleteFile(_ id: String) async throws
  /// Streams the file's content into `target.file`, resuming after `target.resumeFrom` bytes.
  func downloadFile(_ id: String, to target: DownloadTarget) async throws
  func createBatch(inputFileID: String, endpoint: String, metadata: [String: String]) async throws -> RemoteBatch
  func batch(_ id: String) async throws -> RemoteBatch
  /// One page of batches, newest first, after the batch `after`.
  func listBatches(after: String?, limit: Int) async throws -> RemotePage<RemoteBatch>
  func cancelBatch(_ id: String) async throws -> RemoteBatch
}

extension BatchProvider {
  /// Every batch, following the pages.
  public func allBatches(pageSize: Int = 100) async throws -> [RemoteBatch] {
    try await Self.all(pageSize: pageSize, id: \.id) { try await listBatches(after: $0, limit: $1) }
  }

  /// Every file, following the pages.
  public func allFiles(pageSize: Int = 1000) async throws -> [RemoteFile] {
    try await Self.all(pageSize: pageSize, id: \.id) { try await listFiles(after: $0, limit: $1) }
  }

  /// The items of every page, asking for the next page after the last item of the one before.
  private static func all<Item>(
    pageSize: Int, id: (Item) -> String, page: (String?, Int) async throws -> RemotePage<Item>
  ) async throws -> [Item] {
    var all: [Item] = []
    var after: String?
    while true {
      let next = try await page(after, pageSize)
      all += next.items
      guard next.hasMore, let last = next.lastID ?? next.items.last.map(id) else { return all }
      after = last
    }
  }
}
