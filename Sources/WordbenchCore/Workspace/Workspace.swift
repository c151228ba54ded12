import Foundation

/// An opened workspace: its folder, its configuration and the paths of everything inside it (design.md §3).
public struct Workspace: Sendable {
  public let root: URL
  public let config: WorkspaceConfig

  public var configURL: URL { root.appendingPathComponent(WorkspaceConfigFile.fileName) }
  public var corpusFolder: URL { root.appendingPathComponent("corpus") }
  /// The imported corpus as plain text, one word per line, in import order.
  public var corpusWordsURL: URL { corpusFolder.appendingPathComponent("words.txt") }
  /// One record (and one rejects file) per import.
  public var importsFolder: URL { corpusFolder.appendingPathComponent("imports") }
  public var runsFolder: URL { root.appendingPathComponent("runs") }
  public var storeFolder: URL { root.appendingPathComponent("store") }
  public var storeURL: URL { storeFolder.appendingPathComponent("dictionary.sqlite") }
  /// `entry.schema.json` and `entry.prompt.md`, which every request is made from.
  public var templatesFolder: URL { root.appendingPathComponent("templates") }
  public var lockURL: URL { root.appendingPathComponent(".lock") }

  /// The folders every workspace has; created by `init` and re-created if someone removed one.
  var folders: [URL] { [corpusFolder, importsFolder, runsFolder, storeFolder] }

  /// Opens the workspace whose folder is `root`, loading and validating its configuration.
  public static func open(at root: URL) throws(WorkspaceError) -> Workspace {
    let configURL = root.appendingPathComponent(WorkspaceConfigFile.fileName)
    guard POSIXFile.exists(configURL) else { throw .noWorkspaceAt(path: root.path, source: "the path") }
    let workspace = Workspace(root: root, config: try WorkspaceConfigFile.load(from: configURL))
    do {
      for folder in workspace.folders where !POSIXFile.isDirectory(folder) {
        try POSIXFile.createDirectory(folder)
      }
    } catch let error as FileSystemError {
      throw .fileSystem(error)
    } catch {
      throw .fileSystem(.cannotCreateDirectory(path: root.path, errno: EIO))
    }
    return workspace
  }

  /// Finds and opens the workspace for a command: `--workspace`, then `$WORDBENCH_WORKSPACE`, then the current folder.
  public static func locate(explicit: String?, context: WordbenchContext) throws(WorkspaceError) -> Workspace {
    try open(at: WorkspaceLocator.locate(explicit: explicit, context: context))
  }
}

/// Where a command's workspace is, following the documented order.
public enum WorkspaceLocator {
  public static func locate(explicit: String?, context: WordbenchContext) throws(WorkspaceError) -> URL {
    if let explicit, !explicit.isEmpty {
      return try check(explicit, source: "--workspace", context: context)
    }
    if let fromEnvironment = context.environment["WORDBENCH_WORKSPACE"], !fromEnvironment.isEmpty {
      return try check(fromEnvironment, source: "WORDBENCH_WORKSPACE", context: context)
    }
    let here = context.currentDirectory
    if POSIXFile.exists(here.appendingPathComponent(WorkspaceConfigFile.fileName)) { return here }
    throw .notFound
  }

  /// A given path must hold a workspace; a bare name also finds `workspaces/NAME`, as `init NAME` creates it.
  private static func check(_ path: String, source: String, context: WordbenchContext) throws(WorkspaceError) -> URL {
    let direct = context.resolve(path)
    if POSIXFile.exists(direct.appendingPathComponent(WorkspaceConfigFile.fileName)) { return direct }
    if !path.contains("/") {
      let named = context.resolve("workspaces/\(path)")
      if POSIXFile.exists(named.appendingPathComponent(WorkspaceConfigFile.fileName)) { return named }
    }
    throw .noWorkspaceAt(path: direct.path, source: source)
  }
}
