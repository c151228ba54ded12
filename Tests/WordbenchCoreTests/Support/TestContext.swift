import Foundation
import WordbenchCore
import WordbenchTestSupport

/// A context for tests: a manual clock that is also the sleeper, an empty environment, progress recorded.
struct TestContext {
  let folder = TemporaryFolder()
  let clock = ManualClock()
  let progress = RecordingProgressSink()

  func context(environment: [String: String] = [:], processID: Int32 = 4242) -> WordbenchContext {
    WordbenchContext(
      clock: clock, sleeper: clock, environment: environment, currentDirectory: folder.url, progress: progress,
      processID: processID)
  }

  /// A new workspace `workspaces/NAME` under the test's folder.
  func workspace(_ name: String = "test") throws -> Workspace {
    try WorkspaceCreator.create(name: name, context: context())
  }
}

extension Workspace {
  /// Changes the workspace's `workspace.toml`; commands read it afresh each time.
  func configure(_ change: (inout WorkspaceConfig) -> Void) throws {
    var config = config
    change(&config)
    try WorkspaceConfigFile.render(config).write(
      to: root.appendingPathComponent(WorkspaceConfigFile.fileName), atomically: true, encoding: .utf8)
  }
}
