import Foundation

/// What `wordbench retry` did.
public struct RetryReport: Codable, Sendable {
  public var run: String
  /// The new run made from the words to try again, if any.
  public var prepared: PrepareReport?
  public var retried: [String]
  /// Words that reached the attempt limit, with their last reason.
  public var quarantined: [String: String]
  /// Words of the retry list that have an entry by now (from another run).
  public var alreadyDone: [String]

  enum CodingKeys: String, CodingKey {
    case run, prepared, retried, quarantined
    case alreadyDone = "already_done"
  }
}

/// `wordbench retry`: a new run from a merged run's retry list (merge/retry.txt: the requests that failed or were
/// rejected for a reason worth another try), with the same model and batch size. A word that has failed
/// `maxAttempts` times is quarantined with its last reason instead, and left out until someone looks.
public enum Retry {
  public static let defaultMaxAttempts = 3

  public static func run(
    _ runName: String?, maxAttempts: Int = defaultMaxAttempts, workspace path: String?, context: WordbenchContext
  ) async throws -> RetryReport {
    let workspace = try Workspace.locate(explicit: path, context: context)
    let run = try RemoteRun.open(runName, workspace: workspace)
    let manifest = await run.manifest
    guard manifest.state(of: .merge) != .pending else { throw PipelineError.notMerged(run: run.folder.id.name) }
    let retryURL = run.folder.url.appendingPathComponent("merge/retry.txt")
    let listed = (try? String(contentsOf: retryURL, encoding: .utf8)) ?? ""
    var reasons: [String: String] = [:]
    for line in listed.split(separator: "\n") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard fields.count >= 3 else { continue }
      reasons[String(fields[1])] = String(fields[2])
    }
    let words = try RunWriter.readWords(run.folder)
    let store = try DictionaryStore(workspace: workspace)
    var report = RetryReport(run: run.folder.id.name, retried: [], quarantined: [:], alreadyDone: [])
    var items: [WordSelection.Item] = []
    for (word, corpusWords) in words where reasons[word.word] != nil {
      if try store.hasEntry(word.word) {
        report.alreadyDone.append(word.word)
      } else if try store.failedAttempts(of: word.word) >= maxAttempts {
        report.quarantined[word.word] = reasons[word.word]
        try store.setStatus(.quarantined, of: corpusWords + [word.word])
      } else {
        items.append(WordSelection.Item(headword: word.word, lemma: word.lemma, corpusWords: corpusWords))
        report.retried.append(word.word)
      }
    }
    guard !items.isEmpty else { return report }
    var options = PrepareOptions()
    options.items = items
    options.model = manifest.parameters["model"]?.string
    if case .number(let size)? = manifest.parameters["batch_size"] { options.batchSize = Int(size) }
    report.prepared = try await Prepare.run(options: options, workspace: path, context: context)
    return report
  }
}
