import Foundation

/// A set of stop words: words too common or too empty to deserve a dictionary entry of their own.
public struct StopWords: Sendable {
  public let words: Set<String>
  /// The same words by table hash, for the filter's per-entry check.
  let hashed: HashedTable<Bool>

  /// The built-in lists, by the name a workspace uses for them.
  public static let builtIn: [String: String] = [
    "fox": "stopwords-fox-421",
    "nltk-179": "stopwords-nltk-english-179",
    "nltk-198": "stopwords-nltk-english-198",
  ]

  public init(words: Set<String>) {
    self.words = words
    var hashed = HashedTable<Bool>(expectedCount: words.count, empty: false)
    for word in words { _ = hashed.insertIfAbsent(hash: HashedTable<Bool>.hash(word), true) }
    self.hashed = hashed
  }

  /// The union of built-in lists and of files (one word per line, `#` comments).
  public static func load(lists: [String], files: [URL]) throws -> StopWords {
    var words = Set<String>()
    for name in lists {
      guard let resource = builtIn[name],
        let url = Bundle.module.url(forResource: resource, withExtension: "txt", subdirectory: "Resources")
      else { throw LexiconError.stopListUnknown(name: name, known: builtIn.keys.sorted()) }
      words.formUnion(try parse(url))
    }
    for file in files {
      guard FileManager.default.isReadableFile(atPath: file.path) else {
        throw LexiconError.stopListUnreadable(path: file.path)
      }
      words.formUnion(try parse(file))
    }
    return StopWords(words: words)
  }

  public func contains(_ word: String) -> Bool { words.contains(word) }

  static func parse(_ url: URL) throws -> [String] {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw LexiconError.stopListUnreadable(path: url.path)
    }
    return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
      .filter { !$0.isEmpty && !$0.hasPrefix("#") }
  }
}
