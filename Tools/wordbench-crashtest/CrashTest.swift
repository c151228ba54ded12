import Foundation
import WordbenchCore

/// The crash-injection test: the whole pipeline against the emulator (with a persistent data folder), with the
/// wordbench process killed by SIGKILL at random moments of prepare, upload, status, fetch, merge and archive, and
/// each interrupted command run again; at the end the store is compared with an uninterrupted run of the same input.
struct CrashTest {
  var kills: Int
  let setup: PipelineSetup

  /// One step of the pipeline; `repeatable` steps may simply be run again, prepare is checked with `runs` first.
  struct Step {
    var name: String
    var arguments: [String]
    var repeatable = true
  }

  var steps: [Step] {
    let workspace = ["--workspace", "w", "--wait-lock"]
    return [
      Step(
        name: "prepare",
        arguments: [
          "prepare", "--words", String(setup.words), "--batch-size", String(setup.batchSize), "--filter-preset", "none",
        ] + workspace,
        repeatable: false),
      Step(name: "upload", arguments: ["upload", "r1"] + workspace),
      Step(name: "status", arguments: ["status", "r1", "--watch", "--interval", "1", "--workspace", "w"]),
      Step(name: "fetch", arguments: ["fetch", "r1"] + workspace),
      Step(name: "merge", arguments: ["merge", "r1"] + workspace),
      Step(name: "archive", arguments: ["archive", "r1"] + workspace),
    ]
  }

  /// What a run of the test found.
  struct Report {
    var requested = 0
    /// Kills per step that hit the process while it ran.
    var landed: [String: Int] = [:]
    var attempts = 0
    var problems: [String] = []
    var shards = 0
    var entries = 0
    var emulator = ""
    var leftovers: [String] = []

    var text: String {
      var lines = [
        "crash test: \(landed.values.reduce(0, +)) kills landed of \(attempts) attempts (asked for \(requested))"
      ]
      lines.append(
        "  per step: "
          + ["prepare", "upload", "status", "fetch", "merge", "archive"].map { "\($0) \(landed[$0] ?? 0)" }
          .joined(separator: ", "))
      lines.append("  \(entries) entries in \(shards) shards; emulator: \(emulator)")
      if !leftovers.isEmpty { lines.append("  temporary files left (not taken for valid ones): \(leftovers.count)") }
      lines.append(problems.isEmpty ? "  outcome: PASS, identical to the uninterrupted run" : "  outcome: FAIL")
      lines += problems.map { "  problem: \($0)" }
      return lines.joined(separator: "\n")
    }
  }

  func run() async throws -> Report {
    var report = Report(requested: kills)
    let reference = try await pipeline(named: "reference", kills: nil, report: &report)
    let crashed = try await pipeline(named: "crashed", kills: kills, report: &report)
    // The uninterrupted run is the truth: every request merged, one input file and one batch per shard.
    let merged = reference.snapshot.attempts["merged", default: 0]
    if reference.snapshot.entries.isEmpty || merged != reference.snapshot.attempts.values.reduce(0, +) {
      report.problems.append("the reference run did not merge every request: \(reference.snapshot.attempts)")
    }
    if reference.files != reference.batches || crashed.files != reference.files || crashed.batches != reference.batches
    {
      report.problems.append(
        "at the emulator: \(crashed.files) input files and \(crashed.batches) batches run, against "
          + "\(reference.files) and \(reference.batches) uninterrupted")
    }
    report.shards = reference.batches
    if crashed.snapshot.entries != reference.snapshot.entries {
      let missing = Set(reference.snapshot.entries.keys).subtracting(crashed.snapshot.entries.keys)
      let differing = reference.snapshot.entries.filter { crashed.snapshot.entries[$0.key].map { $0 != $0 } ?? false }
      report.problems.append(
        "entries differ: \(missing.count) missing, \(crashed.snapshot.entries.count) against "
          + "\(reference.snapshot.entries.count), \(differing.count) different")
    }
    if crashed.snapshot.statuses != reference.snapshot.statuses {
      report.problems.append(
        "word statuses differ: \(crashed.snapshot.statuses) against \(reference.snapshot.statuses)")
    }
    if crashed.snapshot.attempts != reference.snapshot.attempts {
      report.problems.append("attempts differ: \(crashed.snapshot.attempts) against \(reference.snapshot.attempts)")
    }
    report.entries = crashed.snapshot.entries.count
    return report
  }

  /// What one pipeline left: the store, and the input files and batches (not cancelled) at its emulator.
  struct Result {
    var snapshot: StoreSnapshot
    var files: Int
    var batches: Int
  }

  /// The whole pipeline in `scratch/name`, with `kills` SIGKILLs spread over its steps (nil for none).
  func pipeline(named name: String, kills: Int?, report: inout Report) async throws -> Result {
    let folder = setup.scratch.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let emulator = try EmulatorProcess(
      wordbench: setup.wordbench, dataDirectory: folder.appendingPathComponent("emulator"),
      arguments: ["--speed", "100000", "--seed", String(setup.seed)])
    defer { emulator.stop() }
    let harness = Harness(
      wordbench: setup.wordbench, folder: folder,
      environment: ["OPENAI_API_KEY": "sk-crashtest-secret", "OPENAI_BASE_URL": emulator.url])
    try harness.succeed(["init", "w"])
    try harness.succeed(["corpus", "import", setup.corpus.path, "--workspace", "w"])
    var random = SeededRandom(seed: setup.seed, "kills-\(name)")
    var quota = kills.map { Self.spread($0, over: steps.count) } ?? Array(repeating: 0, count: steps.count)
    for (position, step) in steps.enumerated() {
      // A step's own duration, measured first, tells when to strike.
      let timing = try await timed(step, harness: harness, quota: quota[position], random: &random, report: &report)
      if position + 1 < steps.count { quota[position + 1] += timing.unused }
    }
    let counts = try await emulator.counts()
    let files = counts["input_files"]?.int ?? -1
    let ran = (counts["batches"]?.int ?? -1) - (counts["cancelled_batches"]?.int ?? 0)
    if kills != nil {
      report.emulator = "\(files) input files, \(ran) batches run, \(counts["cancelled_batches"]?.int ?? 0) cancelled"
      report.leftovers = leftovers(in: folder.appendingPathComponent("workspaces/w"))
    }
    let runs = try harness.succeed(["runs", "--workspace", "w", "--json"]).stdout
    if runs.contains("r0002") { report.problems.append("\(name): a second run was made") }
    let verified = try harness.run(["archive", "verify", "r1", "--workspace", "w"])
    if verified.status != 0 { report.problems.append("\(name): archive verify failed: \(verified.stderr)") }
    return Result(
      snapshot: try StoreSnapshot(workspace: folder.appendingPathComponent("workspaces/w")), files: files, batches: ran)
  }

  /// What a step's kills came to.
  struct Timing {
    /// Kills of the quota that could not be placed (prepare finished first); they move to the next step.
    var unused: Int
  }

  /// Runs `step`: first up to `quota` times killed at a random moment, then to the end.
  func timed(_ step: Step, harness: Harness, quota: Int, random: inout SeededRandom, report: inout Report)
    async throws -> Timing
  {
    guard quota > 0 else {
      try harness.succeed(step.arguments)
      return Timing(unused: 0)
    }
    // Strike within the step's expected duration: a guess at first, then what an attempt that ran to its end took.
    var expected = 0.5
    var landed = 0
    var attempts = 0
    while landed < quota && attempts < quota * 4 {
      attempts += 1
      let delay = Double(random.next() % 1000) / 1000 * expected * 1.2
      let outcome = try harness.run(step.arguments, killAfter: delay)
      report.attempts += 1
      if outcome.killed {
        landed += 1
        report.landed[step.name, default: 0] += 1
        if !step.repeatable, try isPrepared(harness) { return Timing(unused: quota - landed) }
        continue
      }
      guard outcome.status == 0 else {
        throw HarnessFailure(
          "\(step.name) after \(landed) kills exited \(outcome.status): \(outcome.stderr.suffix(1500))")
      }
      expected = max(0.02, outcome.seconds)
      if !step.repeatable { return Timing(unused: quota - landed) }
    }
    let prepared = step.repeatable ? false : try isPrepared(harness)
    if !prepared { try harness.succeed(step.arguments) }
    return Timing(unused: 0)
  }

  /// After a killed prepare: did it get as far as making the run? (What a user checks with `wordbench runs`.)
  func isPrepared(_ harness: Harness) throws -> Bool {
    let runs = try harness.succeed(["runs", "--workspace", "w", "--json"]).stdout
    guard let list = try? JSONValue(parsing: runs).array else { return false }
    return list.contains { $0["run"]?.string == "r0001" && $0["steps"]?["prepare"]?["state"]?.string == "done" }
  }

  /// `n` split as evenly as possible over `parts`.
  static func spread(_ n: Int, over parts: Int) -> [Int] {
    (0..<parts).map { n / parts + ($0 < n % parts ? 1 : 0) }
  }

  /// Temporary files a kill left behind: atomic-write temporaries, partial downloads, staging folders.
  func leftovers(in workspace: URL) -> [String] {
    guard let walker = FileManager.default.enumerator(at: workspace, includingPropertiesForKeys: nil) else {
      return []
    }
    var found: [String] = []
    for case let url as URL in walker {
      let name = url.lastPathComponent
      if name.hasPrefix(AtomicFile.temporaryPrefix) || name.hasSuffix(".part") || name.contains(".creating-") {
        found.append(url.path.replacingOccurrences(of: workspace.path + "/", with: ""))
      }
    }
    return found
  }
}
