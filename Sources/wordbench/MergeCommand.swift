import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench merge [RUN] [--replace]`
struct MergeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Validate a run's fetched results and merge the entries into the store (idempotent).")

  @Argument(help: "The run; the newest when left out.")
  var run: String?

  @Flag(
    help: "Let this run's valid entries replace words' older entries (runs prepared with --force-refresh always do).")
  var replace = false

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var lock: LockOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      var options = MergeOptions()
      options.replace = replace
      options.waitForLock = lock.waitLock
      let report = try await Merge.run(run, options: options, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: output.json, render: MergeCommand.render)
    }
  }

  static func render(_ report: MergeReport) -> String {
    var text = "\(report.run): \(Terminal.count(report.requests)) requests: \(Terminal.count(report.merged)) merged, "
    text += "\(Terminal.count(report.rejected)) rejected, \(Terminal.count(report.failed)) failed"
    text += report.notFetched > 0 ? ", \(Terminal.count(report.notFetched)) not fetched yet\n" : "\n"
    text += "Entries: \(Terminal.count(report.newEntries)) new, \(Terminal.count(report.replacedEntries)) replaced"
    text +=
      report.alreadyMerged > 0 ? ", \(Terminal.count(report.alreadyMerged)) requests already merged before\n" : "\n"
    for (kind, count) in report.kinds.sorted(by: { $0.key < $1.key }) {
      text += "  \(kind): \(Terminal.count(count))\n"
    }
    text += "Cost: \(Money.format(report.actualCostUSD)) from \(Terminal.count(report.promptTokens)) prompt and "
    text += "\(Terminal.count(report.completionTokens)) completion tokens"
    if let batch = report.batchUsageCostUSD { text += " (\(Money.format(batch)) by the batches' usage)" }
    if let estimate = report.estimatedCostUSD { text += ", against \(Money.format(estimate)) estimated" }
    text += "\n"
    for problem in report.problems { text += "  problem: \(problem)\n" }
    return text
  }
}
