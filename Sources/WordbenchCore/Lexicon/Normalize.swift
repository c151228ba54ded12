import Foundation

/// `wordbench normalize`: the lemma and reason of every word of a file (plumbing for inspection and scripts).
public enum Normalize {
  /// Normalizes each non-empty line of `input`, calling `emit` with each batch, in order, as it goes. A workspace is used when one is given or
  /// found (for its WordNet folder); without one the defaults apply.
  public static func run(
    input: URL, workspace path: String?, context: WordbenchContext, emit: ([Normalization]) throws -> Void
  ) throws {
    let lexicon = try Lexicon.load(workspace: try optionalWorkspace(path, context: context), context: context)
    var batch: [String] = []
    func flush() throws {
      if !batch.isEmpty { try emit(lexicon.lemmatizer.normalizeAll(batch)) }
      batch.removeAll(keepingCapacity: true)
    }
    try LineReader(url: input).forEachLine { number, line in
      guard case .bytes(let bytes) = line else {
        context.progress.notice(Notice("\(input.path):\(number): a line of over 64 KB is not a word; skipped"))
        return
      }
      let word = String(decoding: CorpusLine.trimASCIIWhitespace(bytes), as: UTF8.self)
      if word.isEmpty { return }
      batch.append(word)
      if batch.count == batchSize { try flush() }
    }
    try flush()
  }

  /// Words normalized together on all cores; the output streams batch by batch.
  static let batchSize = 65_536

  /// The workspace if one is given or found; none is fine for commands that only read the lexicon.
  static func optionalWorkspace(_ path: String?, context: WordbenchContext) throws -> Workspace? {
    do {
      return try Workspace.locate(explicit: path, context: context)
    } catch WorkspaceError.notFound {
      return nil
    }
  }
}
