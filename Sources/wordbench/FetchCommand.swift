import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench fetch [RUN] [--redo]`, or `--shard K --output-file F [--error-file F]` for files downloaded by hand.
struct FetchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fetch",
    abstract: "Download finished shards' output and error files (resumable), or import files downloaded by hand.")

  @Argument(help: "The run; the newest when left out.")
  var run: String?

  @Flag(help: "Download again even when complete files are there.")
  var redo = false

  @Option(help: "With --output-file / --error-file: the shard the files belong to.")
  var shard: Int?

  @Option(help: "An output file downloaded by hand.")
  var outputFile: String?

  @Option(help: "An error file downloaded by hand.")
  var errorFile: String?

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var lock: LockOptions
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if (outputFile != nil || errorFile != nil) != (shard != nil) {
      throw ValidationError("--shard goes with --output-file and/or --error-file, and they with it")
    }
  }

  func run() async throws {
    try await CommandRuntime.run { context in
      var options = FetchOptions()
      options.redo = redo
      options.shard = shard
      options.outputFile = outputFile
      options.errorFile = errorFile
      options.waitForLock = lock.waitLock
      let report = try await Fetch.run(run, options: options, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: output.json, render: FetchCommand.render)
    }
  }

  static func render(_ report: FetchReport) -> String {
    var text = "\(report.run):\n"
    for shard in report.shards {
      text += "  shard \(shard.index)  \(shard.action)"
      if let record = shard.record {
        text += ": \(Terminal.count(record.outputLines)) output, \(Terminal.count(record.errorLines)) error lines"
        if !record.missing.isEmpty { text += ", \(Terminal.count(record.missing.count)) requests missing from both" }
        if record.foreign > 0 { text += ", \(record.foreign) lines not of this shard" }
      } else if let status = shard.status {
        text += " (\(status))"
      }
      text += "\n"
    }
    return text
  }
}
