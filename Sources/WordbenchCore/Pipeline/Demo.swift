import Foundation

/// What `wordbench demo` did.
public struct DemoResult: Codable, Equatable, Sendable {
  public var workspace: String
  /// True when the demo workspace was made by this run, false when an earlier one was reused.
  public var created: Bool
  public var imported: CorpusImportResult
  public var stats: CorpusStats
}

/// `wordbench demo`: the pipeline on the sample corpus. For now it sets up `workspaces/demo`, imports the sample
/// corpus and reports the corpus statistics; it grows with the pipeline.
public enum Demo {
  public static let workspaceName = "demo"

  /// Runs the demo in `workspaces/demo` under the current directory (or `root`), importing `sampleCorpus`.
  /// An existing demo workspace is reused, so the demo can be run again and again.
  public static func run(sampleCorpus: URL, root: String?, context: WordbenchContext) async throws -> DemoResult {
    let path = root ?? "\(WorkspaceCreator.defaultParent)/\(workspaceName)"
    let location = context.resolve(path)
    let created: Bool
    if POSIXFile.exists(location.appendingPathComponent(WorkspaceConfigFile.fileName)) {
      created = false
    } else {
      _ = try WorkspaceCreator.create(name: workspaceName, path: path, context: context)
      created = true
    }
    let imported = try await Corpus.importFiles(
      [sampleCorpus.path], column: nil, workspace: location.path, waitForLock: false, context: context)
    let stats = try Corpus.stats(workspace: location.path, context: context)
    return DemoResult(workspace: location.path, created: created, imported: imported, stats: stats)
  }
}
