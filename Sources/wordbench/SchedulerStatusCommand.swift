import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench scheduler status`, in the original tool's shape.
struct SchedulerStatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status", abstract: "Show the scheduler's state, progress against its limits, and last errors.")

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      let report = try await Scheduler.status(workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: output.json, render: SchedulerStatusCommand.render)
    }
  }

  static func render(_ report: SchedulerStatusReport) -> String {
    let time = DateFormatter()
    time.dateFormat = "yyyy-MM-dd HH:mm:ss"
    var text = "Scheduler Status: \(report.status)\n"
    text += "Next run: \(report.nextRun.map(time.string(from:)) ?? "not scheduled")\n"
    text += "Words processed: \(Terminal.count(report.wordsProcessed)) / "
    text += (report.maxWords.map(Terminal.count) ?? "no limit") + "\n"
    text += "Current cost: \(Money.format(report.currentCost)) / \(report.maxCost.map(Money.format) ?? "no limit")\n"
    text += "Active jobs: \(report.activeJobs)\n"
    let left = ["run", "day", "month", "total"].compactMap { key in
      report.budgetLeft[key].map { "\(Money.format($0)) \(key == "run" ? "per run" : "this \(key)")" }
    }
    text += "Budget left: \(left.joined(separator: ", "))\n"
    let state = report.state
    text += "Runs: \(state.successfulRuns) cycles ok, \(state.failedRuns) with errors"
    text += state.lastRun.map { ", last \(time.string(from: $0))" } ?? ", none yet"
    text += state.runsInFlight.isEmpty ? "\n" : "; in flight: \(state.runsInFlight.joined(separator: ", "))\n"
    if let size = state.currentBatchSize { text += "Current batch size: \(Terminal.count(size))\n" }
    if !report.lastErrors.isEmpty {
      text += "Last errors:\n"
      for error in report.lastErrors {
        text += "  \(time.string(from: error.time)) \(error.run.map { "\($0): " } ?? "")\(error.message)\n"
      }
    }
    return text
  }
}
