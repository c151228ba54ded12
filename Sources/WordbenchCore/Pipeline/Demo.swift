import Foundation

/// What `wordbench demo` did.
public struct DemoResult: Codable, Sendable {
  public var workspace: String
  /// True when the demo workspace was made by this run, false when an earlier one was reused.
  public var created: Bool
  public var imported: CorpusImportResult
  public var stats: CorpusStats
  /// What the workspace's filter preset keeps of the sample corpus.
  public var filter: FilterReport?
  /// The cost of the sample corpus with the workspace's preset and model.
  public var estimate: EstimateReport
  /// The run prepared from the next words; nil when every word is already in a run.
  public var prepared: PrepareReport?
  /// The run sent to the provider the context points at (the CLI starts the emulator), watched and fetched.
  public var uploaded: UploadReport?
  public var status: StatusReport?
  public var fetched: FetchReport?
  public var merged: MergeReport?
  /// The first three merged words, looked up in the store.
  public var lookups: [LookupReport] = []
  /// The run, packed into runs/rNNNN.tar.zst once merged.
  public var archived: ArchivedRun?
  /// Seconds the demo took, from the import to the archive.
  public var seconds: Double?
}

/// `wordbench demo`: the pipeline on the sample corpus. It sets up `workspaces/demo`, imports the sample corpus,
/// reports its statistics, filter and estimate, prepares a run of the next words in several shards and, when the
/// context points at a provider (the CLI starts the built-in emulator), uploads it, watches it, fetches and merges
/// the results, looks up three entries and archives the run.
public enum Demo {
  public static let workspaceName = "demo"
  /// Words per demo run, in shards of `batchSize`.
  public static let runWords = 200
  public static let batchSize = 50
  /// Between status checks; the demo's emulator runs fast, so a batch takes a fraction of a second.
  static let pollInterval: Duration = .milliseconds(200)

  /// Runs the demo in `workspaces/demo` under the current directory (or `root`), importing `sampleCorpus`.
  /// An existing demo workspace is reused, so the demo can be run again and again.
  /// The entries shown at the end.
  public static let shownEntries = 3

  public static func run(sampleCorpus: URL, root: String?, context: WordbenchContext) async throws -> DemoResult {
    let started = context.clock.now()
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
    let preset = try Workspace.locate(explicit: location.path, context: context).config.filter.preset
    let filter = try CorpusFilter.run(
      options: FilterOptions(preset: preset), limit: 5, explain: [], output: nil, workspace: location.path,
      context: context)
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
    var result = DemoResult(
      workspace: location.path, created: created, imported: imported, stats: stats, filter: filter,
      estimate: estimate, prepared: prepared)
    if let prepared, context.environment["OPENAI_BASE_URL"] != nil {
      result.uploaded = try await Upload.run(
        prepared.run, options: UploadOptions(), workspace: location.path, context: context)
      result.status = try await Status.watch(
        prepared.run, interval: pollInterval, workspace: location.path, context: context
      ) { _ in }
      result.fetched = try await Fetch.run(
        prepared.run, options: FetchOptions(), workspace: location.path, context: context)
      result.merged = try await Merge.run(
        prepared.run, options: MergeOptions(), workspace: location.path, context: context)
      let runs = RunStore(folder: location.appendingPathComponent("runs"))
      if let id = RunID(parsing: prepared.run) {
        for (word, _) in try RunWriter.readWords(try runs.open(id)) {
          let lookup = try Lookup.word(word.word, workspace: location.path, context: context)
          if lookup.entry != nil { result.lookups.append(lookup) }
          if result.lookups.count == shownEntries { break }
        }
      }
      var archive = ArchiveOptions()
      archive.runs = [prepared.run]
      result.archived = try await RunArchiver.archive(options: archive, workspace: location.path, context: context)
        .archived.first
    }
    result.seconds = context.clock.now().timeIntervalSince(started)
    return result
  }
}
