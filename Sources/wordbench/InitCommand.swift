import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench init NAME`: creates a workspace.
struct InitCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init", abstract: "Create a workspace (workspaces/NAME, or --path DIR).")

  @Argument(help: "The workspace name: letters, digits, '.', '_' and '-'.")
  var name: String

  @Option(help: "Create the workspace in this folder instead of workspaces/NAME.")
  var path: String?

  @Option(help: "The model that writes the entries (default gpt-4o-mini).")
  var model: String?

  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      let workspace = try WorkspaceCreator.create(name: name, path: path, model: model, context: context)
      let created = Created(workspace: workspace.root.path, model: workspace.config.provider.model)
      try CommandRuntime.emit(created, json: output.json, render: { InitCommand.render($0, name: name) })
    }
  }

  /// What `init --json` prints.
  struct Created: Encodable {
    var workspace: String
    var model: String
  }

  static func render(_ created: Created, name: String) -> String {
    """
    Created workspace \(name) at \(created.workspace)
      configuration: \(created.workspace)/workspace.toml (model \(created.model))
    Next: wordbench corpus import FILE --workspace \(created.workspace)

    """
  }
}
