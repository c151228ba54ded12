import Foundation

/// One setting of `workspace.toml`: where it lives, what it means, how it is checked and how its default is written.
///
/// The table of keys is the single description of the file: loading, validation and the commented default file
/// written by `init` all come from it.
struct ConfigKey {
  let section: String
  let name: String
  /// The comment written above the key in a new `workspace.toml`.
  let help: String
  /// Checks a value and stores it into the configuration; returns the problem when the value is not allowed.
  let apply: (TOMLValue, inout WorkspaceConfig) -> String?
  /// The value of this key in a configuration, as a TOML literal.
  let render: (WorkspaceConfig) -> String

  var path: String { "\(section).\(name)" }

  /// A string chosen from a fixed list.
  static func choice<T: RawRepresentable & CaseIterable>(
    _ section: String, _ name: String, _ keyPath: WritableKeyPath<WorkspaceConfig, T>, help: String
  ) -> ConfigKey where T.RawValue == String {
    let allowed = T.allCases.map(\.rawValue)
    return ConfigKey(
      section: section, name: name, help: "\(help) One of: \(allowed.joined(separator: ", ")).",
      apply: { value, config in
        guard case .string(let text) = value else {
          return "expected a string, one of: \(allowed.joined(separator: ", "))"
        }
        guard let choice = T(rawValue: text) else {
          return "\"\(text)\" is not allowed; use one of: \(allowed.joined(separator: ", "))"
        }
        config[keyPath: keyPath] = choice
        return nil
      },
      render: { quote($0[keyPath: keyPath].rawValue) })
  }

  /// A string checked by `validate`, which returns the problem or nil.
  static func text(
    _ section: String, _ name: String, _ keyPath: WritableKeyPath<WorkspaceConfig, String>, help: String,
    validate: @escaping (String) -> String?
  ) -> ConfigKey {
    ConfigKey(
      section: section, name: name, help: help,
      apply: { value, config in
        guard case .string(let text) = value else { return "expected a string, found \(value.typeName)" }
        if let problem = validate(text) { return problem }
        config[keyPath: keyPath] = text
        return nil
      },
      render: { quote($0[keyPath: keyPath]) })
  }

  /// A list of strings, each checked by `validate`.
  static func textList(
    _ section: String, _ name: String, _ keyPath: WritableKeyPath<WorkspaceConfig, [String]>, help: String,
    validate: @escaping (String) -> String?
  ) -> ConfigKey {
    ConfigKey(
      section: section, name: name, help: help,
      apply: { value, config in
        guard case .array(let items) = value else { return "expected a list of strings, found \(value.typeName)" }
        var texts: [String] = []
        for item in items {
          guard case .string(let text) = item else { return "expected a list of strings, found a \(item.typeName)" }
          if let problem = validate(text) { return problem }
          texts.append(text)
        }
        config[keyPath: keyPath] = texts
        return nil
      },
      render: { "[" + $0[keyPath: keyPath].map(quote).joined(separator: ", ") + "]" })
  }

  /// true or false.
  static func flag(
    _ section: String, _ name: String, _ keyPath: WritableKeyPath<WorkspaceConfig, Bool>, help: String
  ) -> ConfigKey {
    ConfigKey(
      section: section, name: name, help: "\(help) true or false.",
      apply: { value, config in
        guard case .boolean(let flag) = value else { return "expected true or false, found \(value.typeName)" }
        config[keyPath: keyPath] = flag
        return nil
      },
      render: { $0[keyPath: keyPath] ? "true" : "false" })
  }

  /// A whole number within a range.
  static func integer(
    _ section: String, _ name: String, _ keyPath: WritableKeyPath<WorkspaceConfig, Int>,
    range: ClosedRange<Int>, help: String
  ) -> ConfigKey {
    ConfigKey(
      section: section, name: name, help: "\(help) From \(range.lowerBound) to \(range.upperBound).",
      apply: { value, config in
        switch wholeNumber(value, in: range) {
        case .success(let int):
          config[keyPath: keyPath] = int
          return nil
        case .failure(let problem): return problem.message
        }
      },
      render: { grouped($0[keyPath: keyPath]) })
  }

  /// An amount in US dollars, zero or more.
  static func dollars(
    _ section: String, _ name: String, _ keyPath: WritableKeyPath<WorkspaceConfig, Double>, help: String
  ) -> ConfigKey {
    amount(section, name, keyPath, range: 0...Double.greatestFiniteMagnitude, help: "\(help) In US dollars, 0 or more.")
  }

  /// A number within `range`, written as an integer or a float.
  static func amount(
    _ section: String, _ name: String, _ keyPath: WritableKeyPath<WorkspaceConfig, Double>,
    range: ClosedRange<Double>, help: String
  ) -> ConfigKey {
    ConfigKey(
      section: section, name: name,
      help: range.upperBound == .greatestFiniteMagnitude
        ? help : "\(help) From \(range.lowerBound) to \(range.upperBound).",
      apply: { value, config in
        switch amount(value, of: "a number") {
        case .success(let amount) where range.contains(amount):
          config[keyPath: keyPath] = amount
          return nil
        case .success(let amount):
          return "\(amount) is out of range; allowed: \(range.lowerBound) to \(range.upperBound)"
        case .failure(let problem): return problem.message
        }
      },
      render: { String(format: "%.2f", $0[keyPath: keyPath]) })
  }

  /// Why a value is not allowed.
  struct Problem: Error {
    var message: String
  }

  /// A whole number within `range`.
  static func wholeNumber(_ value: TOMLValue, in range: ClosedRange<Int>) -> Result<Int, Problem> {
    guard case .integer(let number) = value else {
      return .failure(Problem(message: "expected a whole number, found \(value.typeName)"))
    }
    guard let int = Int(exactly: number), range.contains(int) else {
      return .failure(
        Problem(message: "\(number) is out of range; allowed: \(range.lowerBound) to \(range.upperBound)"))
    }
    return .success(int)
  }

  /// A finite number of 0 or more, written as an integer or a float.
  static func amount(_ value: TOMLValue, of what: String) -> Result<Double, Problem> {
    let amount: Double
    switch value {
    case .integer(let number): amount = Double(number)
    case .float(let number): amount = number
    default: return .failure(Problem(message: "expected \(what), found \(value.typeName)"))
    }
    guard amount.isFinite, amount >= 0 else {
      return .failure(Problem(message: "\(amount) is not allowed; use an amount of 0 or more"))
    }
    return .success(amount)
  }

  static func quote(_ text: String) -> String {
    var escaped = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": escaped += "\\\""
      case "\\": escaped += "\\\\"
      case "\n": escaped += "\\n"
      case "\t": escaped += "\\t"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          escaped += String(format: "\\u%04X", scalar.value)
        } else {
          escaped.unicodeScalars.append(scalar)
        }
      }
    }
    return escaped + "\""
  }

  /// Writes 50000 as 50_000, which TOML reads back as the same integer.
  static func grouped(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var out = ""
    for (offset, digit) in digits.enumerated() {
      if offset > 0 && (digits.count - offset) % 3 == 0 { out.append("_") }
      out.append(digit)
    }
    return number < 0 ? "-" + out : out
  }
}
