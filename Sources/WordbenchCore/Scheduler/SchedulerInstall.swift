import Foundation

/// How `scheduler install` sets the scheduler up.
public enum InstallKind: String, Codable, Sendable {
  case systemd, cron
}

/// What `scheduler install` made: the unit file or crontab line, where it went (with `--write`), and what to do next.
public struct InstallReport: Codable, Sendable {
  public var kind: InstallKind
  public var text: String
  /// Files written, when asked to write.
  public var written: [String]
  public var nextSteps: [String]

  enum CodingKeys: String, CodingKey {
    case kind, text, written
    case nextSteps = "next_steps"
  }
}

/// `scheduler install --systemd|--cron [--write]`: a systemd unit running `scheduler start` (absolute paths,
/// `Restart=always`, the key from an `EnvironmentFile`, never the key itself), or a crontab line running
/// `scheduler run-once` at the configured time with its output in `scheduler/scheduler.log`.
public enum SchedulerInstall {
  /// - Parameters:
  ///   - executable: the absolute path of the wordbench binary.
  ///   - unitFolder: where `--write` puts the systemd unit (default `/etc/systemd/system`).
  public static func run(
    _ kind: InstallKind, write: Bool, executable: String, unitFolder: String?, workspace path: String?,
    context: WordbenchContext
  ) throws -> InstallReport {
    let workspace = try Workspace.locate(explicit: path, context: context)
    let files = SchedulerFiles(workspace: workspace)
    let environmentFile = files.folder.appendingPathComponent("env")
    let unitName = "wordbench-scheduler-\(workspace.root.lastPathComponent).service"
    var report: InstallReport
    switch kind {
    case .systemd:
      report = InstallReport(
        kind: kind,
        text: unit(executable: executable, workspace: workspace.root.path, environmentFile: environmentFile.path),
        written: [],
        nextSteps: [
          "put OPENAI_API_KEY=... in \(environmentFile.path) (mode 0600)",
          "systemctl daemon-reload && systemctl enable --now \(unitName)",
          "journalctl -u \(unitName) -f   # its output",
        ])
      if write {
        let folder = context.resolve(unitFolder ?? "/etc/systemd/system")
        let target = folder.appendingPathComponent(unitName)
        do {
          try POSIXFile.createDirectory(folder)
          try AtomicFile.write(Data(report.text.utf8), to: target, permissions: 0o644)
        } catch {
          throw SchedulerError.cannotInstall(reason: "\(target.path): \(error) (run as root, or pass --unit-dir)")
        }
        report.written.append(target.path)
      }
    case .cron:
      report = InstallReport(
        kind: kind,
        text: cronLine(
          Schedule(workspace.config.scheduler), executable: executable, workspace: workspace.root.path,
          environmentFile: environmentFile.path, log: files.log.path),
        written: [],
        nextSteps: [
          "put OPENAI_API_KEY=... in \(environmentFile.path) (mode 0600)",
          write ? "crontab -l   # to see it" : "crontab -e, and add the line above",
        ])
      if write {
        let crontab = context.environment["WORDBENCH_CRONTAB"] ?? "crontab"
        try installCronLine(report.text, marker: marker(workspace.root.path), crontab: crontab)
        report.written.append("the crontab of this user")
      }
    }
    if write && !POSIXFile.exists(environmentFile) {
      try POSIXFile.createDirectory(files.folder)
      let template = "# The scheduler's secrets, read by systemd or cron; never commit this file.\n#OPENAI_API_KEY=\n"
      try AtomicFile.write(Data(template.utf8), to: environmentFile)
      report.written.append(environmentFile.path)
    }
    return report
  }

  static func unit(executable: String, workspace: String, environmentFile: String) -> String {
    """
    [Unit]
    Description=wordbench scheduler for \(workspace)
    After=network-online.target
    Wants=network-online.target

    [Service]
    Type=simple
    ExecStart=\(executable) scheduler start --workspace \(workspace)
    WorkingDirectory=\(workspace)
    EnvironmentFile=\(environmentFile)
    Restart=always
    RestartSec=60
    # SIGTERM stops it between steps; a step under way finishes first.
    KillSignal=SIGTERM
    TimeoutStopSec=600

    [Install]
    WantedBy=multi-user.target

    """
  }

  static func marker(_ workspace: String) -> String { "# wordbench scheduler \(workspace)" }

  /// `MM HH * * *` (daily), `MM * * * *` (hourly), `MM HH * * D` (weekly), in the machine's local time as cron uses.
  static func cronLine(
    _ schedule: Schedule, executable: String, workspace: String, environmentFile: String, log: String
  ) -> String {
    let when: String
    switch schedule.frequency {
    case .hourly: when = "\(schedule.minute) * * * *"
    case .daily: when = "\(schedule.minute) \(schedule.hour) * * *"
    case .weekly: when = "\(schedule.minute) \(schedule.hour) * * \(schedule.weekday.number - 1)"
    }
    return "\(when) set -a; [ -f \(environmentFile) ] && . \(environmentFile); set +a; \(executable) scheduler "
      + "run-once --workspace \(workspace) >> \(log) 2>&1 \(marker(workspace))\n"
  }

  /// Replaces this workspace's line in the user's crontab (or adds it), leaving every other line as it was.
  static func installCronLine(_ line: String, marker: String, crontab: String) throws {
    let current = try runTool(crontab, ["-l"], input: nil, allowFailure: true)
    var lines = current.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines.removeAll { $0.hasSuffix(marker) || $0.isEmpty }
    lines.append(line.trimmingCharacters(in: .newlines))
    _ = try runTool(crontab, ["-"], input: lines.joined(separator: "\n") + "\n", allowFailure: false)
  }

  private static func runTool(_ tool: String, _ arguments: [String], input: String?, allowFailure: Bool) throws
    -> String
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    let output = Pipe()
    let inputPipe = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = inputPipe
    do {
      try process.run()
    } catch {
      throw SchedulerError.cannotInstall(reason: "cannot run \(tool): \(error); install cron (apt-get install cron)")
    }
    if let input { inputPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try? inputPipe.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    if process.terminationStatus != 0 && !allowFailure {
      throw SchedulerError.cannotInstall(
        reason: "\(tool) \(arguments.joined(separator: " ")) failed (exit \(process.terminationStatus))")
    }
    return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : ""
  }
}
