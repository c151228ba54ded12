import Foundation

/// Validates a JSON value against a JSON schema written in the subset strict structured outputs allow (the same
/// keywords `StrictSchemaChecker` accepts): types and unions, properties, required, additionalProperties, items,
/// enum, const, anyOf, `$ref` into `$defs`/`definitions`, numeric bounds, multipleOf, minItems/maxItems and pattern.
///
/// The schema is compiled once into nodes (keywords read, `$ref`s resolved, patterns compiled), and the path of a
/// violation is only put together when there is one: merge validates hundreds of thousands of entries.
struct SchemaValidator: Sendable {
  private let nodes: [Node]

  init(root: JSONValue) {
    var compiler = Compiler(root: root)
    _ = compiler.compile(root)
    nodes = compiler.nodes
  }

  /// The first violation, as `path: what is wrong`, or nil when `value` is valid.
  func violation(of value: JSONValue) -> String? {
    guard let found = check(value, node: 0, depth: 0) else { return nil }
    let path = found.reversedPath.isEmpty ? "/" : "/" + found.reversedPath.reversed().joined(separator: "/")
    return "\(path): \(found.message)"
  }

  /// What is wrong and where, the path's components innermost first (added on the way back out).
  private struct Violation {
    var reversedPath: [String] = []
    var message: String

    init(_ message: String) { self.message = message }

    func inside(_ component: String) -> Violation {
      var outer = self
      outer.reversedPath.append(component)
      return outer
    }
  }

  private func check(_ value: JSONValue, node index: Int, depth: Int) -> Violation? {
    guard depth < 64 else { return Violation("the schema nests too deep") }
    let node = nodes[index]
    if let reference = node.reference {
      guard let target = reference.target else { return Violation("the schema's $ref \(reference.text) leads nowhere") }
      return check(value, node: target, depth: depth + 1)
    }
    if !node.anyOf.isEmpty {
      let matches = node.anyOf.contains { check(value, node: $0, depth: depth + 1) == nil }
      return matches ? nil : Violation("matches none of the anyOf options")
    }
    if let constant = node.constant, value != constant { return Violation("must be \(constant.compactText)") }
    if let values = node.enumValues, !values.contains(value) {
      return Violation(
        "\(value.compactText) is not one of \(values.map(\.compactText).joined(separator: ", "))")
    }
    if let types = node.types, !types.admits(value) {
      return Violation("expected \(types.names.joined(separator: " or ")), found \(Self.kind(value))")
    }
    switch value {
    case .object(let object): return checkObject(object, node, depth)
    case .array(let items): return checkArray(items, node, depth)
    case .number(let number): return node.bounds?.violation(number).map(Violation.init)
    case .string(let string): return node.pattern?.violation(string).map(Violation.init)
    case .bool, .null: return nil
    }
  }

  private func checkObject(_ object: [String: JSONValue], _ node: Node, _ depth: Int) -> Violation? {
    // Each declared property is looked up once to count those present; which one is missing or extra is only
    // worked out when the counts say one is.
    var present = 0
    var requiredPresent = 0
    for (name, _, required) in node.sortedProperties where object[name] != nil {
      present += 1
      if required { requiredPresent += 1 }
    }
    if requiredPresent < node.required.count || !node.requiredAreProperties {
      for name in node.required where object[name] == nil {
        return Violation("the required property \(name) is missing")
      }
    }
    if node.closed, present < object.count {
      let extra = object.keys.filter { node.properties[$0] == nil }.min()!
      return Violation("the property \(extra) is not allowed")
    }
    // Properties in the schema's sorted order, so the first violation reported is always the same one.
    for (name, property, _) in node.sortedProperties {
      guard let value = object[name] else { continue }
      if let found = check(value, node: property, depth: depth + 1) { return found.inside(name) }
    }
    return nil
  }

  private func checkArray(_ items: [JSONValue], _ node: Node, _ depth: Int) -> Violation? {
    if let minimum = node.minItems, items.count < minimum {
      return Violation("\(items.count) items, fewer than \(minimum)")
    }
    if let maximum = node.maxItems, items.count > maximum {
      return Violation("\(items.count) items, more than \(maximum)")
    }
    guard let itemNode = node.items else { return nil }
    for (index, item) in items.enumerated() {
      if let found = check(item, node: itemNode, depth: depth + 1) { return found.inside(String(index)) }
    }
    return nil
  }

  private static func kind(_ value: JSONValue) -> String {
    switch value {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }
}

/// One schema object with its keywords read. A class, so that reading one while validating costs a single retain
/// rather than a copy of every keyword; only the compiler changes it, before any validation.
private final class Node: @unchecked Sendable {
  struct Reference {
    var text: String
    /// The node it leads to; nil when it leads nowhere.
    var target: Int?
  }

  var reference: Reference?
  var anyOf: [Int] = []
  var constant: JSONValue?
  var enumValues: [JSONValue]?
  var types: TypeSet?
  var properties: [String: Int] = [:]
  /// Name, node and whether it is required.
  var sortedProperties: [(String, Int, Bool)] = []
  var required: [String] = []
  /// Every required name is a declared property (as strict schemas have it), and none is listed twice.
  var requiredAreProperties = false
  var closed = false
  var items: Int?
  var minItems: Int?
  var maxItems: Int?
  var bounds: NumberBounds?
  var pattern: Pattern?
}

/// The JSON types a `type` keyword allows.
private struct TypeSet: Sendable {
  var names: [String]

  func admits(_ value: JSONValue) -> Bool {
    names.contains { type in
      switch (type, value) {
      case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
        ("number", .number):
        true
      case ("integer", .number(let number)): number.rounded() == number
      default: false
      }
    }
  }
}

private struct NumberBounds: Sendable {
  var minimum: Double?
  var maximum: Double?
  var exclusiveMinimum: Double?
  var exclusiveMaximum: Double?
  var multipleOf: Double?

  func violation(_ number: Double) -> String? {
    if let minimum, number < minimum { return "\(number) is below \(minimum)" }
    if let maximum, number > maximum { return "\(number) is above \(maximum)" }
    if let exclusiveMinimum, number <= exclusiveMinimum { return "\(number) is not above \(exclusiveMinimum)" }
    if let exclusiveMaximum, number >= exclusiveMaximum { return "\(number) is not below \(exclusiveMaximum)" }
    if let multipleOf, multipleOf > 0, (number / multipleOf).rounded() != number / multipleOf {
      return "\(number) is not a multiple of \(multipleOf)"
    }
    return nil
  }
}

/// A `pattern`, compiled once. Matching with one NSRegularExpression from several threads is safe.
private struct Pattern: @unchecked Sendable {
  var text: String
  var expression: NSRegularExpression?

  func violation(_ string: String) -> String? {
    guard let expression else { return nil }
    let range = NSRange(string.startIndex..., in: string)
    return expression.firstMatch(in: string, range: range) == nil ? "does not match the pattern \(text)" : nil
  }
}

/// Turns schema objects into nodes; a `$ref` is compiled once and shared, which also ends recursive schemas.
private struct Compiler {
  let root: JSONValue
  var nodes: [Node] = []
  var referenced: [String: Int] = [:]

  mutating func compile(_ schema: JSONValue) -> Int {
    let index = nodes.count
    let node = Node()
    nodes.append(node)
    if let text = schema["$ref"]?.string {
      node.reference = Node.Reference(text: text, target: target(of: text))
      return index
    }
    node.anyOf = (schema["anyOf"]?.array ?? []).map { compile($0) }
    node.constant = schema["const"]
    node.enumValues = schema["enum"]?.array
    switch schema["type"] {
    case .string(let name)?: node.types = TypeSet(names: [name])
    case .array(let names)?: node.types = TypeSet(names: names.compactMap(\.string))
    default: break
    }
    node.required = (schema["required"]?.array ?? []).compactMap(\.string)
    let required = Set(node.required)
    if case .object(let declared)? = schema["properties"] {
      for name in declared.keys.sorted() {
        let property = compile(declared[name]!)
        node.properties[name] = property
        node.sortedProperties.append((name, property, required.contains(name)))
      }
    }
    node.requiredAreProperties =
      required.count == node.required.count && node.required.allSatisfy { node.properties[$0] != nil }
    node.closed = schema["additionalProperties"] == .bool(false)
    node.items = schema["items"].map { compile($0) }
    node.minItems = schema["minItems"]?.int
    node.maxItems = schema["maxItems"]?.int
    func number(_ key: String) -> Double? { if case .number(let value)? = schema[key] { value } else { nil } }
    let bounds = NumberBounds(
      minimum: number("minimum"), maximum: number("maximum"), exclusiveMinimum: number("exclusiveMinimum"),
      exclusiveMaximum: number("exclusiveMaximum"), multipleOf: number("multipleOf"))
    if [bounds.minimum, bounds.maximum, bounds.exclusiveMinimum, bounds.exclusiveMaximum, bounds.multipleOf]
      .contains(where: { $0 != nil })
    {
      node.bounds = bounds
    }
    if let text = schema["pattern"]?.string {
      node.pattern = Pattern(text: text, expression: try? NSRegularExpression(pattern: text))
    }
    return index
  }

  /// The node a `#/...` pointer leads to, compiled on first use.
  private mutating func target(of reference: String) -> Int? {
    if let known = referenced[reference] { return known }
    guard reference.hasPrefix("#") else { return nil }
    var schema: JSONValue? = root
    for part in reference.dropFirst().split(separator: "/") where !part.isEmpty {
      schema = schema?[part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
    }
    guard let schema else { return nil }
    // Reserved before compiling, so a schema that refers to itself ends here.
    let index = nodes.count
    referenced[reference] = index
    let compiled = compile(schema)
    precondition(compiled == index)
    return index
  }
}
