import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench status [RUN] [--watch [--interval S]]`
struct StatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status", abstract: "Show each shard's batch: status, request counts, times and errors.")

  @Argument(help: "The run; the newest when left out.")
  var run: String?

  @Flag(help: "Redraw until every shard is finished (finalizing is not finished).")
  var watch = false

  @Option(help: "Seconds between checks with --watch.")
  var interval = 60.0

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if !(interval >= 1) { throw ValidationError("--interval takes 1 second or more") }
  }

  func run() async throws {
    try await CommandRuntime.run { context in
      if watch {
        let final = try await Status.watch(
          run, interval: .milliseconds(Int(interval * 1000)), workspace: workspace.workspace, context: context
        ) { report in
          if !output.json { Terminal.standardOutput(StatusCommand.render(report) + "\n") }
        }
        if output.json { try CommandRuntime.printJSON(final) }
      } else {
        let report = try await Status.run(run, workspace: workspace.workspace, context: context)
        try CommandRuntime.emit(report, json: output.json, render: StatusCommand.render)
      }
    }
  }

  static func render(_ report: StatusReport) -> String {
    var text = "\(report.run): \(report.allTerminal ? "every shard finished" : "in progress")\n"
    for shard in report.shards {
      guard let status = shard.status else {
        text += "  shard \(shard.index)  not uploaded\n"
        continue
      }
      let counts = shard.requestCounts ?? RequestCounts(total: 0, completed: 0, failed: 0)
      let done = counts.completed + counts.failed
      let width = 20
      let filled = counts.total > 0 ? width * done / counts.total : 0
      text += "  shard \(shard.index)  \(status.description.padding(toLength: 11, withPad: " ", startingAt: 0)) "
      text += "[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] "
      text +=
        "\(Terminal.count(counts.completed)) ok, \(Terminal.count(counts.failed)) failed of \(Terminal.count(counts.total))"
      if let elapsed = shard.elapsedSeconds { text += ", \(elapsed / 60) min" }
      if let expires = shard.expiresAt, !status.isTerminal { text += ", expires \(expires.formatted(.iso8601))" }
      text += "\n"
      for error in shard.errors {
        text += "    \(error.code)\(error.line.map { " at line \($0)" } ?? ""): \(error.message)\n"
      }
    }
    return text
  }
}

/// `wordbench cancel RUN [--shard K]`
struct CancelCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cancel", abstract: "Cancel a run's running batches (partial results stay fetchable).")

  @Argument(help: "The run.")
  var run: String

  @Option(help: "Only this shard.")
  var shard: Int?

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      let report = try await Cancel.run(run, shard: shard, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: output.json, render: StatusCommand.render)
    }
  }
}
