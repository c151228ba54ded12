import Foundation

/// A value read from a TOML file.
public enum TOMLValue: Equatable, Sendable {
  case string(String)
  case integer(Int64)
  case float(Double)
  case boolean(Bool)
  case array([TOMLValue])

  /// The TOML name of the value's type, for error messages.
  public var typeName: String {
    switch self {
    case .string: "string"
    case .integer: "integer"
    case .float: "float"
    case .boolean: "boolean"
    case .array: "array"
    }
  }
}

/// A key and its value, with the line it stands on.
public struct TOMLEntry: Equatable, Sendable {
  public var key: String
  public var value: TOMLValue
  public var line: Int
}

/// A `[section]` and its entries in file order; the root table has the name `""`.
public struct TOMLTable: Equatable, Sendable {
  public var name: String
  public var line: Int
  public var entries: [TOMLEntry]
}

/// The subset of TOML 1.0 that configuration files need: tables, bare and quoted keys, basic and literal strings,
/// integers, floats, booleans and arrays (which may span lines), with comments anywhere.
///
/// Anything else (inline tables, arrays of tables, dotted keys, multi-line strings, dates) is refused with an error
/// that names the line and says what to write instead, rather than being misread.
public struct TOMLDocument: Equatable, Sendable {
  public var tables: [TOMLTable]

  /// A syntax error: the line and column (1-based) and what is wrong.
  public struct SyntaxError: Error, Equatable, Sendable {
    public var line: Int
    public var column: Int
    public var message: String
  }

  public static func parse(_ text: String) throws(SyntaxError) -> TOMLDocument {
    var parser = TOMLParser(bytes: Array(text.utf8))
    return try parser.parseDocument()
  }

  public func table(named name: String) -> TOMLTable? {
    tables.first { $0.name == name }
  }
}

/// A recursive-descent parser over the UTF-8 bytes of the file.
private struct TOMLParser {
  let bytes: [UInt8]
  var index = 0
  var line = 1
  var lineStart = 0

  init(bytes: [UInt8]) { self.bytes = bytes }

  var current: UInt8? { index < bytes.count ? bytes[index] : nil }

  func fail(_ message: String) -> TOMLDocument.SyntaxError {
    TOMLDocument.SyntaxError(line: line, column: index - lineStart + 1, message: message)
  }

  mutating func parseDocument() throws(TOMLDocument.SyntaxError) -> TOMLDocument {
    var tables = [TOMLTable(name: "", line: 1, entries: [])]
    while true {
      skipBlank()
      guard let byte = current else { break }
      if byte == UInt8(ascii: "[") {
        let header = try parseTableHeader()
        if tables.contains(where: { $0.name == header.name }) {
          throw TOMLDocument.SyntaxError(
            line: header.line, column: 1, message: "table [\(header.name)] is defined twice")
        }
        tables.append(header)
      } else {
        let entryLine = line
        let key = try parseKey()
        skipSpaces()
        guard current == UInt8(ascii: "=") else {
          if current == UInt8(ascii: ".") {
            throw fail("dotted keys are not supported; put \"\(key)\" under a [section] header instead")
          }
          throw fail("expected \"=\" after the key \"\(key)\"")
        }
        index += 1
        skipSpaces()
        let value = try parseValue()
        if tables[tables.count - 1].entries.contains(where: { $0.key == key }) {
          throw TOMLDocument.SyntaxError(line: entryLine, column: 1, message: "the key \"\(key)\" is set twice")
        }
        tables[tables.count - 1].entries.append(TOMLEntry(key: key, value: value, line: entryLine))
      }
      try expectEndOfLine()
    }
    return TOMLDocument(tables: tables)
  }

  mutating func parseTableHeader() throws(TOMLDocument.SyntaxError) -> TOMLTable {
    let headerLine = line
    index += 1
    if current == UInt8(ascii: "[") {
      throw fail("arrays of tables ([[...]]) are not supported in this file")
    }
    var parts: [String] = []
    repeat {
      if current == UInt8(ascii: ".") { index += 1 }
      skipSpaces()
      parts.append(try parseKey())
      skipSpaces()
    } while current == UInt8(ascii: ".")
    guard current == UInt8(ascii: "]") else { throw fail("expected \"]\" to close the table header") }
    index += 1
    return TOMLTable(name: parts.joined(separator: "."), line: headerLine, entries: [])
  }

  mutating func parseKey() throws(TOMLDocument.SyntaxError) -> String {
    guard let byte = current else { throw fail("expected a key") }
    if byte == UInt8(ascii: "\"") { return try parseBasicString() }
    if byte == UInt8(ascii: "'") { return try parseLiteralString() }
    let start = index
    while let c = current, Self.isBareKeyByte(c) { index += 1 }
    if start == index {
      throw fail("expected a key (letters, digits, \"_\" or \"-\"), found \(Self.show(byte))")
    }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  mutating func parseValue() throws(TOMLDocument.SyntaxError) -> TOMLValue {
    guard let byte = current else { throw fail("expected a value after \"=\"") }
    switch byte {
    case UInt8(ascii: "\""): return .string(try parseBasicString())
    case UInt8(ascii: "'"): return .string(try parseLiteralString())
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "{"): throw fail("inline tables are not supported; use a [section] header")
    default: return try parseScalar()
    }
  }

  mutating func parseArray() throws(TOMLDocument.SyntaxError) -> TOMLValue {
    index += 1
    var items: [TOMLValue] = []
    while true {
      skipBlank()
      guard let byte = current else { throw fail("the array is not closed with \"]\"") }
      if byte == UInt8(ascii: "]") {
        index += 1
        return .array(items)
      }
      items.append(try parseValue())
      skipBlank()
      if current == nil {
        throw fail("the array is not closed with \"]\"")
      } else if current == UInt8(ascii: ",") {
        index += 1
      } else if current != UInt8(ascii: "]") {
        throw fail("expected \",\" or \"]\" in the array")
      }
    }
  }

  mutating func parseScalar() throws(TOMLDocument.SyntaxError) -> TOMLValue {
    let start = index
    while let c = current, !Self.endsScalar(c) { index += 1 }
    let word = String(decoding: bytes[start..<index], as: UTF8.self)
    switch word {
    case "true": return .boolean(true)
    case "false": return .boolean(false)
    default: break
    }
    let digits = word.replacingOccurrences(of: "_", with: "")
    if !word.hasPrefix("_"), !word.hasSuffix("_"), !word.contains("__") {
      if let integer = Int64(digits) { return .integer(integer) }
      if digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }),
        digits.last?.isNumber == true, let float = Double(digits)
      {
        return .float(float)
      }
    }
    index = start
    if word.contains(":") || word.contains("-") && word.first?.isNumber == true {
      throw fail("dates and times must be written as quoted strings, for example \"\(word)\"")
    }
    if word.isEmpty { throw fail("expected a value after \"=\"") }
    throw fail("\"\(word)\" is not a value; strings need quotes, for example \"\(word)\"")
  }

  mutating func parseBasicString() throws(TOMLDocument.SyntaxError) -> String {
    if bytes[index...].starts(with: Array("\"\"\"".utf8)) {
      throw fail("multi-line strings are not supported in this file")
    }
    index += 1
    var result: [UInt8] = []
    while true {
      guard let byte = current, byte != 0x0A else { throw fail("the string is not closed with a quote") }
      index += 1
      switch byte {
      case UInt8(ascii: "\""):
        return String(decoding: result, as: UTF8.self)
      case UInt8(ascii: "\\"):
        result.append(contentsOf: try parseEscape())
      default:
        if byte < 0x20 && byte != 0x09 { throw fail("control characters must be escaped in strings") }
        result.append(byte)
      }
    }
  }

  mutating func parseEscape() throws(TOMLDocument.SyntaxError) -> [UInt8] {
    guard let byte = current else { throw fail("the string is not closed with a quote") }
    index += 1
    switch byte {
    case UInt8(ascii: "b"): return [0x08]
    case UInt8(ascii: "t"): return [0x09]
    case UInt8(ascii: "n"): return [0x0A]
    case UInt8(ascii: "f"): return [0x0C]
    case UInt8(ascii: "r"): return [0x0D]
    case UInt8(ascii: "\""): return [0x22]
    case UInt8(ascii: "\\"): return [0x5C]
    case UInt8(ascii: "u"), UInt8(ascii: "U"):
      let count = byte == UInt8(ascii: "u") ? 4 : 8
      guard index + count <= bytes.count,
        let code = UInt32(String(decoding: bytes[index..<index + count], as: UTF8.self), radix: 16),
        let scalar = Unicode.Scalar(code)
      else { throw fail("invalid unicode escape") }
      index += count
      return Array(String(Character(scalar)).utf8)
    default:
      throw fail("unknown escape \\\(Self.show(byte)) in the string")
    }
  }

  mutating func parseLiteralString() throws(TOMLDocument.SyntaxError) -> String {
    if bytes[index...].starts(with: Array("'''".utf8)) {
      throw fail("multi-line strings are not supported in this file")
    }
    index += 1
    let start = index
    while let byte = current, byte != UInt8(ascii: "'") {
      if byte == 0x0A { throw fail("the string is not closed with a quote") }
      index += 1
    }
    guard current != nil else { throw fail("the string is not closed with a quote") }
    defer { index += 1 }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  /// After a header or an entry only spaces and a comment may follow on the line.
  mutating func expectEndOfLine() throws(TOMLDocument.SyntaxError) {
    skipSpaces()
    skipComment()
    guard let byte = current else { return }
    if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
    guard current == 0x0A else { throw fail("unexpected \(Self.show(byte)) after the value; one entry per line") }
    newline()
  }

  /// Skips spaces, comments and line breaks.
  mutating func skipBlank() {
    while let byte = current {
      switch byte {
      case 0x20, 0x09, 0x0D: index += 1
      case 0x0A: newline()
      case UInt8(ascii: "#"): skipComment()
      default: return
      }
    }
  }

  mutating func skipSpaces() {
    while let byte = current, byte == 0x20 || byte == 0x09 { index += 1 }
  }

  mutating func skipComment() {
    guard current == UInt8(ascii: "#") else { return }
    while let byte = current, byte != 0x0A { index += 1 }
  }

  mutating func newline() {
    index += 1
    line += 1
    lineStart = index
  }

  static func isBareKeyByte(_ c: UInt8) -> Bool {
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
  }

  static func endsScalar(_ c: UInt8) -> Bool {
    c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: "#") || c == UInt8(ascii: ",")
      || c == UInt8(ascii: "]")
  }

  static func show(_ byte: UInt8) -> String {
    byte >= 0x21 && byte < 0x7F ? "\"\(Character(Unicode.Scalar(byte)))\"" : "byte 0x\(String(byte, radix: 16))"
  }
}
