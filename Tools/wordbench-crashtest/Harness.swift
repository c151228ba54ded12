import Foundation
import WordbenchCore
import WordbenchTestSupport

/// A failure of the harness itself or of a check, with what to look at.
struct HarnessFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// How a command ended.
struct Outcome {
  var status: Int32
  var stdout: String
  var stderr: String
  /// True when the harness killed it while it was still running.
  var killed: Bool
  var seconds: Double
}

/// What both proofs run: the pipeline over `words` words of the sample corpus in shards of `batchSize`, the wordbench
/// binary, and a scratch folder.
struct PipelineSetup {
  var words: Int
  var batchSize: Int
  var seed: UInt64
  let wordbench: String
  let corpus: URL
  let scratch: URL
}

/// Runs the wordbench binary in a scratch folder, to the end or until a SIGKILL at a chosen moment.
struct Harness {
  let wordbench: String
  let folder: URL
  var environment: [String: String]

  /// Runs `arguments`; kills it with SIGKILL after `killAfter` seconds if it still runs then.
  func run(_ arguments: [String], killAfter: Double? = nil) throws -> Outcome {
    let start = Date()
    let output = try ChildProcess(
      URL(fileURLWithPath: wordbench), arguments, environment: environment, currentDirectory: folder
    ).wait(timeout: killAfter ?? 3600)
    return Outcome(
      status: output.status, stdout: output.stdout, stderr: output.stderr, killed: output.timedOut,
      seconds: Date().timeIntervalSince(start))
  }

  /// Runs `arguments` to the end and fails unless it succeeds.
  @discardableResult
  func succeed(_ arguments: [String]) throws -> Outcome {
    let outcome = try run(arguments)
    guard outcome.status == 0 else {
      throw HarnessFailure(
        "wordbench \(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.stderr.suffix(2000))")
    }
    return outcome
  }
}

/// `wordbench emulator` in the background with its state in a data folder; stopped with SIGKILL.
final class EmulatorProcess {
  let process: ChildProcess
  let url: String

  init(wordbench: String, dataDirectory: URL, arguments: [String]) throws {
    process = try ChildProcess(
      URL(fileURLWithPath: wordbench), ["emulator", "--port", "0", "--data-dir", dataDirectory.path] + arguments)
    for _ in 0..<1000 {
      if let line = process.stdoutSoFar.split(separator: "\n").first, line.hasPrefix("http://") {
        url = String(line)
        return
      }
      usleep(10_000)
    }
    process.kill()
    throw HarnessFailure("the emulator printed no URL: \(process.stderrSoFar)")
  }

  /// The emulator's object counts (`GET /_emulator/state`).
  func counts() async throws -> JSONValue {
    let state = url.replacingOccurrences(of: "/v1", with: "/_emulator/state")
    return try JSONValue(parsing: try await CurlHTTPClient().send(HTTPRequest(url: state)).body)
  }

  func stop() {
    process.kill()
    _ = process.wait()
  }
}

/// What the harness compares between two workspaces.
struct StoreSnapshot: Equatable {
  /// Headword to entry JSON.
  var entries: [String: String]
  /// Words per status.
  var statuses: [String: Int]
  /// Attempts per outcome.
  var attempts: [String: Int]

  init(workspace: URL) throws {
    let opened = try Workspace.open(at: workspace)
    let store = try DictionaryStore(workspace: opened)
    var entries: [String: String] = [:]
    try store.forEachEntry { word, entry in entries[word] = entry }
    self.entries = entries
    let stats = try store.corpusStats()
    statuses = stats.byStatus
    attempts = try store.attemptCounts()
  }
}
