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
  /// Inflected form, by its table hash, to an index into `exceptionList`: (part of speech, base forms) entries.
  /// A form mapped to itself blocks the suffix rules.
  let exceptionIndex: HashedTable<Int32>
  let exceptionList: [[(PartOfSpeech, [String])]]
  /// The `data.*` files' bytes by part of speech ordinal once `loadingSynsets()` has read them; else senses are
  /// read from disk one synset at a time.
  var synsetFiles: [[UInt8]]? = nil

  /// Loads the folder; a missing folder or file, or a file that is not WordNet's, is a clear error. The lemma table
  /// comes from `cache` when it holds one built from the same files.
  public static func load(from directory: URL, cache: LexiconCache? = nil) throws -> WordNet {
    var indexFiles: [SortedTextFile] = []
    var exceptions: [String: [(PartOfSpeech, [String])]] = [:]
    for pos in PartOfSpeech.allCases {
      let indexURL = directory.appendingPathComponent("index.\(pos.fileName)")
      let file = SortedTextFile(file: try map(indexURL, in: directory), separator: 0x20)
      guard file.hasData else {
        throw LexiconError.wordNetCorrupt(file: indexURL.path, line: nil, reason: "it holds no lemmas")
      }
      indexFiles.append(file)
      let exceptionURL = directory.appendingPathComponent("\(pos.fileName).exc")
      for (form, bases) in try loadExceptions(exceptionURL, in: directory) {
        exceptions[form, default: []].append((pos, bases))
      }
    }
    let countsURL = directory.appendingPathComponent("cntlist.rev")
    let nounsURL = directory.appendingPathComponent("data.noun")
    let sources =
      PartOfSpeech.allCases.map { directory.appendingPathComponent("index.\($0.fileName)") } + [countsURL, nounsURL]
    let lemmas = try LemmaTable.load(cache: cache ?? LexiconCache(environment: [:]), sources: sources) {
      try buildLemmaTable(indexFiles, countsURL: countsURL, nounsURL: nounsURL, in: directory)
    }
    var exceptionIndex = HashedTable<Int32>(expectedCount: exceptions.count, empty: -1)
    var exceptionList: [[(PartOfSpeech, [String])]] = []
    for (form, entries) in exceptions {
      let index = Int32(exceptionList.count)
      exceptionList.append(entries)
      exceptionIndex.upsert(hash: HashedTable<Int32>.hash(form), insert: { index }, update: { _ in })
    }
    return WordNet(
      directory: directory, lemmas: lemmas, indexFiles: indexFiles,
      // Every word is looked up, and few have an entry.
      exceptionIndex: exceptionIndex.filtered(by: exceptionIndex.presenceFilter()),
      exceptionList: exceptionList)
  }

  /// This WordNet with all `data.*` files in memory (about 25 MB), for looking up the senses of many words.
  public func loadingSynsets() throws -> WordNet {
    var copy = self
    copy.synsetFiles = try PartOfSpeech.allCases.map { pos in
      try Self.read(directory.appendingPathComponent("data.\(pos.fileName)"), in: directory)
    }
    return copy
  }

  /// Every lemma of the index files with its parts of speech, the tag counts of `cntlist.rev` when present, and
  /// which nouns are names (from the synsets of `data.noun`).
  static func buildLemmaTable(_ indexFiles: [SortedTextFile], countsURL: URL, nounsURL: URL, in directory: URL)
    throws -> LemmaTable
  {
    var lemmas = LemmaTable(expectedCount: 150_000)
    for (pos, file) in zip(PartOfSpeech.allCases, indexFiles) {
      file.forEachKey { key in lemmas.add(key, pos) }
    }
    if let bytes = FileBytes.read(countsURL) { addTagCounts(bytes, to: &lemmas) }
    let nouns = try map(nounsURL, in: directory)
    let pluralForm = indexFiles[PartOfSpeech.noun.ordinal].line(for: "plural_form").flatMap(onlySynset)
    try addNounSenses(
      nouns.bytes.assumingMemoryBound(to: UInt8.self), of: nounsURL, pluralForm: pluralForm, to: &lemmas)
    return lemmas
  }

  /// The synset offset of an index line with exactly one synset (its last field).
  private static func onlySynset(_ line: ArraySlice<UInt8>) -> [UInt8]? {
    let fields = line.split(separator: 0x20)
    return fields.count >= 3 && fields[2] == [0x31] ? Array(fields[fields.count - 1]) : nil
  }

  /// `data.noun`: `offset lex_filenum n w_cnt word lex_id ... p_cnt pointer...` per synset. Each member word gets
  /// `commonSense` when written in lowercase, `classSense` when the synset has no instance pointer (`@i`), and
  /// `singularSense` when the synset is not in the usage domain of `pluralForm` (the synset of WordNet's "plural
  /// form", which marks plural-only senses such as tights and tongs). Each also gets the synset's lexicographer file.
  static func addNounSenses(
    _ buffer: UnsafeBufferPointer<UInt8>, of url: URL, pluralForm: [UInt8]?, to lemmas: inout LemmaTable
  ) throws {
    var key: [UInt8] = []
    try buffer.forEachLine { line, number in
      // The licence header is indented.
      guard let first = line.first, first != 0x20, first != 0x0D else { return }
      guard let synset = NounSynsetLine(line, pluralForm: pluralForm) else {
        throw LexiconError.wordNetCorrupt(file: url.path, line: number, reason: "not a synset line")
      }
      let classSense =
        (synset.isInstance ? 0 : LemmaTable.Entry.classSense)
        | (synset.isPluralForm ? 0 : LemmaTable.Entry.singularSense)
      for word in synset.words {
        key.removeAll(keepingCapacity: true)
        var capitalized = false
        for byte in word {
          let upper = byte >= 0x41 && byte <= 0x5A
          capitalized = capitalized || upper
          key.append(upper ? byte | 0x20 : byte)
        }
        let senses = classSense | (capitalized ? 0 : LemmaTable.Entry.commonSense)
        key.withUnsafeBufferPointer { lemmas.addNounSenses($0, senses, file: synset.fileBit) }
      }
    }
  }

  /// True when `word` is a lemma of `pos` (spaces are looked up as WordNet's underscores).
  public func isLemma(_ word: String, _ pos: PartOfSpeech) -> Bool {
    lemmas.entry(Self.key(word))?.has(pos) ?? false
  }

  /// The parts of speech `word` is a lemma of.
  public func partsOfSpeech(of word: String) -> [PartOfSpeech] {
    guard let entry = lemmas.entry(Self.key(word)) else { return [] }
    return PartOfSpeech.sets[Int(entry.parts)]
  }

  /// The base forms an exception list gives for `word`, or nil when the list has no entry for it.
  public func exceptionBases(of word: String, _ pos: PartOfSpeech) -> [String]? {
    exceptionEntries(of: word).first { $0.0 == pos }?.1.map { $0.replacingCharacter("_", with: " ") }
  }

  /// Every exception-list entry for `word`: part of speech and base forms.
  func exceptionEntries(of word: String) -> [(PartOfSpeech, [String])] {
    exceptionEntries(hash: HashedTable<Int32>.hash(Self.key(word)))
  }

  /// `exceptionEntries` by the table hash of the word's WordNet spelling.
  func exceptionEntries(hash: UInt64) -> [(PartOfSpeech, [String])] {
    exceptionIndex.value(forHash: hash).map { exceptionList[Int($0)] } ?? []
  }

  /// How often `word` was tagged as `pos` in the semantic concordance (0 when never, or without `cntlist.rev`).
  public func tagCount(of word: String, _ pos: PartOfSpeech) -> Int {
    lemmas.entry(Self.key(word))?.tagCount(pos) ?? 0
  }

  /// WordNet writes spaces in lemmas as underscores.
  static func key(_ word: String) -> String {
    word.replacingCharacter(" ", with: "_")
  }

  static func map(_ url: URL, in directory: URL) throws -> MappedFile {
    guard let file = MappedFile(url) else {
      throw LexiconError.wordNetMissing(directory: directory.path, file: url.lastPathComponent)
    }
    return file
  }

  static func read(_ url: URL, in directory: URL) throws -> [UInt8] {
    guard let bytes = FileBytes.read(url) else {
      throw LexiconError.wordNetMissing(directory: directory.path, file: url.lastPathComponent)
    }
    return bytes
  }

  /// `<pos>.exc`: a form, then its base forms, per line; a form listed twice takes the later line.
  static func loadExceptions(_ url: URL, in directory: URL) throws -> [String: [String]] {
    let bytes = try read(url, in: directory)
    var table: [String: [String]] = [:]
    var line = 0
    var start = 0
    while start < bytes.count {
      line += 1
      var end = start
      while end < bytes.count && bytes[end] != 0x0A { end += 1 }
      let fields = bytes[start..<end].split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
      start = end + 1
      if fields.isEmpty { continue }
      guard fields.count >= 2 else {
        throw LexiconError.wordNetCorrupt(file: url.path, line: line, reason: "a form without a base form")
      }
      table[String(decoding: fields[0], as: UTF8.self)] = fields.dropFirst().map { String(decoding: $0, as: UTF8.self) }
    }
    return table
  }

  /// `cntlist.rev`: `sense_key sense_number tag_count` per line (`year%1:28:01:: 1 450`), summed per lemma and
  /// part of speech (the digit after `%`: 1 noun, 2 verb, 3 and 5 adjective, 4 adverb).
  static func addTagCounts(_ bytes: [UInt8], to lemmas: inout LemmaTable) {
    bytes.withUnsafeBufferPointer { buffer in
      buffer.forEachLine { line, _ in
        guard let percent = line.firstIndex(of: UInt8(ascii: "%")), percent + 1 < line.count,
          let lastSpace = line.lastIndex(of: 0x20)
        else { return }
        let pos: PartOfSpeech
        switch line[percent + 1] {
        case UInt8(ascii: "1"): pos = .noun
        case UInt8(ascii: "2"): pos = .verb
        case UInt8(ascii: "3"), UInt8(ascii: "5"): pos = .adjective
        case UInt8(ascii: "4"): pos = .adverb
        default: return
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

/// The fields of a `data.noun` synset line that tell names, plural-only senses and kinds of thing apart: its member
/// words, its lexicographer file, whether it is an instance, and whether it is in the usage domain of the synset
/// `pluralForm` (`;u` pointer to it).
struct NounSynsetLine {
  var words: [UnsafeBufferPointer<UInt8>] = []
  /// The synset's lexicographer file as a bit (`1 << lex_filenum`); noun files are numbered 3 to 28.
  var fileBit: UInt32 = 0
  var isInstance = false
  var isPluralForm = false

  /// Nil for a line that is not a synset. Fields are read one at a time up to the pointers; the gloss is skipped.
  init?(_ line: UnsafeBufferPointer<UInt8>, pluralForm: [UInt8]? = nil) {
    var position = 0
    func field() -> UnsafeBufferPointer<UInt8>? {
      while position < line.count && line[position] == 0x20 { position += 1 }
      let start = position
      while position < line.count && line[position] != 0x20 { position += 1 }
      return position > start ? UnsafeBufferPointer(rebasing: line[start..<position]) : nil
    }
    func number(_ text: UnsafeBufferPointer<UInt8>?, radix: Int) -> Int? {
      guard let text else { return nil }
      return Int(String(decoding: text, as: UTF8.self), radix: radix)
    }
    // synset_offset, lex_filenum, ss_type, then the word count in hex.
    guard field() != nil, let file = number(field(), radix: 10), (0..<32).contains(file), field() != nil,
      let wordCount = number(field(), radix: 16)
    else { return nil }
    fileBit = 1 << UInt32(file)
    for _ in 0..<wordCount {
      guard let word = field(), field() != nil else { return nil }
      words.append(word)
    }
    guard let pointerCount = number(field(), radix: 10) else { return nil }
    for _ in 0..<pointerCount {
      guard let symbol = field(), let target = field(), field() != nil, field() != nil else { return nil }
      guard symbol.count == 2 else { continue }
      if symbol[0] == UInt8(ascii: "@") && symbol[1] == UInt8(ascii: "i") { isInstance = true }
      if symbol[0] == UInt8(ascii: ";") && symbol[1] == UInt8(ascii: "u"), let pluralForm,
        target.elementsEqual(pluralForm)
      {
        isPluralForm = true
      }
    }
  }
}

/// A text file whose lines are sorted by their first field, searched in place by bisection on line boundaries
/// (WordNet's own `bin_search`): no index is built, so loading costs only the read.
struct SortedTextFile: Sendable {
  let file: MappedFile
  let separator: UInt8

  private var bytes: UnsafeRawBufferPointer { file.bytes }

  /// True when the file has at least one data line (not just a licence header).
  var hasData: Bool {
    var start = 0
    while start < bytes.count {
      if bytes[start] != 0x20 && bytes[start] != 0x0A && bytes[start] != 0x0D { return true }
      while start < bytes.count && bytes[start] != 0x0A { start += 1 }
      start += 1
    }
    return false
  }

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
      if lineKey.elementsEqual(key) { return ArraySlice(line) }
      if lineKey.lexicographicallyPrecedes(key) { low = end + 1 } else { high = start }
    }
    return nil
  }

  /// The key of every data line, in file order.
  func forEachKey(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    let buffer = bytes.assumingMemoryBound(to: UInt8.self)
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
