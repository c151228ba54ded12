import Foundation

/// Validates a JSON value against a JSON schema written in the subset strict structured outputs allow (the same
/// keywords `StrictSchemaChecker` accepts): types and unions, properties, required, additionalProperties, items,
/// enum, const, anyOf, `$ref` into `$defs`/`definitions`, numeric bounds, multipleOf, minItems/maxItems and pattern.
struct SchemaValidator: Sendable {
  let root: JSONValue

  /// The first violation, as `path: what is wrong`, or nil when `value` is valid.
  func violation(of value: JSONValue) -> String? {
    check(value, against: root, path: "", depth: 0)
  }

  private func check(_ value: JSONValue, against schema: JSONValue, path: String, depth: Int) -> String? {
    guard depth < 64 else { return "\(place(path)): the schema nests too deep" }
    if let reference = schema["$ref"]?.string {
      guard let target = resolve(reference) else {
        return "\(place(path)): the schema's $ref \(reference) leads nowhere"
      }
      return check(value, against: target, path: path, depth: depth + 1)
    }
    if let options = schema["anyOf"]?.array {
      let matches = options.contains { check(value, against: $0, path: path, depth: depth + 1) == nil }
      return matches ? nil : "\(place(path)): matches none of the anyOf options"
    }
    if let constant = schema["const"], value != constant { return "\(place(path)): must be \(text(constant))" }
    if let values = schema["enum"]?.array, !values.contains(value) {
      return "\(place(path)): \(text(value)) is not one of \(values.map(text).joined(separator: ", "))"
    }
    if let problem = typeProblem(value, schema, path) { return problem }
    switch value {
    case .object(let object): return checkObject(object, schema, path, depth)
    case .array(let items): return checkArray(items, schema, path, depth)
    case .number(let number): return checkNumber(number, schema, path)
    case .string(let string): return checkString(string, schema, path)
    case .bool, .null: return nil
    }
  }

  private func typeProblem(_ value: JSONValue, _ schema: JSONValue, _ path: String) -> String? {
    let types: [String]
    switch schema["type"] {
    case .string(let name)?: types = [name]
    case .array(let names)?: types = names.compactMap(\.string)
    default: return nil
    }
    let matches = types.contains { type in
      switch (type, value) {
      case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
        ("number", .number):
        true
      case ("integer", .number(let number)): number.rounded() == number
      default: false
      }
    }
    return matches ? nil : "\(place(path)): expected \(types.joined(separator: " or ")), found \(kind(value))"
  }

  private func checkObject(_ object: [String: JSONValue], _ schema: JSONValue, _ path: String, _ depth: Int)
    -> String?
  {
    let properties: [String: JSONValue]
    if case .object(let declared)? = schema["properties"] { properties = declared } else { properties = [:] }
    for name in (schema["required"]?.array ?? []).compactMap(\.string) where object[name] == nil {
      return "\(place(path)): the required property \(name) is missing"
    }
    if schema["additionalProperties"] == .bool(false) {
      if let extra = object.keys.sorted().first(where: { properties[$0] == nil }) {
        return "\(place(path)): the property \(extra) is not allowed"
      }
    }
    for (name, value) in object.sorted(by: { $0.key < $1.key }) {
      guard let property = properties[name] else { continue }
      if let problem = check(value, against: property, path: "\(path)/\(name)", depth: depth + 1) { return problem }
    }
    return nil
  }

  private func checkArray(_ items: [JSONValue], _ schema: JSONValue, _ path: String, _ depth: Int) -> String? {
    if let minimum = schema["minItems"]?.int, items.count < minimum {
      return "\(place(path)): \(items.count) items, fewer than \(minimum)"
    }
    if let maximum = schema["maxItems"]?.int, items.count > maximum {
      return "\(place(path)): \(items.count) items, more than \(maximum)"
    }
    guard let itemSchema = schema["items"] else { return nil }
    for (index, item) in items.enumerated() {
      if let problem = check(item, against: itemSchema, path: "\(path)/\(index)", depth: depth + 1) { return problem }
    }
    return nil
  }

  private func checkNumber(_ number: Double, _ schema: JSONValue, _ path: String) -> String? {
    func bound(_ key: String) -> Double? { if case .number(let value)? = schema[key] { value } else { nil } }
    if let minimum = bound("minimum"), number < minimum { return "\(place(path)): \(number) is below \(minimum)" }
    if let maximum = bound("maximum"), number > maximum { return "\(place(path)): \(number) is above \(maximum)" }
    if let minimum = bound("exclusiveMinimum"), number <= minimum {
      return "\(place(path)): \(number) is not above \(minimum)"
    }
    if let maximum = bound("exclusiveMaximum"), number >= maximum {
      return "\(place(path)): \(number) is not below \(maximum)"
    }
    if let step = bound("multipleOf"), step > 0, (number / step).rounded() != number / step {
      return "\(place(path)): \(number) is not a multiple of \(step)"
    }
    return nil
  }

  private func checkString(_ string: String, _ schema: JSONValue, _ path: String) -> String? {
    guard let pattern = schema["pattern"]?.string,
      let expression = try? NSRegularExpression(pattern: pattern)
    else { return nil }
    let range = NSRange(string.startIndex..., in: string)
    return expression.firstMatch(in: string, range: range) == nil
      ? "\(place(path)): does not match the pattern \(pattern)" : nil
  }

  private func resolve(_ reference: String) -> JSONValue? {
    guard reference.hasPrefix("#") else { return nil }
    var node: JSONValue? = root
    for part in reference.dropFirst().split(separator: "/") where !part.isEmpty {
      let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
      node = node?[key]
    }
    return node
  }

  private func place(_ path: String) -> String { path.isEmpty ? "/" : path }

  private func kind(_ value: JSONValue) -> String {
    switch value {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }

  private func text(_ value: JSONValue) -> String {
    value.compactText
  }
}
