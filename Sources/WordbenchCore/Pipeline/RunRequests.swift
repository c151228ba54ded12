import Foundation

/// The requests of a run by number. A custom_id is the run's name, a dash and the request's 1-based line in
/// `words.tsv` zero-padded to six digits (`RunWord.customID(run:)`), so merge finds each result line's word by
/// reading that number back rather than by hashing the string in a table of every request of the run.
struct RunRequests: Sendable {
  typealias Listed = (word: RunWord, corpusWords: [String])

  private let prefix: [UInt8]
  /// Slot n - 1 holds request n; nil where `words.tsv` has no line numbered n.
  private let words: [Listed?]
  /// How many requests the run has.
  let count: Int

  /// Reads the run's `words.tsv`, which prepare numbers 1 to N.
  init(_ folder: RunFolder) throws {
    try self.init(run: folder.id, words: try RunWriter.readWords(folder)) { number in
      let path = folder.url.appendingPathComponent(Prepare.wordsFileName).path
      return WorkspaceError.invalidManifest(
        path: path, reason: "word number \(number) is outside 1 to the number of lines; prepare a new run")
    }
  }

  /// `outside` makes the error for a word numbered below 1 or above the number of words: a damaged file, which would
  /// otherwise size the table by its largest number.
  init(run: RunID, words listed: [Listed], outside: (Int) -> any Error) throws {
    prefix = Array("\(run)-".utf8)
    var words = [Listed?](repeating: nil, count: listed.count)
    for entry in listed {
      guard (1...listed.count).contains(entry.word.index) else { throw outside(entry.word.index) }
      words[entry.word.index - 1] = entry
    }
    self.words = words
    count = words.lazy.filter { $0 != nil }.count
  }

  /// The highest request number; numbers run from 1.
  var highest: Int { words.count }

  subscript(number: Int) -> Listed? { words[number - 1] }

  /// The number of the request `customID` names, when it is one of this run's in exactly the form `customID(run:)`
  /// writes: the run's name, a dash, and at least six digits with no zero in front beyond the padding.
  func number(of customID: String) -> Int? {
    var utf8 = customID.utf8.makeIterator()
    for byte in prefix where utf8.next() != byte { return nil }
    var number = 0
    var digits = 0
    var leadingZero = false
    while let byte = utf8.next() {
      guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), digits < 9 else { return nil }
      if digits == 0 { leadingZero = byte == UInt8(ascii: "0") }
      number = number * 10 + Int(byte - UInt8(ascii: "0"))
      digits += 1
    }
    guard digits >= 6, digits == 6 || !leadingZero, number >= 1, number <= words.count, words[number - 1] != nil
    else { return nil }
    return number
  }
}
