import Foundation

/// What `wordbench demo` did.
public struct DemoResult: Codable, Sendable {
  public var workspace: String
  /// True when the demo workspace was made by this run, false when an earlier one was reused.
  public var created: Bool
  public var imported: CorpusImportResult
  public var stats: CorpusStats
  /// The cost of the sample corpus with the workspace's preset and model.
  public var estimate: EstimateReport
  /// The run prepared from the next words; nil when every word is already in a run.
  public var prepared: PrepareReport?
}

/// `wordbench demo`: the pipeline on the sample corpus. For now it sets up `workspaces/demo`, imports the sample
/// corpus, reports its statistics and estimate, and prepares a run of the next words; it grows with the pipeline.
public enum Demo {
  public static let workspaceName = "demo"
  /// Words per demo run, in shards of `batchSize`.
  public static let runWords = 200
  public static let batchSize = 50

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
    let estimate = try Estimate.run(options: EstimateOptions(), workspace: location.path, context: context)
    var options = PrepareOptions()
    options.words = runWords
    options.batchSize = batchSize
    var prepared: PrepareReport?
    do {
      prepared = try await Prepare.run(options: options, workspace: location.path, context: context)
    } catch RequestError.noWords {
      prepared = nil
    }
    return DemoResult(
      workspace: location.path, created: created, imported: imported, stats: stats, estimate: estimate,
      prepared: prepared)
  }
}
