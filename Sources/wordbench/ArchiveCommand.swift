import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench archive [RUN...] [--older-than AGE] [--format F] [--level N] [--delete-remote] [--force]`, with
/// `archive list RUN` and `archive verify RUN` beside it.
struct ArchiveCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "archive",
    abstract: "Pack finished runs into runs/rNNNN.tar.zst (verified before the folder goes), or inspect an archive.",
    subcommands: [ArchiveRunsCommand.self, ArchiveListCommand.self, ArchiveVerifyCommand.self],
    defaultSubcommand: ArchiveRunsCommand.self)
}

/// `wordbench archive [RUN...]`: the default subcommand.
struct ArchiveRunsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runs",
    abstract: "Archive the named runs, or every merged run finished longer ago than --older-than.")

  @Argument(help: "The runs to archive (r1, r0001); when none, every merged run older than --older-than.")
  var runs: [String] = []

  @Option(
    help: "With no runs named: archive merged runs finished longer ago than this (30d, 12h; default from [archive]).")
  var olderThan: String?

  @Option(help: "tar.zst or tar.gz (default from [archive], tar.zst).")
  var format: String?

  @Option(help: "The compression level: zstd 1 to 19 (default 3), gzip 1 to 9 (default 6).")
  var level: Int?

  @Flag(help: "Also delete the runs' input, output and error files at the provider (idempotent).")
  var deleteRemote = false

  @Flag(help: "Archive runs that are not merged too.")
  var force = false

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var lock: LockOptions
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if let olderThan, AgeLimit(parsing: olderThan) == nil {
      throw ValidationError("--older-than takes a number and d, h or m, such as 30d")
    }
    if let format, ArchiveFormat(rawValue: format) == nil { throw ValidationError("--format is tar.zst or tar.gz") }
  }

  func run() async throws {
    try await CommandRuntime.run { context in
      var options = ArchiveOptions()
      options.runs = runs
      options.olderThan = olderThan.flatMap(AgeLimit.init(parsing:))
      options.format = format.flatMap(ArchiveFormat.init(rawValue:))
      options.level = level
      options.deleteRemote = deleteRemote
      options.force = force
      options.waitForLock = lock.waitLock
      let report = try await RunArchiver.archive(options: options, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: output.json, render: ArchiveRunsCommand.render)
    }
  }

  static func render(_ report: ArchiveReport) -> String {
    var text = report.archived.isEmpty ? "No runs archived.\n" : ""
    for run in report.archived {
      text += "\(run.run): \(Terminal.count(run.files)) files, \(Terminal.megabytes(run.sourceBytes)) → "
      text += "\(run.archive) (\(Terminal.megabytes(run.archiveBytes))), verified"
      text += run.remoteFilesDeleted > 0 ? "; \(run.remoteFilesDeleted) remote files deleted\n" : "\n"
    }
    for (run, reason) in report.skipped.sorted(by: { $0.key < $1.key }) { text += "\(run): skipped, \(reason)\n" }
    return text
  }
}
