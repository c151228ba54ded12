import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench runs`: the runs of the workspace and where each stands.
struct RunsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runs", abstract: "List the runs and their step states.")

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      let runs = try Runs.list(workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(runs, json: output.json, render: RunsCommand.render)
    }
  }

  static func render(_ runs: [RunSummary]) -> String {
    guard !runs.isEmpty else { return "No runs yet.\n" }
    let steps = RunStep.allCases
    var text = "RUN    CREATED           STAGE              " + steps.map { pad($0.rawValue, 8) }.joined() + "\n"
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    for run in runs {
      let created = run.createdAt.map(formatter.string(from:)) ?? "-"
      text += pad(run.run, 7) + pad(created, 18) + pad(run.stage, 19)
      text += steps.map { pad(run.steps[$0.rawValue]?.state.rawValue ?? "-", 8) }.joined() + "\n"
      if let problem = run.problem { text += "       ! \(problem)\n" }
    }
    return text
  }

  private static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text.padding(toLength: width, withPad: " ", startingAt: 0)
  }
}
