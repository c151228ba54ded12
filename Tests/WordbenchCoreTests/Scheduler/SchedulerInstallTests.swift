import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("scheduler install")
struct SchedulerInstallTests {
  let test = TestContext()

  @Test("the systemd unit: absolute paths, the workspace, Restart=always, the key from an EnvironmentFile only")
  func systemd() throws {
    let workspace = try test.workspace("nightly")
    let context = test.context(environment: ["OPENAI_API_KEY": "sk-secret-never-written"])
    let report = try SchedulerInstall.run(
      .systemd, write: true, executable: "/opt/wordbench/bin/wordbench", unitFolder: "units",
      workspace: workspace.root.path, context: context)
    let unit = try String(
      contentsOf: test.folder.file("units/wordbench-scheduler-nightly.service"), encoding: .utf8)
    #expect(unit == report.text)
    #expect(
      unit.contains("ExecStart=/opt/wordbench/bin/wordbench scheduler start --workspace \(workspace.root.path)\n"))
    #expect(unit.contains("Restart=always\n"))
    #expect(unit.contains("EnvironmentFile=\(workspace.root.path)/scheduler/env\n"))
    #expect(!unit.contains("sk-secret"))
    let environment = workspace.root.appendingPathComponent("scheduler/env")
    let attributes = try FileManager.default.attributesOfItem(atPath: environment.path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    #expect(!(try String(contentsOf: environment, encoding: .utf8)).contains("sk-secret"))
  }

  @Test(
    "the crontab line runs run-once at the configured time, logging to scheduler/scheduler.log",
    arguments: [
      (ScheduleFrequency.daily, "02:00", "0 2 * * * "), (.hourly, "02:15", "15 * * * * "),
      (.weekly, "23:05", "5 23 * * 1 "),
    ])
  func cronLine(frequency: ScheduleFrequency, runTime: String, prefix: String) throws {
    let workspace = try test.workspace()
    try workspace.configure {
      $0.scheduler.frequency = frequency
      $0.scheduler.runTime = runTime
    }
    let report = try SchedulerInstall.run(
      .cron, write: false, executable: "/usr/local/bin/wordbench", unitFolder: nil, workspace: workspace.root.path,
      context: test.context())
    #expect(report.text.hasPrefix(prefix))
    #expect(
      report.text.contains(
        "/usr/local/bin/wordbench scheduler run-once --workspace \(workspace.root.path) >> "
          + "\(workspace.root.path)/scheduler/scheduler.log 2>&1"))
    #expect(report.written.isEmpty)
  }

  @Test("--write puts the line in the crontab once, keeping the other lines")
  func cronWrite() throws {
    let workspace = try test.workspace()
    let table = test.folder.file("crontab.txt")
    try "30 4 * * * backup\n".write(to: table, atomically: true, encoding: .utf8)
    let tool = try test.folder.write(
      "fake-crontab",
      "#!/bin/sh\nif [ \"$1\" = -l ]; then cat \(table.path); else cat > \(table.path); fi\n")
    chmod(tool.path, 0o755)
    let context = test.context(environment: ["WORDBENCH_CRONTAB": tool.path, "PATH": "/usr/bin:/bin"])
    for _ in 0..<2 {
      _ = try SchedulerInstall.run(
        .cron, write: true, executable: "/usr/local/bin/wordbench", unitFolder: nil, workspace: workspace.root.path,
        context: context)
    }
    let lines = try String(contentsOf: table, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 2 && lines[0] == "30 4 * * * backup")
    #expect(lines[1].hasSuffix("# wordbench scheduler \(workspace.root.path)"))
  }
}
