import ArgumentParser
import Foundation
import WordbenchCore
import WordbenchEmulator

/// `wordbench emulator`: the local OpenAI-compatible Files and Batches server.
struct EmulatorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "emulator",
    abstract: "Serve an offline emulator of OpenAI's Files and Batches API; prints its base URL when ready.")

  @Option(help: "The address to listen on.")
  var host = "127.0.0.1"

  @Option(help: "The port; 0 picks a free one.")
  var port: UInt16 = 0

  @Option(help: "Keep files and batches here, so they survive a restart.")
  var dataDir: String?

  @Option(help: "Seeds ids, output order and every fault, so a run is reproducible.")
  var seed: UInt64 = 1

  @Option(help: "Emulated seconds per real second (batches take about 10 emulated seconds plus 0.01 per line).")
  var speed = 1.0

  @Option(help: "Share of lines that fail with a per-line HTTP error (0 to 1).")
  var failLines = 0.0

  @Option(help: "Share of lines whose content is not JSON.")
  var invalidContent = 0.0

  @Option(help: "Share of lines whose content breaks the entry schema.")
  var schemaViolations = 0.0

  @Option(help: "Share of lines cut off with finish_reason length.")
  var truncate = 0.0

  @Option(help: "Share of requests answered with 429 (Retry-After), 500 or 503.")
  var httpErrors = 0.0

  @Option(help: "Share of requests whose connection is dropped without an answer.")
  var dropConnections = 0.0

  @Option(
    help: "Limit HTTP errors and dropped connections to these paths (comma-separated prefixes, e.g. /v1/batches).")
  var faultPaths: String?

  @Option(help: "Share of file downloads cut short.")
  var truncateDownloads = 0.0

  @Flag(help: "Every batch expires with about half its lines done.")
  var expire = false

  @Option(help: "The first N batches created expire with about half their lines done.")
  var expireFirst = 0

  @Flag(help: "Every batch fails validation.")
  var failValidation = false

  @Option(help: "Enqueued prompt tokens allowed per model; more fails with token_limit_exceeded.")
  var tokenLimit: Int?

  func validate() throws {
    let rates = [failLines, invalidContent, schemaViolations, truncate, httpErrors, dropConnections, truncateDownloads]
    if rates.contains(where: { !(0...1).contains($0) }) { throw ValidationError("fault rates go from 0 to 1") }
    if !(speed > 0) { throw ValidationError("--speed must be above 0") }
  }

  func run() async throws {
    try await CommandRuntime.run { context in
      var config = EmulatorConfig()
      config.host = host
      config.port = port
      config.dataDirectory = dataDir.map { context.resolve($0) }
      config.seed = seed
      config.speed = speed
      config.enqueuedTokenLimit = tokenLimit
      config.faults.lineErrors = failLines
      config.faults.invalidContent = invalidContent
      config.faults.schemaViolations = schemaViolations
      config.faults.truncated = truncate
      config.faults.httpErrors = httpErrors
      config.faults.droppedConnections = dropConnections
      config.faults.truncatedDownloads = truncateDownloads
      config.faults.httpFaultPaths = faultPaths.map { $0.split(separator: ",").map(String.init) } ?? []
      config.faults.expireBatches = expire
      config.faults.expireFirst = expireFirst
      config.faults.failValidation = failValidation
      let lexicon = try Lexicon.load(workspace: nil, context: context)
      let emulator = try Emulator(config: config, lexicon: lexicon)
      let url = try emulator.start()
      Terminal.standardOutput("\(url)\n")
      await Self.waitForTermination()
      emulator.stop()
    }
  }

  /// Returns when SIGINT or SIGTERM arrives.
  static func waitForTermination() async {
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let resumed = ResumeOnce(continuation)
      for number in [SIGINT, SIGTERM] {
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { resumed.resume() }
        source.resume()
        // The sources and their handler keep each other alive until the process ends.
        resumed.keep(source)
      }
    }
  }
}

/// Resumes a continuation the first time only.
private final class ResumeOnce: @unchecked Sendable {
  private var continuation: CheckedContinuation<Void, Never>?
  private var sources: [any DispatchSourceSignal] = []
  private let lock = NSLock()

  func keep(_ source: any DispatchSourceSignal) {
    lock.lock()
    sources.append(source)
    lock.unlock()
  }

  init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = continuation }

  func resume() {
    lock.lock()
    let pending = continuation
    continuation = nil
    lock.unlock()
    pending?.resume()
  }
}
