import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("Cost estimates")
struct CostEstimateTests {
  let test = TestContext()

  @Test("costs are tokens times the batch and standard prices per 1M tokens")
  func arithmetic() throws {
    let rules = try ModelCatalog.bundled().rules(for: "gpt-4.1-mini")
    let estimate = CostEstimate(
      rules: rules, pricesDate: "d", words: 10, inputTokens: 1_000_000,
      outputPerEntry: OutputTokensPerEntry(tokens: 100_000, source: .default))
    #expect(estimate.outputTokens == 1_000_000)
    #expect(abs(estimate.batchCostUSD - (0.20 + 0.80)) < 1e-12)
    #expect(abs(estimate.standardCostUSD - (0.40 + 1.60)) < 1e-12)
  }

  @Test("once merged results are measured, estimates use the workspace's average output per entry and say so")
  func measuredOutput() async throws {
    let workspace = try test.workspace()
    let context = test.context(environment: ProcessInfo.processInfo.environment)
    let words = try test.folder.write("words.txt", "apple\npear\nriver\n")
    _ = try await Corpus.importFiles(
      [words.path], column: nil, workspace: workspace.root.path, waitForLock: false, context: context)
    var options = EstimateOptions()
    options.presets = [.none]
    let before = try Estimate.run(options: options, workspace: workspace.root.path, context: context)
    #expect(before.rows.allSatisfy { $0.estimate.outputTokensSource == .default })
    #expect(before.rows[0].estimate.outputTokensPerEntry == 600)

    let calibration = Calibration(models: ["gpt-4o-mini": .init(entries: 4, completionTokens: 1_801)])
    try JSONEncoder().encode(calibration).write(to: workspace.root.appendingPathComponent(Calibration.fileName))
    let after = try Estimate.run(options: options, workspace: workspace.root.path, context: context)
    let full = after.rows[0].estimate
    #expect(full.outputTokensSource == .measured)
    #expect(full.outputTokensPerEntry == 451)
    #expect(full.outputTokens == 3 * 451)
    #expect(full.inputTokens == before.rows[0].estimate.inputTokens)
  }
}
