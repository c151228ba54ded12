import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench process`: prepare, upload, wait, fetch and merge one run, showing progress as it goes.
struct ProcessCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "process",
    abstract: "Prepare, upload, wait for, fetch and merge one run (the single steps in a row; resumable).")

  @OptionGroup var selection: RunSelectionOptions

  @Option(help: "Also write the run's entries (JSONL) and merge report into this folder.")
  var outputDir: String?

  @Flag(help: "Stop after uploading; go on later with --resume RUN.")
  var noWait = false

  @Option(help: "Go on with this run (after an interruption or --no-wait) instead of preparing a new one.")
  var resume: String?

  @Option(help: "Seconds between status checks while waiting.")
  var pollInterval = 60.0

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if !(pollInterval >= 1) { throw ValidationError("--poll-interval takes 1 second or more") }
    if resume != nil && selection.picksWords {
      throw ValidationError(
        "--resume goes on with a prepared run; it cannot take --words, --batch-size, "
          + "--filter-preset, --model or --force-refresh")
    }
  }

  func run() async throws {
    try await CommandRuntime.run { context in
      var options = ProcessOptions()
      selection.apply(to: &options.prepare)
      options.prepare.waitForLock = true
      options.noWait = noWait
      options.resume = resume
      options.outputDirectory = outputDir
      options.pollInterval = .milliseconds(Int(pollInterval * 1000))
      let stop = StopRequest()
      options.shouldStop = { stop.isRequested }
      let json = output.json
      let report = try await ProcessRun.run(options: options, workspace: workspace.workspace, context: context) {
        if !json { Terminal.standardOutput(ProcessCommand.render($0)) }
      }
      if json { try CommandRuntime.printJSON(report) } else { Terminal.standardOutput(ProcessCommand.summary(report)) }
    }
  }

  /// Each step as it happens.
  static func render(_ event: ProcessEvent) -> String {
    switch event {
    case .prepared(let report):
      PrepareCommand.render(report) + "If this is interrupted, go on with: wordbench process --resume \(report.run)\n\n"
    case .uploaded(let report): UploadCommand.render(report) + "\n"
    case .waiting(let status, let progress):
      StatusCommand.render(status) + progressLine(progress) + "\n"
    case .fetched(let report): FetchCommand.render(report) + "\n"
    case .merged(let report): MergeCommand.render(report) + "\n"
    }
  }

  /// `Overall: 120 of 200 requests (3 of 4 shards sent), about 4 min left`.
  static func progressLine(_ progress: RunProgress) -> String {
    var text = "Overall: \(Terminal.count(progress.finished)) of \(Terminal.count(progress.total)) requests"
    if progress.shardsSent < progress.shards { text += " (\(progress.shardsSent) of \(progress.shards) shards sent)" }
    if let eta = progress.etaSeconds, eta > 0 { text += ", about \(duration(eta)) left" }
    return text + "\n"
  }

  static func duration(_ seconds: Int) -> String {
    seconds < 90 ? "\(seconds) s" : seconds < 5400 ? "\((seconds + 59) / 60) min" : "\((seconds + 1799) / 3600) h"
  }

  static func summary(_ report: ProcessReport) -> String {
    if report.stopped {
      return
        "Stopped on request; \(report.run) is as far as it got. Go on with: wordbench process --resume \(report.run)\n"
    }
    if report.stoppedAfterUpload {
      return "\(report.run) is uploaded. Go on later with: wordbench process --resume \(report.run)\n"
    }
    var text = "Summary of \(report.run):"
    if let merged = report.merged {
      text += " \(Terminal.count(merged.merged)) merged, \(Terminal.count(merged.rejected)) rejected, "
      text += "\(Terminal.count(merged.failed)) failed"
    }
    text += "\nCost: "
    text += report.estimatedCostUSD.map { "\(Money.format($0)) estimated" } ?? "no estimate"
    text += report.actualCostUSD.map { ", \(Money.format($0)) actual" } ?? ""
    text += "\n"
    if let merged = report.merged, merged.failed + merged.rejected > 0 {
      text += "Try the others again with: wordbench retry \(report.run)\n"
    }
    for file in report.outputFiles { text += "Wrote \(file)\n" }
    return text
  }
}
