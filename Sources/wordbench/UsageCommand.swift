import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench usage [--days N] [--by day|model|run] [--remote]`
struct UsageCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "usage",
    abstract: "Tokens and cost of recent runs from the local ledger (estimated against actual), and the provider's.")

  @Option(help: "The last N days (UTC), today included.")
  var days = 30

  @Option(help: "Rows per day, model or run.")
  var by = UsageGrouping.day

  @Flag(help: "Also ask the provider's Usage and Costs API (needs OPENAI_ADMIN_KEY).")
  var remote = false

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if days < 1 { throw ValidationError("--days takes 1 or more") }
  }

  func run() async throws {
    try await CommandRuntime.run { context in
      let report = try await Usage.run(
        days: days, by: by, remote: remote, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: output.json, render: UsageCommand.render)
    }
  }

  static func render(_ report: UsageReport) -> String {
    let remote = report.remoteNote != nil
    var text = "Usage of the last \(report.days) days by \(report.by.rawValue)"
    text += remote ? " (provider: \(report.remoteNote!))\n" : "\n"
    var header = ["\(report.by.rawValue)", "est. input", "est. output", "estimated", "input", "output", "actual"]
    if remote { header += ["provider input", "provider output", "provider cost"] }
    var table = [header]
    for row in report.rows + [report.total] {
      var line = [
        row.key, Terminal.count(row.estimated.inputTokens), Terminal.count(row.estimated.outputTokens),
        Money.format(row.estimated.costUSD), row.actual.map { Terminal.count($0.inputTokens) } ?? "-",
        row.actual.map { Terminal.count($0.outputTokens) } ?? "-", row.actual.map { Money.format($0.costUSD) } ?? "-",
      ]
      if remote {
        line += [
          row.remote.map { Terminal.count($0.inputTokens) } ?? "-",
          row.remote.map { Terminal.count($0.outputTokens) } ?? "-", row.remote.map { Money.format($0.costUSD) } ?? "-",
        ]
      }
      table.append(line)
    }
    if report.rows.isEmpty { return text + "Nothing was sent in these days.\n" }
    let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
    for line in table {
      text +=
        line.enumerated().map { column, cell in
          column == 0
            ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            : String(repeating: " ", count: widths[column] - cell.count) + cell
        }.joined(separator: "  ") + "\n"
    }
    return text
  }
}

extension UsageGrouping: ExpressibleByArgument {}
