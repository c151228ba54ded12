import Foundation
import Logging

/// Everything the core needs from the outside world, passed in so that tests control time, output and environment.
///
/// The core never reads the process environment, the clock or the terminal directly: it asks the context.
public struct WordbenchContext: Sendable {
  /// The wall clock used for timestamps in manifests, events and lock records.
  public var clock: any WallClock
  /// Every wait (lock polling, backoff, polling remote batches) goes through this, so tests never sleep.
  public var sleeper: any Sleeper
  /// The environment variables the core may consult (`WORDBENCH_WORKSPACE`, `OPENAI_API_KEY`, ...).
  public var environment: [String: String]
  /// The directory relative paths are resolved against.
  public var currentDirectory: URL
  /// Receives progress and notices as data; the CLI renders them, tests record them.
  public var progress: any ProgressSink
  /// Diagnostics for people debugging wordbench itself; never carries secrets.
  public var logger: Logger
  /// The process id recorded in lock files and events.
  public var processID: Int32
  /// The only way the core reaches the network.
  public var http: any HTTPClient

  public init(
    clock: any WallClock = SystemClock(),
    sleeper: any Sleeper = SystemSleeper(),
    environment: [String: String] = ProcessInfo.processInfo.environment,
    currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
    progress: any ProgressSink = SilentProgressSink(),
    logger: Logger = Logger(label: "wordbench", factory: { _ in SwiftLogNoOpLogHandler() }),
    processID: Int32 = ProcessInfo.processInfo.processIdentifier,
    http: any HTTPClient = CurlHTTPClient()
  ) {
    self.clock = clock
    self.sleeper = sleeper
    self.environment = environment
    self.currentDirectory = currentDirectory
    self.progress = progress
    self.logger = logger
    self.processID = processID
    self.http = http
  }

  /// Resolves a user-given path against the context's current directory.
  public func resolve(_ path: String) -> URL {
    if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
    return currentDirectory.appendingPathComponent(path).standardizedFileURL
  }
}
