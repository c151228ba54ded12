import Foundation

/// The corpus operations behind `wordbench corpus ...`: each opens the workspace, takes the lock when it writes, and
/// returns its report as data.
public enum Corpus {
  /// `wordbench corpus import`.
  public static func importFiles(
    _ files: [String], column: String?, workspace path: String?, waitForLock: Bool, context: WordbenchContext
  ) async throws -> CorpusImportResult {
    let column = try column.map(CorpusColumn.init(parsing:))
    let workspace = try Workspace.locate(explicit: path, context: context)
    return try await workspace.withLock(command: "corpus import", wait: waitForLock, context: context) {
      let store = try DictionaryStore(workspace: workspace)
      return try CorpusImporter(workspace: workspace, store: store, context: context).importFiles(files, column: column)
    }
  }

  /// `wordbench corpus stats`; reads a consistent snapshot, so it needs no lock.
  public static func stats(workspace path: String?, context: WordbenchContext) throws -> CorpusStats {
    let workspace = try Workspace.locate(explicit: path, context: context)
    return try DictionaryStore(workspace: workspace).corpusStats()
  }
}

extension Corpus {
  /// Every corpus word, in import order. `corpus/words.txt` is read when it agrees with the store (it is rewritten
  /// after every import, and reading it is many times faster than a row per word); otherwise the store is the truth.
  static func words(of workspace: Workspace, store: DictionaryStore) throws -> WordList {
    let expected = try store.wordCount()
    // The store holds each word once, so the list's words are distinct.
    // Mapped, not read: the lines are split straight from the page cache. The file is only ever replaced whole
    // (renamed over), so the mapping stays valid.
    if let file = MappedFile(workspace.corpusWordsURL), let list = WordList(lines: file, distinct: true),
      list.count == expected
    {
      return list
    }
    var words: [String] = []
    words.reserveCapacity(expected)
    try store.forEachWord { words.append($0) }
    return WordList(words, distinct: true)
  }
}

/// The run listing behind `wordbench runs`.
public enum Runs {
  public static func list(workspace path: String?, context: WordbenchContext) throws -> [RunSummary] {
    RunStore(workspace: try Workspace.locate(explicit: path, context: context)).list()
  }
}
