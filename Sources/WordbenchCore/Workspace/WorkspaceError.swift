import Foundation

/// Everything that can go wrong with a workspace, its configuration, its lock and its runs.
public enum WorkspaceError: Error, Equatable, CustomStringConvertible {
  /// No workspace was given and none was found where wordbench looks.
  case notFound
  /// A path was given (by `--workspace` or `WORDBENCH_WORKSPACE`) but holds no `workspace.toml`.
  case noWorkspaceAt(path: String, source: String)
  case alreadyExists(path: String)
  case folderNotEmpty(path: String)
  case invalidName(name: String, reason: String)
  case invalidConfig([ConfigDiagnostic])
  case busy(LockHolder)
  case invalidManifest(path: String, reason: String)
  case manifestTooNew(path: String, version: Int, supported: Int)
  case unknownRun(String)
  case fileSystem(FileSystemError)

  public var description: String {
    switch self {
    case .notFound:
      "no workspace found: pass --workspace PATH, set WORDBENCH_WORKSPACE, or run inside a workspace folder "
        + "(one that holds workspace.toml); create one with `wordbench init NAME`"
    case .noWorkspaceAt(let path, let source):
      "\(source) points at \(path), which is not a workspace (no workspace.toml there); "
        + "create one with `wordbench init NAME --path \(path)`"
    case .alreadyExists(let path):
      "a workspace already exists at \(path); pick another name or remove it first"
    case .folderNotEmpty(let path):
      "\(path) exists and is not empty; pick an empty or new folder"
    case .invalidName(let name, let reason):
      "\"\(name)\" cannot be a workspace name: \(reason)"
    case .invalidConfig(let problems):
      "invalid configuration:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    case .busy(let holder):
      "workspace busy: \(holder.command) (pid \(holder.pid)) since \(holder.sinceText); "
        + "wait for it to finish or pass --wait-lock"
    case .invalidManifest(let path, let reason):
      "\(path) is not a valid run manifest: \(reason)"
    case .manifestTooNew(let path, let version, let supported):
      "\(path) has schema version \(version), but this wordbench understands up to \(supported); upgrade wordbench"
    case .unknownRun(let name):
      "no run \"\(name)\" in this workspace; `wordbench runs` lists them"
    case .fileSystem(let error):
      error.description
    }
  }
}
