import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench scheduler install --systemd|--cron [--write]`
struct SchedulerInstallCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "install",
    abstract: "Print (or with --write, install) a systemd unit or a crontab line that runs the scheduler.")

  @Flag(help: "A systemd unit running scheduler start.")
  var systemd = false

  @Flag(help: "A crontab line running scheduler run-once at [scheduler] run_time.")
  var cron = false

  @Flag(help: "Install it: the unit into --unit-dir, or the line into this user's crontab.")
  var write = false

  @Option(help: "Where --write puts the systemd unit.")
  var unitDir = "/etc/systemd/system"

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if systemd == cron { throw ValidationError("pass one of --systemd and --cron") }
  }

  func run() async throws {
    try await CommandRuntime.run { context in
      let executable = URL(fileURLWithPath: CommandLine.arguments[0], relativeTo: context.currentDirectory)
        .resolvingSymlinksInPath().standardizedFileURL.path
      let report = try SchedulerInstall.run(
        systemd ? .systemd : .cron, write: write, executable: executable, unitFolder: unitDir,
        workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: output.json) { report in
        var text = report.text
        for file in report.written { text += "Wrote \(file)\n" }
        text += "Next:\n" + report.nextSteps.map { "  \($0)\n" }.joined()
        return text
      }
    }
  }
}
