import Foundation

/// Why a text is not JSON, with the byte offset where reading stopped.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
  public var offset: Int
  public var reason: String

  public var description: String { "\(reason) at byte \(offset)" }
}

/// Which parts of a JSON text to read into a `JSONValue`. The parts left out are still checked as JSON, but nothing is
/// built for them: merge needs a dozen of the forty members of a result line, and building the others (a dictionary
/// and strings for each) was a third of the time it took to read one.
indirect enum JSONSelection: Sendable {
  /// The whole value.
  case everything
  /// Nothing: the value is checked and passed over.
  case nothing
  /// Of an object, the named members, each as its selection says (a repeated name: the last one counts); of an
  /// array, each element as this selection says; any other value whole.
  case members([(name: String, selection: JSONSelection)])

  var isNothing: Bool {
    if case .nothing = self { return true }
    return false
  }

  func member(_ name: String) -> JSONSelection {
    switch self {
    case .everything: return .everything
    case .nothing: return .nothing
    case .members(let members): return members.first { $0.name == name }?.selection ?? .nothing
    }
  }
}

/// A strict JSON reader (RFC 8259) straight from bytes into `JSONValue`. Result lines, request lines and entries
/// are read hundreds of thousands at a time; `JSONDecoder` into `JSONValue` spends most of its time building coding
/// paths for the types it tries and drops, and this is many times faster.
struct JSONParser {
  /// Deeper nesting than this is refused rather than risking the stack.
  static let maximumDepth = 512

  private let bytes: UnsafeRawBufferPointer
  private var position = 0
  private var depth = 0
  /// The members read so far of the objects being read, innermost last.
  private var members: [(String, JSONValue)] = []

  private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  /// The one value `bytes` hold, with only whitespace around it: the parts `selection` names, the rest checked.
  static func parse(
    _ bytes: UnsafeRawBufferPointer, selecting selection: JSONSelection = .everything
  ) throws(JSONParseError) -> JSONValue {
    var parser = JSONParser(bytes)
    let value = try parser.value(selection)
    parser.skipWhitespace()
    guard parser.position == bytes.count else { throw parser.error("unexpected text after the value") }
    return value
  }

  private func error(_ reason: String) -> JSONParseError { JSONParseError(offset: position, reason: reason) }

  private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

  private mutating func skipWhitespace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x09, 0x0A, 0x0D: position += 1
      default: return
      }
    }
  }

  /// The value at `position`; `.null` in place of one the selection leaves out.
  private mutating func value(_ selection: JSONSelection) throws(JSONParseError) -> JSONValue {
    skipWhitespace()
    guard let byte = current else { throw error("unexpected end of text") }
    switch byte {
    case UInt8(ascii: "{"): return try object(selection)
    case UInt8(ascii: "["): return try array(selection)
    case UInt8(ascii: "\""):
      if selection.isNothing {
        try string(keeping: false)
        return .null
      }
      return .string(try string())
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"): return try literal("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
    default: throw error("unexpected character")
    }
  }

  private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
    let count = word.utf8CodeUnitCount
    guard position + count <= bytes.count else { throw error("unexpected end of text") }
    for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] {
      throw error("unexpected character")
    }
    position += count
    return value
  }

  private mutating func nested() throws(JSONParseError) {
    depth += 1
    guard depth <= Self.maximumDepth else { throw error("nested deeper than \(Self.maximumDepth) levels") }
    position += 1
  }

  private mutating func object(_ selection: JSONSelection) throws(JSONParseError) -> JSONValue {
    try nested()
    skipWhitespace()
    if current == UInt8(ascii: "}") {
      position += 1
      depth -= 1
      return .object([:])
    }
    // Members are gathered on a stack shared by every object of the text, then put in a dictionary sized for them
    // at once: growing the dictionary member by member rehashes every key several times over.
    let start = members.count
    defer { members.removeSubrange(start...) }
    while true {
      skipWhitespace()
      guard current == UInt8(ascii: "\"") else { throw error("expected a member name") }
      let key = try string(keeping: !selection.isNothing)
      skipWhitespace()
      guard current == UInt8(ascii: ":") else { throw error("expected ':'") }
      position += 1
      let kept = selection.member(key)
      let value = try value(kept)
      if !kept.isNothing { members.append((key, value)) }
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "}"):
        position += 1
        depth -= 1
        var object = [String: JSONValue](minimumCapacity: members.count - start)
        // A repeated name: the last one counts.
        for (key, value) in members[start...] { object[key] = value }
        return .object(object)
      default: throw error("expected ',' or '}'")
      }
    }
  }

  private mutating func array(_ selection: JSONSelection) throws(JSONParseError) -> JSONValue {
    try nested()
    var elements: [JSONValue] = []
    skipWhitespace()
    if current == UInt8(ascii: "]") {
      position += 1
      depth -= 1
      return .array(elements)
    }
    while true {
      let element = try value(selection)
      if !selection.isNothing { elements.append(element) }
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "]"):
        position += 1
        depth -= 1
        return .array(elements)
      default: throw error("expected ',' or ']'")
      }
    }
  }

  /// A string literal starting at the quote. Runs without escapes are copied whole; the result must be UTF-8. Not
  /// `keeping` it, an ASCII string without escapes is only scanned.
  @discardableResult
  private mutating func string(keeping: Bool = true) throws(JSONParseError) -> String {
    position += 1
    let start = position
    var ascii = true
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        let run = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
        position += 1
        // ASCII needs no validation, and most strings are ASCII.
        if ascii { return keeping ? String(decoding: run, as: UTF8.self) : "" }
        guard let text = String(validating: run, as: UTF8.self) else { throw error("a string that is not UTF-8") }
        return text
      }
      if byte == UInt8(ascii: "\\") { break }
      guard byte >= 0x20 else { throw error("a control character in a string") }
      ascii = ascii && byte < 0x80
      position += 1
    }
    // Escapes: the runs between them are copied whole (an entry's JSON inside a result line escapes every quote).
    var decoded: [UInt8] = []
    decoded.reserveCapacity(position - start + 64)
    var run = start
    while true {
      guard let byte = current else { throw error("an unterminated string") }
      switch byte {
      case UInt8(ascii: "\""):
        decoded.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[run..<position]))
        position += 1
        if ascii { return String(decoding: decoded, as: UTF8.self) }
        guard let text = String(validating: decoded, as: UTF8.self) else { throw error("a string that is not UTF-8") }
        return text
      case UInt8(ascii: "\\"):
        decoded.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[run..<position]))
        position += 1
        try escape(into: &decoded)
        run = position
      case 0..<0x20: throw error("a control character in a string")
      default:
        ascii = ascii && byte < 0x80
        position += 1
      }
    }
  }

  private mutating func escape(into decoded: inout [UInt8]) throws(JSONParseError) {
    guard let byte = current else { throw error("an unterminated string") }
    position += 1
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
    case UInt8(ascii: "b"): decoded.append(0x08)
    case UInt8(ascii: "f"): decoded.append(0x0C)
    case UInt8(ascii: "n"): decoded.append(0x0A)
    case UInt8(ascii: "r"): decoded.append(0x0D)
    case UInt8(ascii: "t"): decoded.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = UInt32(try hex4())
      if (0xD800..<0xDC00).contains(scalar) {
        // A high surrogate must be followed by an escaped low one.
        guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u")
        else { throw error("a lone surrogate in a string") }
        position += 2
        let low = UInt32(try hex4())
        guard (0xDC00..<0xE000).contains(low) else { throw error("a lone surrogate in a string") }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00..<0xE000).contains(scalar) {
        throw error("a lone surrogate in a string")
      }
      decoded.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
    default: throw error("an unknown escape in a string")
    }
  }

  private mutating func hex4() throws(JSONParseError) -> UInt16 {
    guard position + 4 <= bytes.count else { throw error("an unterminated string") }
    var value: UInt16 = 0
    for _ in 0..<4 {
      let byte = bytes[position]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw error("a bad \\u escape")
      }
      value = value << 4 | UInt16(digit)
      position += 1
    }
    return value
  }

  /// A number in JSON's grammar. Whole numbers of up to 15 digits are read directly; the rest go through the
  /// standard library's correctly rounded conversion.
  private mutating func number() throws(JSONParseError) -> Double {
    let start = position
    var simple = true
    if current == UInt8(ascii: "-") { position += 1 }
    guard let first = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
      throw error("a number without digits")
    }
    var whole: Int64 = 0
    var digits = 0
    if first == UInt8(ascii: "0") {
      position += 1
    } else {
      while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
        whole = whole &* 10 &+ Int64(byte - UInt8(ascii: "0"))
        digits += 1
        position += 1
      }
    }
    if current == UInt8(ascii: ".") {
      simple = false
      position += 1
      try requireDigits()
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      simple = false
      position += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
      try requireDigits()
    }
    if simple && digits <= 15 {
      return bytes[start] == UInt8(ascii: "-") ? -Double(whole) : Double(whole)
    }
    let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    guard let value = Double(text), value.isFinite else { throw error("a number out of range") }
    return value
  }

  private mutating func requireDigits() throws(JSONParseError) {
    guard let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
      throw error("a number without digits")
    }
    while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
  }
}

extension JSONValue {
  /// Reads JSON text (see `JSONParser`).
  public init(parsing bytes: UnsafeRawBufferPointer) throws(JSONParseError) {
    self = try JSONParser.parse(bytes)
  }

  /// Reads the parts of JSON text that `selection` names; the rest is checked as JSON and left out.
  init(parsing bytes: UnsafeRawBufferPointer, selecting selection: JSONSelection) throws(JSONParseError) {
    self = try JSONParser.parse(bytes, selecting: selection)
  }

  public init(parsing data: Data) throws(JSONParseError) {
    self = try data.withUnsafeBytes { buffer in Result { () throws(JSONParseError) in try JSONParser.parse(buffer) } }
      .get()
  }

  public init(parsing bytes: [UInt8]) throws(JSONParseError) {
    self = try bytes.withUnsafeBytes { buffer in Result { () throws(JSONParseError) in try JSONParser.parse(buffer) } }
      .get()
  }

  public init(parsing text: String) throws(JSONParseError) {
    var text = text
    self = try text.withUTF8 { buffer in
      Result { () throws(JSONParseError) in try JSONParser.parse(UnsafeRawBufferPointer(buffer)) }
    }.get()
  }

  /// Compact JSON text: no whitespace, object keys sorted, whole numbers without a fraction; the style of
  /// `JSONCoding.encoder(pretty: false)`.
  public var compactText: String {
    var out: [UInt8] = []
    write(to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  func write(to out: inout [UInt8]) {
    switch self {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
    case .number(let value):
      if let whole = Int64(exactly: value) {
        out.append(contentsOf: String(whole).utf8)
      } else if value.isFinite {
        out.append(contentsOf: String(value).utf8)
      } else {
        out.append(contentsOf: "null".utf8)
      }
    case .string(let value): JSONString.append(value, to: &out)
    case .array(let elements):
      out.append(UInt8(ascii: "["))
      for (index, element) in elements.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        element.write(to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      out.append(UInt8(ascii: "{"))
      for (index, key) in members.keys.sorted().enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        JSONString.append(key, to: &out)
        out.append(UInt8(ascii: ":"))
        members[key]!.write(to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }
}
