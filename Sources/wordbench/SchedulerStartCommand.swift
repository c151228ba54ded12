import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench scheduler start`: cycles on the schedule, in the foreground, until SIGTERM or SIGINT.
struct SchedulerStartCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "start",
    abstract: "Run cycles on the schedule in the foreground (systemd, nohup or a container keep it running).")

  @Option(help: "hourly, daily or weekly (default: [scheduler] frequency).")
  var frequency: ScheduleFrequency?

  @Option(help: "Local time of day, HH:MM (default: [scheduler] run_time).")
  var runTime: String?

  @OptionGroup var limits: CycleLimitOptions
  @OptionGroup var workspace: WorkspaceOptions

  func validate() throws {
    if let runTime, let problem = Schedule.problem(runTime: runTime) { throw ValidationError("--run-time: \(problem)") }
  }

  func run() async throws {
    try await CommandRuntime.run { context in
      let stop = StopRequest()
      var options = SchedulerStartOptions()
      options.cycle = limits.cycle
      options.cycle.shouldStop = { stop.isRequested }
      options.frequency = frequency
      options.runTime = runTime
      Terminal.standardOutput("Scheduler started (stop it with SIGTERM or Ctrl-C).\n")
      try await Scheduler.start(options: options, workspace: workspace.workspace, context: context) { result in
        switch result {
        case .success(let report): Terminal.standardOutput(CycleLimitOptions.render(report))
        case .failure(let error): Terminal.standardError("cycle skipped: \(CommandRuntime.describe(error))\n")
        }
      }
      Terminal.standardOutput("Scheduler stopped.\n")
    }
  }
}

extension ScheduleFrequency: ExpressibleByArgument {}
