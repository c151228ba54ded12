import Foundation

/// The JSON schema of one dictionary entry (`templates/entry.schema.json`), checked against the rules of OpenAI's
/// strict structured outputs before any request carries it.
public struct EntrySchema: Sendable {
  public static let fileName = "entry.schema.json"
  /// The `json_schema.name` of the response format when the schema has no usable `title`.
  public static let defaultName = "dictionary_entry"

  /// The parsed schema, for validating entries.
  public let root: JSONValue
  /// The schema as compact JSON with the file's key order, as every request line embeds it.
  public let compactJSON: String
  /// The `json_schema.name`: the schema's `title` when it is a valid name, else `dictionary_entry`.
  public let name: String
  /// sha256 of the file's bytes, recorded in each run's manifest.
  public let sha256: String

  /// Reads and checks the schema at `url`.
  public static func load(_ url: URL) throws(RequestError) -> EntrySchema {
    guard let bytes = FileBytes.read(url) else {
      throw .unreadable(file: url.path, reason: "missing or not readable; `wordbench init` writes the default one")
    }
    return try EntrySchema(bytes: bytes, file: url.path)
  }

  public init(bytes: [UInt8], file: String) throws(RequestError) {
    let root: JSONValue
    do {
      root = try JSONValue(parsing: bytes)
    } catch {
      throw .schema(file: file, path: "", reason: "not valid JSON: \(JSONCoding.describe(error))")
    }
    var checker = StrictSchemaChecker(file: file)
    try checker.checkRoot(root)
    self.root = root
    compactJSON = Self.compact(bytes)
    if case .object(let object) = root, case .string(let title)? = object["title"], Self.isValidName(title) {
      name = title
    } else {
      name = Self.defaultName
    }
    sha256 = SHA256.hex(bytes)
  }

  /// `^[a-zA-Z0-9_-]{1,64}$`, the rule for response-format names and custom ids.
  static func isValidName(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.count <= 64
      && text.utf8.allSatisfy { byte in
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x5F || byte == 0x2D
      }
  }

  /// Valid JSON without the whitespace between tokens; strings, numbers and key order stay as written.
  static func compact(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var inString = false
    var escaped = false
    for byte in bytes {
      if inString {
        out.append(byte)
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
      } else if byte == UInt8(ascii: "\"") {
        inString = true
        out.append(byte)
      } else if ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains(byte) {
        // Outside strings only ASCII can occur in valid JSON; the BOM's bytes are dropped with the whitespace.
        out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// The subset of JSON Schema that strict mode accepts, and its structural rules: every object lists all its
/// properties in `required` and sets `additionalProperties: false`; nullable fields are type unions; at most 10
/// levels of nesting, 5,000 properties and 1,000 enum values.
struct StrictSchemaChecker {
  static let keywords: Set<String> = [
    "type", "properties", "required", "additionalProperties", "items", "enum", "const", "anyOf", "$ref", "$defs",
    "definitions", "description", "title", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "$schema",
  ]
  static let types: Set<String> = ["string", "number", "integer", "boolean", "object", "array", "null"]
  static let formats: Set<String> = [
    "date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid",
  ]
  static let maximumDepth = 10
  static let maximumProperties = 5000
  static let maximumEnumValues = 1000

  let file: String
  private var properties = 0

  init(file: String) { self.file = file }

  mutating func checkRoot(_ root: JSONValue) throws(RequestError) {
    guard case .object(let object) = root, object["type"] == .string("object") else {
      throw fail("", "the root must be a schema with \"type\": \"object\"")
    }
    try check(root, path: "", depth: 0)
    for definitions in ["$defs", "definitions"] {
      guard let value = object[definitions] else { continue }
      guard case .object(let defined) = value else { throw fail("/\(definitions)", "must be an object of schemas") }
      for (name, schema) in defined.sorted(by: { $0.key < $1.key }) {
        try check(schema, path: "/\(definitions)/\(name)", depth: 1)
      }
    }
  }

  private mutating func check(_ node: JSONValue, path: String, depth: Int) throws(RequestError) {
    guard depth <= Self.maximumDepth else { throw fail(path, "nesting is deeper than \(Self.maximumDepth) levels") }
    guard case .object(let schema) = node else { throw fail(path, "a schema must be a JSON object") }
    for key in schema.keys.sorted() where !Self.keywords.contains(key) {
      throw fail(path, "the keyword \"\(key)\" is not supported")
    }
    if let reference = schema["$ref"] {
      guard case .string(let target) = reference, target.hasPrefix("#") else {
        throw fail("\(path)/$ref", "must be a string starting with #")
      }
      return
    }
    if let anyOf = schema["anyOf"] {
      guard case .array(let options) = anyOf, !options.isEmpty else {
        throw fail("\(path)/anyOf", "must be a non-empty array of schemas")
      }
      for (index, option) in options.enumerated() { try check(option, path: "\(path)/anyOf/\(index)", depth: depth) }
      return
    }
    let types = try typeList(schema, path: path)
    if types.contains("object") { try checkObject(schema, path: path, depth: depth) }
    if types.contains("array") {
      guard let items = schema["items"] else { throw fail(path, "an array schema needs \"items\"") }
      try check(items, path: "\(path)/items", depth: depth + 1)
    }
    try checkValues(schema, path: path)
  }

  private func typeList(_ schema: [String: JSONValue], path: String) throws(RequestError) -> [String] {
    guard let type = schema["type"] else {
      if schema["enum"] != nil || schema["const"] != nil { return [] }
      throw fail(path, "every schema needs \"type\" (or anyOf, $ref, enum or const)")
    }
    var names: [String] = []
    switch type {
    case .string(let name): names = [name]
    case .array(let list):
      for item in list {
        guard case .string(let name) = item else { throw fail("\(path)/type", "a type union lists type names") }
        names.append(name)
      }
    default: throw fail("\(path)/type", "must be a type name or a list of them, such as [\"string\", \"null\"]")
    }
    for name in names where !Self.types.contains(name) { throw fail("\(path)/type", "\"\(name)\" is not a type") }
    guard !names.isEmpty, Set(names).count == names.count else {
      throw fail("\(path)/type", "a type union lists each type once")
    }
    return names
  }

  private mutating func checkObject(_ schema: [String: JSONValue], path: String, depth: Int) throws(RequestError) {
    guard case .object(let properties)? = schema["properties"] else {
      throw fail(path, "an object schema needs \"properties\"")
    }
    guard schema["additionalProperties"] == .bool(false) else {
      throw fail(path, "an object schema needs \"additionalProperties\": false")
    }
    var required: [String] = []
    if case .array(let list)? = schema["required"] {
      for item in list {
        guard case .string(let name) = item else { throw fail("\(path)/required", "lists property names") }
        required.append(name)
      }
    }
    let missing = properties.keys.filter { !required.contains($0) }.sorted()
    if !missing.isEmpty {
      throw fail(
        path,
        "every property must be in \"required\" (make it nullable instead); missing: "
          + missing.joined(separator: ", "))
    }
    let unknown = required.filter { properties[$0] == nil }
    if !unknown.isEmpty { throw fail("\(path)/required", "names no such property: \(unknown.joined(separator: ", "))") }
    self.properties += properties.count
    guard self.properties <= Self.maximumProperties else {
      throw fail(path, "more than \(Self.maximumProperties) properties in all")
    }
    for (name, property) in properties.sorted(by: { $0.key < $1.key }) {
      try check(property, path: "\(path)/properties/\(name)", depth: depth + 1)
    }
  }

  private func checkValues(_ schema: [String: JSONValue], path: String) throws(RequestError) {
    if let values = schema["enum"] {
      guard case .array(let list) = values, !list.isEmpty, list.count <= Self.maximumEnumValues else {
        throw fail("\(path)/enum", "must be a list of 1 to \(Self.maximumEnumValues) values")
      }
    }
    if let format = schema["format"] {
      guard case .string(let name) = format, Self.formats.contains(name) else {
        throw fail("\(path)/format", "use one of: \(Self.formats.sorted().joined(separator: ", "))")
      }
    }
    for key in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems"] {
      if let value = schema[key], case .number = value {
      } else if schema[key] != nil {
        throw fail("\(path)/\(key)", "must be a number")
      }
    }
  }

  private func fail(_ path: String, _ reason: String) -> RequestError {
    .schema(file: file, path: path, reason: reason)
  }
}
