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
    for part in pos.map({ [$0] }) ?? PartOfSpeech.allCases {
      guard let line = indexFiles[part.ordinal].line(for: Self.key(word)) else { continue }
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
    let url = directory.appendingPathComponent("data.\(pos.fileName)")
    let line =
      try synsetFiles.map { try Self.line(in: $0[pos.ordinal], at: offset, file: url) } ?? readLine(url, at: offset)
    guard let synset = Synset(line: line, pos: pos), synset.offset == offset else {
      throw LexiconError.wordNetCorrupt(file: url.path, line: nil, reason: "no synset at byte offset \(offset)")
    }
    return synset
  }

  /// The line at `offset` of a data file held in memory.
  private static func line(in bytes: [UInt8], at offset: Int, file: URL) throws -> [UInt8] {
    guard offset >= 0, offset < bytes.count else {
      throw LexiconError.wordNetCorrupt(file: file.path, line: nil, reason: "no synset at byte offset \(offset)")
    }
    let end = bytes[offset...].firstIndex(of: 0x0A) ?? bytes.count
    return Array(bytes[offset..<end])
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
    let text = String(decoding: line, as: UTF8.self)
    let parts = text.split(separator: "|", maxSplits: 1)
    let fields = parts[0].split(separator: " ").map(String.init)
    guard fields.count >= 4, let offset = Int(fields[0]), let wordCount = Int(fields[3], radix: 16) else { return nil }
    var index = 4
    var words: [String] = []
    for _ in 0..<wordCount {
      guard index + 1 < fields.count else { return nil }
      words.append(Self.cleanWord(fields[index]))
      index += 2
    }
    guard index < fields.count, let pointerCount = Int(fields[index]) else { return nil }
    index += 1
    var antonyms: [(Int, Int, PartOfSpeech, Int)] = []
    for _ in 0..<pointerCount {
      guard index + 3 < fields.count else { return nil }
      if fields[index] == "!", let target = Int(fields[index + 1]),
        let targetPOS = Self.partOfSpeech(tag: fields[index + 2]),
        let sourceTarget = Int(fields[index + 3], radix: 16)
      {
        antonyms.append((sourceTarget >> 8, target, targetPOS, sourceTarget & 0xFF))
      }
      index += 4
    }
    self.offset = offset
    self.pos = pos
    self.words = words
    antonymPointers = antonyms
    gloss = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
  }

  /// The sense as seen from `word`: its synonyms are the other words, its antonyms those pointed at from it.
  func sense(for word: String, wordNet: WordNet) -> WordSense {
    let position = (words.firstIndex { $0.caseInsensitiveCompare(word) == .orderedSame } ?? -1) + 1
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
      synonyms: words.filter { $0.caseInsensitiveCompare(word) != .orderedSame }, antonyms: antonyms)
  }

  /// A gloss is `definition; "example"; "example"`.
  static func split(gloss: String) -> (String, [String]) {
    guard let quote = gloss.firstIndex(of: "\"") else { return (gloss, []) }
    let definition = gloss[..<quote].trimmingCharacters(in: CharacterSet(charactersIn: " ;"))
    let examples = gloss[quote...].split(separator: "\"").map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty && $0 != ";" }
    return (definition, examples)
  }

  /// `good_person` → `good person`; adjective markers like `(a)`, `(ip)` are dropped.
  static func cleanWord(_ raw: String) -> String {
    var word = raw
    if let paren = word.firstIndex(of: "("), word.hasSuffix(")") { word = String(word[..<paren]) }
    return word.replacingCharacter("_", with: " ")
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
