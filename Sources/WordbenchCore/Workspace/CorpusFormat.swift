import Foundation

/// How a corpus file is laid out.
public enum CorpusFormat: String, Codable, Sendable {
  /// One word per line.
  case text
  /// Tab-separated columns; a word column is chosen.
  case tsv
  /// Comma-separated columns (RFC 4180 quoting, one record per line); a word column is chosen.
  case csv

  /// `.tsv`/`.tab` files are TSV and `.csv` files CSV; anything else is plain text, or TSV when a column is named.
  public static func detect(path: String, columnGiven: Bool) -> CorpusFormat {
    switch URL(fileURLWithPath: path).pathExtension.lowercased() {
    case "tsv", "tab": .tsv
    case "csv": .csv
    default: columnGiven ? .tsv : .text
    }
  }

  /// Splits one line into the byte ranges of its fields; nil when a CSV quote is left open.
  func fields(of line: UnsafeRawBufferPointer) -> [Range<Int>]? {
    switch self {
    case .text: return [0..<line.count]
    case .tsv: return Self.split(line, separator: 0x09)
    case .csv: return Self.csvFields(line)
    }
  }

  /// The text of a field, with CSV quotes removed and doubled quotes undone.
  func fieldBytes(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> [UInt8] {
    let raw = Array(line[range])
    guard self == .csv else { return raw }
    let trimmed = Array(CorpusLine.trimASCIIWhitespace(UnsafeRawBufferPointer(rebasing: line[range])))
    guard trimmed.count >= 2, trimmed.first == 0x22, trimmed.last == 0x22 else { return raw }
    var out: [UInt8] = []
    var index = 1
    while index < trimmed.count - 1 {
      out.append(trimmed[index])
      index += trimmed[index] == 0x22 ? 2 : 1
    }
    return out
  }

  private static func split(_ line: UnsafeRawBufferPointer, separator: UInt8) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var start = 0
    for (index, byte) in line.enumerated() where byte == separator {
      ranges.append(start..<index)
      start = index + 1
    }
    ranges.append(start..<line.count)
    return ranges
  }

  private static func csvFields(_ line: UnsafeRawBufferPointer) -> [Range<Int>]? {
    var ranges: [Range<Int>] = []
    var start = 0
    var quoted = false
    for (index, byte) in line.enumerated() {
      if byte == 0x22 {
        quoted.toggle()
      } else if byte == 0x2C && !quoted {
        ranges.append(start..<index)
        start = index + 1
      }
    }
    if quoted { return nil }
    ranges.append(start..<line.count)
    return ranges
  }
}

/// Which column of a TSV or CSV file holds the words.
public enum CorpusColumn: Equatable, Sendable, CustomStringConvertible {
  /// A header name; the file's first line is its header.
  case name(String)
  /// A column number from 1; the file has no header line.
  case number(Int)

  /// `--column word` or `--column 2`.
  public init(parsing text: String) throws(CorpusError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if let number = Int(trimmed) {
      guard number >= 1 else { throw .invalidColumn(text) }
      self = .number(number)
    } else {
      guard !trimmed.isEmpty else { throw .invalidColumn(text) }
      self = .name(trimmed)
    }
  }

  public var description: String {
    switch self {
    case .name(let name): name
    case .number(let number): String(number)
    }
  }
}
