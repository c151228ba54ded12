import Foundation

/// Creates new workspaces (`wordbench init`).
public enum WorkspaceCreator {
  /// The folder that holds named workspaces, relative to the current directory.
  public static let defaultParent = "workspaces"

  /// Creates a workspace named `name` in `workspaces/NAME`, or in `path` when given, and opens it.
  ///
  /// The workspace is assembled in a hidden temporary folder and renamed into place, so an interrupted `init` never
  /// leaves something that looks like a workspace. An existing workspace or a non-empty folder is never touched.
  public static func create(
    name: String, path: String? = nil, model: String? = nil, context: WordbenchContext
  ) throws(WorkspaceError) -> Workspace {
    try validate(name: name)
    var config = WorkspaceConfig()
    if let model {
      if let problem = ConfigSchema.validateModel(model) { throw .invalidName(name: model, reason: problem) }
      config.provider.model = model
    }
    let root = context.resolve(path ?? "\(defaultParent)/\(name)")
    try checkTarget(root)
    let parent = root.deletingLastPathComponent()
    let staging = parent.appendingPathComponent(".\(root.lastPathComponent).creating-\(context.processID)")
    do {
      try POSIXFile.createDirectory(parent)
      try? FileManager.default.removeItem(at: staging)
      try POSIXFile.createDirectory(staging)
      let text = WorkspaceConfigFile.render(config)
      try AtomicFile.write(Data(text.utf8), to: staging.appendingPathComponent(WorkspaceConfigFile.fileName))
      for folder in ["corpus", "corpus/imports", "runs", "store", "templates"] {
        try POSIXFile.createDirectory(staging.appendingPathComponent(folder))
      }
      for name in [EntrySchema.fileName, PromptTemplate.fileName] {
        guard let source = BundledData.url(name),
          let bytes = try? Data(contentsOf: source)
        else { throw FileSystemError.cannotOpen(path: "the bundled \(name)", errno: ENOENT) }
        try AtomicFile.write(bytes, to: staging.appendingPathComponent("templates/\(name)"))
      }
      // rename(2) replaces an empty folder but fails on a non-empty one, so a racing init cannot be overwritten.
      try POSIXFile.rename(staging, to: root)
      try POSIXFile.syncDirectory(parent)
    } catch let error as FileSystemError {
      try? FileManager.default.removeItem(at: staging)
      if case .cannotRename(_, _, let code) = error, code == ENOTEMPTY || code == EEXIST {
        throw .alreadyExists(path: root.path)
      }
      throw .fileSystem(error)
    } catch {
      try? FileManager.default.removeItem(at: staging)
      throw .fileSystem(.cannotCreateDirectory(path: root.path, errno: EIO))
    }
    return try Workspace.open(at: root)
  }

  /// Names become folder names and appear in remote metadata, so they are kept short and plain.
  public static func validate(name: String) throws(WorkspaceError) {
    guard !name.isEmpty else { throw .invalidName(name: name, reason: "it is empty") }
    guard name.count <= 64 else { throw .invalidName(name: name, reason: "it is longer than 64 characters") }
    guard name != ".", name != "..", !name.hasPrefix(".") else {
      throw .invalidName(name: name, reason: "it may not start with a dot")
    }
    let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    guard name.unicodeScalars.allSatisfy(allowed.contains) else {
      throw .invalidName(name: name, reason: "use only letters, digits, \".\", \"_\" and \"-\" (no \"/\" or spaces)")
    }
  }

  private static func checkTarget(_ root: URL) throws(WorkspaceError) {
    guard POSIXFile.exists(root) else { return }
    if POSIXFile.exists(root.appendingPathComponent(WorkspaceConfigFile.fileName)) {
      throw .alreadyExists(path: root.path)
    }
    let contents = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? ["?"]
    if !contents.isEmpty { throw .folderNotEmpty(path: root.path) }
  }
}
