import Foundation

/// One sense of a word: a WordNet synset seen from that word.
public struct WordSense: Codable, Equatable, Sendable {
  public var partOfSpeech: PartOfSpeech
  /// The definition, without the examples.
  public var gloss: String
  public var examples: [String]
  /// The other words of the synset.
  public var synonyms: [String]
  /// Words WordNet marks as antonyms of this word in this sense.
  public var antonyms: [String]

  enum CodingKeys: String, CodingKey {
    case gloss, examples, synonyms, antonyms
    case partOfSpeech = "part_of_speech"
  }
}

extension WordNet {
  /// The senses of `word` in WordNet's order (most frequent first), for every part of speech or only `pos`.
  public func senses(of word: String, pos: PartOfSpeech? = nil, limit: Int = .max) throws -> [WordSense] {
    var senses: [WordSense] = []
    let key = Self.key(word.lowercased())
    // The lemma table knows in which index files the word is, so words WordNet lacks cost one hash lookup.
    guard let entry = lemmas.entry(hash: HashedTable<Int>.hash(key)) else { return [] }
    for part in pos.map({ [$0] }) ?? PartOfSpeech.allCases where entry.has(part) {
      guard let line = indexFiles[part.ordinal].line(for: key) else { continue }
      for offset in Self.synsetOffsets(indexLine: line) {
        guard senses.count < limit else { return senses }
        let synset = try readSynset(part, offset: offset)
        senses.append(synset.sense(for: word, wordNet: self))
      }
    }
    return senses
  }

  /// The synset offsets at the end of an index line:
  /// `lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...`.
  static func synsetOffsets(indexLine: ArraySlice<UInt8>) -> [Int] {
    let fields = indexLine.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
    guard fields.count >= 4, let synsetCount = Int(fields[2]), let pointerCount = Int(fields[3]) else { return [] }
    let first = 4 + pointerCount + 2
    guard fields.count >= first + synsetCount else { return [] }
    return fields[first..<first + synsetCount].compactMap { Int($0) }
  }

  func readSynset(_ pos: PartOfSpeech, offset: Int) throws -> Synset {
    // The file's URL is made only when needed: building it costs more than parsing the line held in memory.
    func url() -> URL { directory.appendingPathComponent("data.\(pos.fileName)") }
    let line: [UInt8]
    if let synsetFiles {
      let bytes = synsetFiles[pos.ordinal]
      let start = min(max(0, offset), bytes.count)
      line = Array(bytes[start..<(bytes[start...].firstIndex(of: 0x0A) ?? bytes.count)])
    } else {
      line = try readLine(url(), at: offset)
    }
    guard let synset = Synset(line: line, pos: pos), synset.offset == offset else {
      throw LexiconError.wordNetCorrupt(file: url().path, line: nil, reason: "no synset at byte offset \(offset)")
    }
    return synset
  }

  /// The line at `offset` of a data file, read with `pread`.
  private func readLine(_ url: URL, at offset: Int) throws -> [UInt8] {
    let fd = open(url.path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw LexiconError.wordNetMissing(directory: directory.path, file: url.lastPathComponent) }
    defer { close(fd) }
    var line: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    var position = off_t(offset)
    while true {
      let count = pread(fd, &chunk, chunk.count, position)
      if count <= 0 { break }
      if let newline = chunk[0..<count].firstIndex(of: 0x0A) {
        line.append(contentsOf: chunk[0..<newline])
        break
      }
      line.append(contentsOf: chunk[0..<count])
      position += off_t(count)
    }
    return line
  }
}

/// A synset as read from a `data.*` line:
/// `offset lex_filenum ss_type w_cnt word lex_id ... p_cnt [ptr offset pos source/target]... | gloss`.
struct Synset {
  var offset: Int
  var pos: PartOfSpeech
  var words: [String]
  /// Antonym pointers: the source word number (1-based, 0 for the whole synset) and the target.
  var antonymPointers: [(source: Int, targetOffset: Int, targetPOS: PartOfSpeech, targetWord: Int)]
  var gloss: String

  init?(line: [UInt8], pos: PartOfSpeech) {
    // Parsed on bytes: prepare reads the senses of hundreds of thousands of words.
    let bar = line.firstIndex(of: UInt8(ascii: "|")) ?? line.count
    let fields = line[..<bar].split(separator: 0x20)
    func number(_ field: ArraySlice<UInt8>, radix: Int = 10) -> Int? {
      Int(String(decoding: field, as: UTF8.self), radix: radix)
    }
    guard fields.count >= 4, let offset = number(fields[0]), let wordCount = number(fields[3], radix: 16) else {
      return nil
    }
    var index = 4
    var words: [String] = []
    for _ in 0..<wordCount {
      guard index + 1 < fields.count else { return nil }
      words.append(Self.cleanWord(fields[index]))
      index += 2
    }
    guard index < fields.count, let pointerCount = number(fields[index]) else { return nil }
    index += 1
    var antonyms: [(Int, Int, PartOfSpeech, Int)] = []
    for _ in 0..<pointerCount {
      guard index + 3 < fields.count else { return nil }
      if fields[index].elementsEqual([UInt8(ascii: "!")]), let target = number(fields[index + 1]),
        let targetPOS = Self.partOfSpeech(tag: fields[index + 2]),
        let sourceTarget = number(fields[index + 3], radix: 16)
      {
        antonyms.append((sourceTarget >> 8, target, targetPOS, sourceTarget & 0xFF))
      }
      index += 4
    }
    self.offset = offset
    self.pos = pos
    self.words = words
    antonymPointers = antonyms
    gloss = bar < line.count ? Self.trimmed(line[(bar + 1)...], trimming: [0x20]) : ""
  }

  /// The bytes without leading and trailing bytes of `trimming`, as text.
  static func trimmed(_ bytes: ArraySlice<UInt8>, trimming: [UInt8]) -> String {
    let start = bytes.firstIndex { !trimming.contains($0) } ?? bytes.endIndex
    let end = bytes.lastIndex { !trimming.contains($0) }.map { $0 + 1 } ?? start
    return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
  }

  /// The sense as seen from `word`: its synonyms are the other words, its antonyms those pointed at from it.
  func sense(for word: String, wordNet: WordNet) -> WordSense {
    let folded = word.lowercased()
    let position = (words.firstIndex { $0.lowercased() == folded } ?? -1) + 1
    var antonyms: [String] = []
    for pointer in antonymPointers where pointer.source == 0 || pointer.source == position {
      if let target = try? wordNet.readSynset(pointer.targetPOS, offset: pointer.targetOffset),
        pointer.targetWord >= 1, pointer.targetWord <= target.words.count
      {
        antonyms.append(target.words[pointer.targetWord - 1])
      }
    }
    let (definition, examples) = Self.split(gloss: gloss)
    return WordSense(
      partOfSpeech: pos, gloss: definition, examples: examples,
      synonyms: words.filter { $0.lowercased() != folded }, antonyms: antonyms)
  }

  /// A gloss is `definition; "example"; "example"`.
  static func split(gloss: String) -> (String, [String]) {
    let bytes = Array(gloss.utf8)
    guard let quote = bytes.firstIndex(of: UInt8(ascii: "\"")) else { return (gloss, []) }
    let definition = trimmed(bytes[..<quote], trimming: [0x20, UInt8(ascii: ";")])
    let examples = bytes[quote...].split(separator: UInt8(ascii: "\"")).map { trimmed($0, trimming: [0x20]) }
      .filter { !$0.isEmpty && $0 != ";" }
    return (definition, examples)
  }

  /// `good_person` → `good person`; adjective markers like `(a)`, `(ip)` are dropped.
  static func cleanWord(_ raw: ArraySlice<UInt8>) -> String {
    var word = raw
    if word.last == UInt8(ascii: ")"), let paren = word.firstIndex(of: UInt8(ascii: "(")) { word = word[..<paren] }
    return String(decoding: word.map { $0 == UInt8(ascii: "_") ? 0x20 : $0 }, as: UTF8.self)
  }

  static func partOfSpeech(tag: ArraySlice<UInt8>) -> PartOfSpeech? {
    tag.count == 1 ? partOfSpeech(tag: String(decoding: tag, as: UTF8.self)) : nil
  }

  static func partOfSpeech(tag: String) -> PartOfSpeech? {
    switch tag {
    case "n": .noun
    case "v": .verb
    case "a", "s": .adjective
    case "r": .adverb
    default: nil
    }
  }
}
