import Foundation

/// Why one corpus line was not imported; recorded with its file and line in the import's rejects file.
public enum CorpusRejection: Error, Equatable, Sendable, CustomStringConvertible {
  case invalidUTF8(byteOffset: Int)
  case empty
  case tooLong(characters: Int)
  case lineTooLong(bytes: Int)
  case controlCharacter(scalar: UInt32, position: Int)
  case tabInPlainText
  case missingColumn(column: Int, fields: Int)
  case unbalancedQuote

  public var description: String {
    switch self {
    case .invalidUTF8(let offset): "invalid UTF-8 at byte \(offset + 1) of the line"
    case .empty: "empty line"
    case .tooLong(let count): "longer than \(CorpusLine.maxCharacters) characters (\(count))"
    case .lineTooLong(let bytes): "line of \(bytes) bytes is far too long for a word"
    case .controlCharacter(let scalar, let position):
      "control or invisible character \(CorpusLine.codePoint(scalar)) at character \(position)"
    case .tabInPlainText: "contains a tab; for a TSV file choose the column with --column"
    case .missingColumn(let column, let fields): "has \(fields) field(s), no column \(column)"
    case .unbalancedQuote: "unbalanced quote (multi-line CSV fields are not supported)"
    }
  }

  /// A short stable name for the rejects file and JSON output.
  public var code: String {
    switch self {
    case .invalidUTF8: "invalid_utf8"
    case .empty: "empty"
    case .tooLong, .lineTooLong: "too_long"
    case .controlCharacter: "control_character"
    case .tabInPlainText: "tab_in_plain_text"
    case .missingColumn: "missing_column"
    case .unbalancedQuote: "unbalanced_quote"
    }
  }
}

/// The rules that turn one raw line (or field) into a corpus word: valid UTF-8, trimmed, no control or invisible
/// characters, at most 200 characters, in Unicode NFC.
public enum CorpusLine {
  public static let maxCharacters = 200

  /// The word of a field's bytes, or why it is rejected.
  public static func word(from bytes: UnsafeRawBufferPointer, plainText: Bool) -> Result<String, CorpusRejection> {
    let trimmed = trimASCIIWhitespace(bytes)
    if isASCII(trimmed) { return asciiWord(trimmed, plainText: plainText) }
    guard let text = String(validating: trimmed, as: UTF8.self) else {
      return .failure(.invalidUTF8(byteOffset: firstInvalidOffset(bytes)))
    }
    return unicodeWord(text, plainText: plainText)
  }

  /// The common case, pure ASCII, checked byte by byte without building intermediate strings.
  private static func asciiWord(_ bytes: UnsafeRawBufferPointer, plainText: Bool) -> Result<String, CorpusRejection> {
    if bytes.isEmpty { return .failure(.empty) }
    for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x7F {
      if byte == 0x09 && plainText { return .failure(.tabInPlainText) }
      return .failure(.controlCharacter(scalar: UInt32(byte), position: index + 1))
    }
    if bytes.count > maxCharacters { return .failure(.tooLong(characters: bytes.count)) }
    return .success(String(decoding: bytes, as: UTF8.self))
  }

  private static func unicodeWord(_ decoded: String, plainText: Bool) -> Result<String, CorpusRejection> {
    let text = trimUnicodeWhitespace(decoded)
    if text.isEmpty { return .failure(.empty) }
    var alreadyNFC = true
    for (index, scalar) in text.unicodeScalars.enumerated() {
      if isForbidden(scalar) {
        if scalar == "\t" && plainText { return .failure(.tabInPlainText) }
        return .failure(.controlCharacter(scalar: scalar.value, position: index + 1))
      }
      // Every scalar below U+0300 (Latin, with its precomposed accented letters) is stable under NFC.
      if scalar.value >= 0x300 { alreadyNFC = false }
    }
    let normalized = alreadyNFC ? text : text.precomposedStringWithCanonicalMapping
    let count = normalized.count
    if count > maxCharacters { return .failure(.tooLong(characters: count)) }
    return .success(normalized)
  }

  /// Removes Unicode white space (no-break spaces, ideographic spaces, ...) from both ends; ASCII white space is
  /// already gone by then, so this rarely finds anything.
  static func trimUnicodeWhitespace(_ text: String) -> String {
    let scalars = text.unicodeScalars
    guard scalars.first?.properties.isWhitespace == true || scalars.last?.properties.isWhitespace == true else {
      return text
    }
    let start = scalars.firstIndex { !$0.properties.isWhitespace } ?? scalars.endIndex
    let end = scalars.lastIndex { !$0.properties.isWhitespace }.map(scalars.index(after:)) ?? start
    return start < end ? String(scalars[start..<end]) : ""
  }

  /// Control characters, and invisible format characters that would make two words look the same while differing;
  /// the zero-width joiners that emoji and some scripts need are allowed.
  static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .control, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse: return true
    case .format: return scalar.value != 0x200C && scalar.value != 0x200D
    default: return scalar.value == 0xFFFD
    }
  }

  static func trimASCIIWhitespace(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    var start = 0
    var end = bytes.count
    while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
    while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
    return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
  }

  static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
    bytes.allSatisfy { $0 < 0x80 }
  }

  static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int {
    var offset = 0
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while case .scalarValue(let scalar) = decoder.decode(&iterator) {
      offset += UTF8.width(scalar)
    }
    return offset
  }

  static func codePoint(_ value: UInt32) -> String { String(format: "U+%04X", value) }
}
