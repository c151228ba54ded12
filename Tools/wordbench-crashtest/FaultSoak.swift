import Foundation
import WordbenchCore

/// The fault soak: the pipeline against an emulator injecting 10 % HTTP faults (429 with Retry-After, 500, 503 and
/// dropped connections), 5 % per-line errors, 2 % invalid content, cut-short downloads and one expired batch with
/// partial output. It must complete through retries, every word merged or quarantined with a reason, and the
/// ledger's actual cost must equal the cost of the usage in the output lines.
struct FaultSoak {
  let setup: PipelineSetup
  /// Retry rounds before giving up (a word is quarantined after 3 failed attempts).
  static let rounds = 6
  /// Times a command is run again after it failed (as a user would on a transient error).
  static let reruns = 10

  struct Report {
    var runs: [String] = []
    var reruns = 0
    /// Why commands had to be run again.
    var rerunReasons: [String] = []
    var merged = 0
    var quarantined = 0
    /// What went wrong on the way, as the store's attempts and the emulator count it.
    var errorClasses: [String: Int] = [:]
    var injected = ""
    var ledgerUSD = 0.0
    var usageUSD = 0.0
    var problems: [String] = []

    var text: String {
      var lines = [
        "fault soak: \(runs.count) runs (\(runs.joined(separator: ", "))), \(reruns) commands run again after a fault",
        "  \(merged) words merged, \(quarantined) quarantined with a reason",
        "  injected: \(injected)",
        "  failed attempts on the way: "
          + errorClasses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
        String(format: "  ledger actual $%.6f, usage of the output lines $%.6f", ledgerUSD, usageUSD),
      ]
      lines += rerunReasons.map { "  run again after: \($0)" }
      lines.append(problems.isEmpty ? "  outcome: PASS" : "  outcome: FAIL")
      lines += problems.map { "  problem: \($0)" }
      return lines.joined(separator: "\n")
    }
  }

  func run() async throws -> Report {
    var report = Report()
    let emulator = try EmulatorProcess(
      wordbench: setup.wordbench, dataDirectory: setup.scratch.appendingPathComponent("emulator"),
      arguments: [
        "--speed", "100000", "--seed", String(setup.seed), "--http-errors", "0.08", "--drop-connections", "0.02",
        "--fail-lines", "0.05", "--invalid-content", "0.02", "--truncate-downloads", "0.3", "--expire-first", "1",
      ])
    defer { emulator.stop() }
    let harness = Harness(
      wordbench: setup.wordbench, folder: setup.scratch,
      environment: ["OPENAI_API_KEY": "sk-soak-secret", "OPENAI_BASE_URL": emulator.url])
    try harness.succeed(["init", "w"])
    try harness.succeed(["corpus", "import", setup.corpus.path, "--workspace", "w"])
    var run = "r0001"
    try persist(
      [
        "process", "--words", String(setup.words), "--batch-size", String(setup.batchSize), "--filter-preset", "none",
        "--poll-interval", "1",
      ],
      resume: run, harness: harness, report: &report)
    report.runs.append(run)
    for _ in 0..<Self.rounds {
      let retry = try persistJSON(["retry", run, "--json"], harness: harness, report: &report)
      guard let next = retry["prepared"]?["run"]?.string else { break }
      run = next
      try persist(["process", "--resume", run, "--poll-interval", "1"], resume: run, harness: harness, report: &report)
      report.runs.append(run)
    }
    try check(&report, workspace: setup.scratch.appendingPathComponent("workspaces/w"))
    let counts = try await emulator.counts()
    report.injected = ["http_faults", "cut_downloads", "expired_batches"].map { "\($0) \(counts[$0]?.int ?? 0)" }
      .joined(separator: ", ")
    for fault in ["http_faults", "cut_downloads", "expired_batches"] where counts[fault]?.int ?? 0 == 0 {
      report.problems.append("the emulator injected no \(fault): the soak did not test it")
    }
    return report
  }

  /// Runs a process command; after a failure, goes on with `process --resume RUN` (prepare may have made the run
  /// before failing).
  func persist(_ arguments: [String], resume run: String, harness: Harness, report: inout Report) throws {
    var command = arguments
    for _ in 0...Self.reruns {
      let outcome = try harness.run(command + ["--workspace", "w"])
      if outcome.status == 0 { return }
      report.reruns += 1
      report.rerunReasons.append(String(outcome.stderr.split(separator: "\n").last ?? "exit \(outcome.status)"))
      command = ["process", "--resume", run, "--poll-interval", "1"]
    }
    throw HarnessFailure("\(arguments.joined(separator: " ")) kept failing")
  }

  func persistJSON(_ arguments: [String], harness: Harness, report: inout Report) throws -> JSONValue {
    for _ in 0...Self.reruns {
      let outcome = try harness.run(arguments + ["--workspace", "w"])
      if outcome.status == 0 { return try JSONValue(parsing: outcome.stdout) }
      report.reruns += 1
      report.rerunReasons.append(String(outcome.stderr.split(separator: "\n").last ?? "exit \(outcome.status)"))
    }
    throw HarnessFailure("\(arguments.joined(separator: " ")) kept failing")
  }

  func check(_ report: inout Report, workspace root: URL) throws {
    let workspace = try Workspace.open(at: root)
    let store = try DictionaryStore(workspace: workspace)
    for status in [WordStatus.inFlight, .failed] {
      let left = try store.words(withStatus: status)
      if !left.isEmpty { report.problems.append("\(left.count) words still \(status.rawValue), e.g. \(left.first!)") }
    }
    let quarantined = try store.words(withStatus: .quarantined)
    for word in quarantined {
      let state = try store.state(of: word)
      if state?.lastError == nil && state?.lastMessage == nil {
        report.problems.append("\(word) is quarantined without a reason")
      }
    }
    // words.tsv: index, headword, lemma, then the corpus words it stands for, one per field.
    let rows = try String(contentsOf: root.appendingPathComponent("runs/r0001/words.tsv"), encoding: .utf8)
      .split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    report.merged = try store.entryCount()
    report.errorClasses = try store.attemptCounts(byErrorClass: true)
    report.quarantined =
      rows.filter { row in row.count > 1 && row.dropFirst().contains(where: quarantined.contains) }
      .count
    let headwords = rows.filter { $0.count > 1 }
    if report.merged + report.quarantined != headwords.count {
      report.problems.append(
        "\(headwords.count) words taken, but \(report.merged) merged and \(report.quarantined) quarantined")
    }
    try Ledger(workspace: workspace).forEachEntry { if $0.kind == "actual" { report.ledgerUSD += $0.costUSD } }
    let rules = try ModelCatalog.bundled().rules(for: workspace.config.provider.model)
    for run in report.runs {
      let results = root.appendingPathComponent("runs/\(run)/results")
      for file in (try? FileManager.default.contentsOfDirectory(atPath: results.path)) ?? []
      where file.hasSuffix(".output.jsonl") {
        try LineReader(url: results.appendingPathComponent(file), maxLineBytes: 64 << 20).forEachLine { _, line in
          guard case .bytes(let bytes) = line, let json = try? JSONValue(parsing: bytes),
            let usage = json["response"]?["body"]?["usage"]
          else { return }
          report.usageUSD += rules.cost(
            inputTokens: usage["prompt_tokens"]?.int ?? 0, outputTokens: usage["completion_tokens"]?.int ?? 0)
        }
      }
    }
    if abs(report.ledgerUSD - report.usageUSD) > 1e-9 {
      report.problems.append(
        String(
          format: "the ledger's actual cost $%.9f is not the lines' usage $%.9f", report.ledgerUSD, report.usageUSD))
    }
  }
}
