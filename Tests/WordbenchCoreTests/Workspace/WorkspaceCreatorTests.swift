import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("Workspace creation and discovery")
struct WorkspaceCreatorTests {
  @Test("init creates the documented layout with private permissions")
  func createsLayout() throws {
    let test = TestContext()
    let workspace = try WorkspaceCreator.create(name: "lexicon", model: "gpt-4.1-mini", context: test.context())
    #expect(workspace.root.path == test.folder.file("workspaces/lexicon").path)
    for folder in ["corpus", "corpus/imports", "runs", "store"] {
      #expect(POSIXFile.isDirectory(workspace.root.appendingPathComponent(folder)), "\(folder)")
    }
    #expect(workspace.config.provider.model == "gpt-4.1-mini")
    let mode = try FileManager.default.attributesOfItem(atPath: workspace.root.path)[.posixPermissions] as? Int
    #expect(mode == 0o700)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: test.folder.file("workspaces").path)
    #expect(leftovers == ["lexicon"])
  }

  @Test("init refuses to overwrite a workspace or fill a non-empty folder")
  func refusesOverwrite() throws {
    let test = TestContext()
    _ = try test.workspace("one")
    #expect(throws: WorkspaceError.alreadyExists(path: test.folder.file("workspaces/one").path)) {
      try WorkspaceCreator.create(name: "one", context: test.context())
    }
    try test.folder.write("busy/notes.txt", "mine")
    #expect(throws: WorkspaceError.folderNotEmpty(path: test.folder.file("busy").path)) {
      try WorkspaceCreator.create(name: "two", path: "busy", context: test.context())
    }
    #expect(try test.folder.read("busy/notes.txt") == "mine")
  }

  @Test("init into an existing empty folder with --path")
  func emptyFolder() throws {
    let test = TestContext()
    try FileManager.default.createDirectory(at: test.folder.file("empty"), withIntermediateDirectories: true)
    let workspace = try WorkspaceCreator.create(name: "x", path: "empty", context: test.context())
    #expect(POSIXFile.exists(workspace.configURL))
  }

  @Test(
    "names that are not plain are refused",
    arguments: ["", "../escape", "a/b", ".hidden", "..", "with space", String(repeating: "n", count: 65)])
  func badNames(_ name: String) {
    let test = TestContext()
    #expect {
      try WorkspaceCreator.create(name: name, context: test.context())
    } throws: { error in
      guard case WorkspaceError.invalidName = error else { return false }
      return true
    }
  }

  @Test("discovery: --workspace, then WORDBENCH_WORKSPACE, then the current folder")
  func discoveryOrder() throws {
    let test = TestContext()
    let first = try test.workspace("first")
    let second = try test.workspace("second")
    let env = ["WORDBENCH_WORKSPACE": second.root.path]
    let withEnvironment = test.context(environment: env)
    #expect(try WorkspaceLocator.locate(explicit: first.root.path, context: withEnvironment).path == first.root.path)
    #expect(try WorkspaceLocator.locate(explicit: "first", context: withEnvironment).path == first.root.path)
    #expect(try WorkspaceLocator.locate(explicit: nil, context: withEnvironment).path == second.root.path)
    var inside = test.context()
    inside.currentDirectory = first.root
    #expect(try WorkspaceLocator.locate(explicit: nil, context: inside).path == first.root.path)
  }

  @Test("discovery failures say how to create a workspace")
  func discoveryErrors() throws {
    let test = TestContext()
    #expect(throws: WorkspaceError.notFound) { try WorkspaceLocator.locate(explicit: nil, context: test.context()) }
    #expect(WorkspaceError.notFound.description.contains("wordbench init NAME"))
    let missing = test.folder.file("nowhere").path
    #expect(throws: WorkspaceError.noWorkspaceAt(path: missing, source: "WORDBENCH_WORKSPACE")) {
      try WorkspaceLocator.locate(explicit: nil, context: test.context(environment: ["WORDBENCH_WORKSPACE": missing]))
    }
  }

  @Test("opening a workspace with a broken configuration reports the file and line")
  func brokenConfig() throws {
    let test = TestContext()
    let workspace = try test.workspace()
    try Data("[limits]\nmax_concurrent_batches = 0\n".utf8).write(to: workspace.configURL)
    #expect {
      try Workspace.open(at: workspace.root)
    } throws: { error in
      (error as? WorkspaceError)?.description.contains("workspace.toml:2: limits.max_concurrent_batches") == true
    }
  }
}
