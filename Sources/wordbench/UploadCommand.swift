import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench upload [RUN]`: upload the run's shards and create their batches.
struct UploadCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "upload",
    abstract: "Upload a run's shards and create their batches (idempotent: a rerun reconciles, never duplicates).")

  @Argument(help: "The run (r0003, r3 or 3); the newest when left out.")
  var run: String?

  @Flag(help: "Check every shard locally and show what would be sent, sending nothing.")
  var dryRun = false

  @Option(help: "Refuse when the estimate of what is still to send is over this many US dollars.")
  var maxCost: Double?

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var lock: LockOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      var options = UploadOptions()
      options.dryRun = dryRun
      options.maxCost = maxCost
      options.waitForLock = lock.waitLock
      let report = try await Upload.run(run, options: options, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: output.json, render: UploadCommand.render)
    }
  }

  static func render(_ report: UploadReport) -> String {
    var text = report.dryRun ? "Dry run of \(report.run) against \(report.baseURL): nothing was sent\n" : ""
    for shard in report.shards {
      text += "  shard \(shard.index)  \(Terminal.count(shard.lines)) requests, \(Terminal.count(shard.bytes)) bytes"
      text += "  \(shard.action)\(shard.batchID.map { "  \($0)" } ?? "")\n"
    }
    if let estimate = report.estimate { text += EstimateCommand.summary(estimate) + "\n" }
    return text
  }
}

/// `wordbench attach RUN --shard K --batch-id ID`: record a batch created by hand.
struct AttachCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "attach", abstract: "Record a batch created by hand from one of the run's shard files.")

  @Argument(help: "The run.")
  var run: String

  @Option(help: "The shard number (1 for requests/shard-001.jsonl).")
  var shard: Int

  @Option(help: "The batch id the provider's dashboard shows (batch_...).")
  var batchId: String

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      let attached = try await Attach.run(
        run, shard: shard, batchID: batchId, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(attached, json: output.json) { shard in
        "Attached \(shard.batchID ?? "") to shard \(shard.index)"
          + (shard.fileID == nil ? " (not checked: no OPENAI_API_KEY)\n" : " (its input file matches the shard)\n")
      }
    }
  }
}
