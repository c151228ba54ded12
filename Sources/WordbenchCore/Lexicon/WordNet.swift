import Foundation

/// A WordNet database in the WNDB layout (`index.*`, `data.*`, `*.exc`, `cntlist.rev`), read from a folder:
/// Debian's `wordnet-base` puts WordNet 3.0 in `/usr/share/wordnet`, and Open English WordNet's releases use the
/// same layout.
///
/// What lemmatization needs (which words are lemmas of which part of speech, how often each was sense-tagged, the
/// exception lists) is loaded at once into one hash table; senses are read from `data.*` on demand, found through
/// the sorted `index.*` files.
public struct WordNet: Sendable {
  public static let defaultDirectory = "/usr/share/wordnet"

  public let directory: URL
  let lemmas: LemmaTable
  /// The `index.*` files' bytes by part of speech ordinal, for finding a lemma's synsets.
  let indexFiles: [SortedTextFile]
  /// Inflected form to (part of speech, base forms); a form mapped to itself blocks the suffix rules.
  let exceptions: [String: [(PartOfSpeech, [String])]]

  /// Loads the folder; a missing folder or file, or a file that is not WordNet's, is a clear error.
  public static func load(from directory: URL) throws -> WordNet {
    var lemmas = LemmaTable(expectedCount: 150_000)
    var indexFiles: [SortedTextFile] = []
    var exceptions: [String: [(PartOfSpeech, [String])]] = [:]
    for pos in PartOfSpeech.allCases {
      let indexURL = directory.appendingPathComponent("index.\(pos.fileName)")
      let file = SortedTextFile(bytes: try read(indexURL, in: directory), separator: 0x20)
      var added = 0
      file.forEachKey { key in
        lemmas.add(key, pos)
        added += 1
      }
      guard added > 0 else {
        throw LexiconError.wordNetCorrupt(file: indexURL.path, line: nil, reason: "it holds no lemmas")
      }
      indexFiles.append(file)
      let exceptionURL = directory.appendingPathComponent("\(pos.fileName).exc")
      for (form, bases) in try loadExceptions(exceptionURL, in: directory) {
        exceptions[form, default: []].append((pos, bases))
      }
    }
    let countsURL = directory.appendingPathComponent("cntlist.rev")
    if let data = FileManager.default.contents(atPath: countsURL.path) { addTagCounts([UInt8](data), to: &lemmas) }
    return WordNet(directory: directory, lemmas: lemmas, indexFiles: indexFiles, exceptions: exceptions)
  }

  /// True when `word` is a lemma of `pos` (spaces are looked up as WordNet's underscores).
  public func isLemma(_ word: String, _ pos: PartOfSpeech) -> Bool {
    lemmas.entry(Self.key(word))?.has(pos) ?? false
  }

  /// The parts of speech `word` is a lemma of.
  public func partsOfSpeech(of word: String) -> [PartOfSpeech] {
    guard let entry = lemmas.entry(Self.key(word)) else { return [] }
    return PartOfSpeech.allCases.filter(entry.has)
  }

  /// The base forms an exception list gives for `word`, or nil when the list has no entry for it.
  public func exceptionBases(of word: String, _ pos: PartOfSpeech) -> [String]? {
    exceptions[Self.key(word)]?.first { $0.0 == pos }?.1.map { $0.replacingCharacter("_", with: " ") }
  }

  /// Every exception-list entry for `word`: part of speech and base forms.
  func exceptionEntries(of word: String) -> [(PartOfSpeech, [String])] {
    exceptions[Self.key(word)] ?? []
  }

  /// True when an exception list has an entry for `word` as `pos` (which keeps the detachment rules off).
  func hasException(_ word: String, _ pos: PartOfSpeech) -> Bool {
    exceptions[Self.key(word)]?.contains { $0.0 == pos } ?? false
  }

  /// How often `word` was tagged as `pos` in the semantic concordance (0 when never, or without `cntlist.rev`).
  public func tagCount(of word: String, _ pos: PartOfSpeech) -> Int {
    lemmas.entry(Self.key(word))?.tagCount(pos) ?? 0
  }

  /// The lemmas of one part of speech, in file order; for building word lists in tests and benchmarks.
  public func lemmas(_ pos: PartOfSpeech) -> [String] {
    var result: [String] = []
    indexFiles[pos.ordinal].forEachKey { result.append(String(decoding: $0, as: UTF8.self)) }
    return result
  }

  /// WordNet writes spaces in lemmas as underscores.
  static func key(_ word: String) -> String {
    word.replacingCharacter(" ", with: "_")
  }

  static func read(_ url: URL, in directory: URL) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw LexiconError.wordNetMissing(directory: directory.path, file: url.lastPathComponent)
    }
    return [UInt8](data)
  }

  /// `<pos>.exc`: a form, then its base forms, per line; a form listed twice takes the later line.
  static func loadExceptions(_ url: URL, in directory: URL) throws -> [String: [String]] {
    let text = String(decoding: try read(url, in: directory), as: UTF8.self)
    var table: [String: [String]] = [:]
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
      if fields.isEmpty { continue }
      guard fields.count >= 2 else {
        throw LexiconError.wordNetCorrupt(file: url.path, line: number + 1, reason: "a form without a base form")
      }
      table[fields[0]] = Array(fields.dropFirst())
    }
    return table
  }

  /// `cntlist.rev`: `sense_key sense_number tag_count` per line (`year%1:28:01:: 1 450`), summed per lemma and
  /// part of speech (the digit after `%`: 1 noun, 2 verb, 3 and 5 adjective, 4 adverb).
  static func addTagCounts(_ bytes: [UInt8], to lemmas: inout LemmaTable) {
    bytes.withUnsafeBufferPointer { buffer in
      var start = 0
      while start < buffer.count {
        var end = start
        while end < buffer.count && buffer[end] != 0x0A { end += 1 }
        let line = UnsafeBufferPointer(rebasing: buffer[start..<end])
        start = end + 1
        guard let percent = line.firstIndex(of: UInt8(ascii: "%")), percent + 1 < line.count,
          let lastSpace = line.lastIndex(of: 0x20)
        else { continue }
        let pos: PartOfSpeech
        switch line[percent + 1] {
        case UInt8(ascii: "1"): pos = .noun
        case UInt8(ascii: "2"): pos = .verb
        case UInt8(ascii: "3"), UInt8(ascii: "5"): pos = .adjective
        case UInt8(ascii: "4"): pos = .adverb
        default: continue
        }
        var count = 0
        for byte in line[(lastSpace + 1)...] where byte >= 0x30 && byte <= 0x39 {
          count = count * 10 + Int(byte - 0x30)
        }
        lemmas.add(UnsafeBufferPointer(rebasing: line[0..<percent]), pos, tags: count, insert: false)
      }
    }
  }
}

/// A text file whose lines are sorted by their first field, searched in place by bisection on line boundaries
/// (WordNet's own `bin_search`): no index is built, so loading costs only the read.
struct SortedTextFile: Sendable {
  let bytes: [UInt8]
  let separator: UInt8

  /// The line whose key is `key`, without its newline.
  func line(for key: String) -> ArraySlice<UInt8>? {
    let key = Array(key.utf8)
    var low = 0
    var high = bytes.count
    while low < high {
      let middle = (low + high) / 2
      var start = middle
      while start > 0 && bytes[start - 1] != 0x0A { start -= 1 }
      var end = start
      while end < bytes.count && bytes[end] != 0x0A { end += 1 }
      let line = bytes[start..<end]
      if line.first == 0x20 || line.isEmpty {
        low = end + 1
        continue
      }
      let lineKey = line.prefix { $0 != separator }
      if lineKey.elementsEqual(key) { return line }
      if lineKey.lexicographicallyPrecedes(key) { low = end + 1 } else { high = start }
    }
    return nil
  }

  /// The key of every data line, in file order.
  func forEachKey(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    bytes.withUnsafeBufferPointer { buffer in
      var start = 0
      while start < buffer.count {
        var end = start
        var keyEnd = -1
        while end < buffer.count && buffer[end] != 0x0A {
          if keyEnd < 0 && buffer[end] == separator { keyEnd = end }
          end += 1
        }
        if end > start, buffer[start] != 0x20, buffer[start] != 0x0D {
          body(UnsafeBufferPointer(rebasing: buffer[start..<(keyEnd < 0 ? end : keyEnd)]))
        }
        start = end + 1
      }
    }
  }
}
