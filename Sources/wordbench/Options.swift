import ArgumentParser

/// Options of every command that works in a workspace.
struct WorkspaceOptions: ParsableArguments {
  @Option(name: .long, help: "The workspace folder (or a name under workspaces/).")
  var workspace: String?
}

/// Options of every command that writes to a workspace.
struct LockOptions: ParsableArguments {
  @Flag(name: .long, help: "Wait for another command holding the workspace to finish instead of failing.")
  var waitLock = false
}

/// The `--json` flag of every command that reports something.
struct OutputOptions: ParsableArguments {
  @Flag(name: .long, help: "Print one JSON document on stdout instead of text.")
  var json = false
}
