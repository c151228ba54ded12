import Foundation

/// How the emulator runs: where it listens, where it keeps state, how fast time goes and what faults it injects.
public struct EmulatorConfig: Sendable {
  public var host = "127.0.0.1"
  public var port: UInt16 = 0
  /// Keeps files and batches across restarts when set.
  public var dataDirectory: URL?
  /// Seeds every random choice (ids, shuffling, faults), so a run is reproducible.
  public var seed: UInt64 = 1
  /// Emulated seconds per real second.
  public var speed = 1.0
  public var faults = Faults()
  /// Per-model enqueued prompt-token limit; a batch that would pass it fails with `token_limit_exceeded`.
  public var enqueuedTokenLimit: Int?

  /// The Batch API's limits: requests per batch and bytes per batch file (lowered by tests).
  public var maximumLines = 50_000
  public var maximumBytes = 200 * 1024 * 1024

  /// Phases of a batch, in emulated seconds.
  public var validatingSeconds = 2.0
  public var processingSeconds = 5.0
  public var processingSecondsPerLine = 0.01
  public var finalizingSeconds = 2.0
  public var cancellingSeconds = 5.0

  /// Faults, each a rate from 0 to 1 drawn deterministically from the seed.
  public struct Faults: Sendable {
    /// Lines that fail with a per-line HTTP error (500 or 429 in the error file).
    public var lineErrors = 0.0
    /// Lines whose content is not JSON.
    public var invalidContent = 0.0
    /// Lines whose content is JSON that breaks the schema.
    public var schemaViolations = 0.0
    /// Lines cut off with `finish_reason: length`.
    public var truncated = 0.0
    /// Requests answered with 429 (and Retry-After), 500 or 503 instead.
    public var httpErrors = 0.0
    /// Requests whose connection is dropped without an answer.
    public var droppedConnections = 0.0
    /// The paths HTTP errors and dropped connections apply to (prefixes such as `/v1/batches`); empty for all.
    public var httpFaultPaths: [String] = []
    /// File downloads cut short.
    public var truncatedDownloads = 0.0
    /// Every batch expires after processing about half its lines.
    public var expireBatches = false
    /// The first N batches created expire after processing about half their lines.
    public var expireFirst = 0
    /// Every batch fails validation.
    public var failValidation = false

    public init() {}

    public var any: Bool {
      lineErrors + invalidContent + schemaViolations + truncated + httpErrors + droppedConnections
        + truncatedDownloads > 0 || expireBatches || expireFirst > 0 || failValidation
    }
  }

  public init() {}
}
