import Foundation
import Testing
import WordbenchCore
import WordbenchTestSupport

/// `tokens`, `estimate` and `prepare`, driven through the built binary.
@Suite("wordbench tokens, estimate and prepare")
struct RequestsCommandTests {
  let folder = TemporaryFolder("wordbench-requests")

  func wordbench(_ arguments: String...) throws -> ProcessOutput {
    try ChildProcess.run(BuildProducts.wordbench, arguments, currentDirectory: folder.url)
  }

  func json<T: Decodable>(_ type: T.Type, _ output: ProcessOutput) throws -> T {
    try JSONCoding.decoder().decode(T.self, from: Data(output.stdout.utf8))
  }

  /// A workspace `w` with the 2,000-word sample corpus.
  func sampleWorkspace() throws {
    #expect(try wordbench("init", "w").status == 0)
    let sample = Samples.corpus.path
    #expect(try wordbench("corpus", "import", sample, "--workspace", "w").status == 0)
  }

  @Test("tokens counts a file or standard input, with ids on request")
  func tokens() throws {
    try folder.write("text.txt", "hello world")
    let plain = try wordbench("tokens", "text.txt")
    #expect(plain.status == 0, "\(plain.stderr)")
    #expect(plain.stdout == "2\n")
    #expect(try wordbench("tokens", "--ids", "text.txt").stdout == "2\n24912 2375\n")
    let report = try json(TokenCount.Report.self, try wordbench("tokens", "--json", "--ids", "text.txt"))
    #expect(report.tokens == 2 && report.ids == [24912, 2375] && report.encoding == .o200kBase)
    let piped = try ChildProcess.run(
      URL(fileURLWithPath: "/bin/sh"),
      ["-c", "printf 'naïve café — 東京 🙂' | '\(BuildProducts.wordbench.path)' tokens -"])
    #expect(piped.stdout == "7\n", "\(piped.stderr)")
    let missing = try wordbench("tokens", "nope.txt")
    #expect(missing.status == 6 && missing.stderr.contains("nope.txt"))
  }

  @Test("estimate --json prices the full corpus first, then each preset, for each model")
  func estimate() throws {
    try sampleWorkspace()
    let output = try wordbench(
      "estimate-cost", "--all-presets", "--model", "gpt-4o-mini", "gpt-4.1-nano", "--workspace", "w", "--json")
    #expect(output.status == 0, "\(output.stderr)")
    let report = try json(EstimateReport.self, output)
    #expect(report.corpusWords == 2000 && report.pricesDate == "2026-07-30")
    #expect(
      report.rows.map(\.selection) == ["full corpus", "full corpus"]
        + FilterPreset.allCases.flatMap {
          [$0.rawValue, $0.rawValue]
        })
    let full = report.rows[0].estimate
    #expect(full.words == 2000 && full.requests == 2000 && full.model == "gpt-4o-mini")
    #expect(full.outputTokens == 2000 * 600 && full.outputTokensSource == .default)
    #expect(abs(full.batchCostUSD * 2 - full.standardCostUSD) < 1e-9)
    #expect(abs(full.batchCostUSD - (Double(full.inputTokens) * 0.075 + Double(full.outputTokens) * 0.30) / 1e6) < 1e-9)
    // The same words cost the same input tokens whatever the model (same prompt, same encoding).
    #expect(report.rows[1].estimate.inputTokens == full.inputTokens && report.rows[1].estimate.model == "gpt-4.1-nano")
    let aggressive = try #require(report.rows.first { $0.selection == "aggressive" }?.estimate)
    #expect(aggressive.words < full.words && aggressive.inputTokens < full.inputTokens)

    let human = try wordbench("estimate", "--workspace", "w")
    #expect(human.stdout.hasPrefix("Full corpus (2,000 words):\n  gpt-4o-mini: $"), "\(human.stdout)")
    #expect(human.stdout.contains("Prices of 2026-07-30"))
  }

  @Test("prepare prints the run, its shard table and the estimate; exit 7 over budget")
  func prepare() throws {
    try sampleWorkspace()
    let refused = try wordbench("prepare", "--words", "50", "--max-cost", "0.000001", "--workspace", "w")
    #expect(refused.status == 7)
    #expect(refused.stderr.contains("over --max-cost") && refused.stderr.contains("nothing was written"))
    let output = try wordbench("prepare", "--words", "50", "--batch-size", "20", "--workspace", "w")
    #expect(output.status == 0, "\(output.stderr)")
    #expect(output.stdout.hasPrefix("Prepared r0001: 50 words (preset moderate), model gpt-4o-mini\n"))
    #expect(output.stdout.contains("      3        10"))
    let runs = try json([RunSummary].self, try wordbench("runs", "--workspace", "w", "--json"))
    #expect(runs.map(\.run) == ["r0001"] && runs[0].stage == "prepared")
  }

  /// Every complete run folder, by name, with its word list; a folder is complete when its manifest says prepare is
  /// done and every shard file it lists has the recorded size.
  func completeRuns() throws -> [String: [String]] {
    let runs = folder.file("workspaces/w/runs")
    var complete: [String: [String]] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: runs.path) where !name.hasPrefix(".") {
      let run = runs.appendingPathComponent(name)
      let manifest = try JSONCoding.decoder().decode(
        RunManifest.self, from: Data(contentsOf: run.appendingPathComponent("manifest.json")))
      #expect(manifest.state(of: .prepare) == .done, "\(name) looks unfinished")
      for shard in manifest.shards ?? [] {
        let size = try FileManager.default.attributesOfItem(atPath: run.appendingPathComponent(shard.file).path)[.size]
        #expect(size as? Int == shard.bytes, "\(name)/\(shard.file)")
      }
      complete[name] = try String(contentsOf: run.appendingPathComponent("words.tsv"), encoding: .utf8)
        .split(separator: "\n").map { String($0.split(separator: "\t")[1]) }
    }
    return complete
  }

  @Test("a prepare killed at any moment leaves no half run, and running it again covers every word once")
  func killedPrepare() async throws {
    try sampleWorkspace()
    let expected = try json(
      FilterReport.self, try wordbench("filter", "--workspace", "w", "--limit", "0", "--json")
    ).kept
    for delay in [30, 120, 300, 600] {
      let victim = try ChildProcess(
        BuildProducts.wordbench, ["prepare", "--words", "400", "--batch-size", "100", "--workspace", "w"],
        currentDirectory: folder.url)
      try await Task.sleep(for: .milliseconds(delay))
      victim.kill()
      _ = victim.wait()
      _ = try completeRuns()
    }
    while true {
      let next = try wordbench("prepare", "--words", "400", "--workspace", "w")
      if next.status != 0 {
        #expect(next.stderr.contains("no words to prepare"), "\(next.stderr)")
        break
      }
    }
    let runs = try completeRuns()
    let words = runs.values.flatMap { $0 }
    #expect(words.count == Set(words).count, "a word was prepared twice")
    #expect(words.count == expected)
    let stats = try json(CorpusStats.self, try wordbench("corpus", "stats", "--workspace", "w", "--json"))
    #expect(stats.byStatus["pending"] ?? 0 < stats.words)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.file("workspaces/w/runs").path)
      .filter { $0.hasPrefix(".") }
    #expect(leftovers.isEmpty, "\(leftovers)")
  }
}
