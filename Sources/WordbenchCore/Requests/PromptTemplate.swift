import Foundation

/// The system and user messages of every request (`templates/entry.prompt.md`): Markdown with a `## system` and a
/// `## user` section, `<!-- comments -->` that are not sent, and `{{placeholder}}`s filled in for each word.
public struct PromptTemplate: Sendable {
  public static let fileName = "entry.prompt.md"

  /// What a placeholder stands for.
  public enum Placeholder: String, CaseIterable, Sendable {
    case headword, lemma, zipf, senses
  }

  /// A message as literal text and placeholders, in order.
  public struct Message: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
      case text(String)
      case placeholder(Placeholder)
    }
    public var parts: [Part]

    /// True when no placeholder occurs, so the message is the same for every word.
    public var isConstant: Bool { !parts.contains { if case .placeholder = $0 { true } else { false } } }

    /// The text with each placeholder's value.
    public func render(_ values: (Placeholder) -> String) -> String {
      var text = ""
      for part in parts {
        switch part {
        case .text(let literal): text += literal
        case .placeholder(let placeholder): text += values(placeholder)
        }
      }
      return text
    }
  }

  public let system: Message
  public let user: Message
  public let sha256: String

  public static func load(_ url: URL) throws(RequestError) -> PromptTemplate {
    guard let bytes = FileBytes.read(url) else {
      throw .unreadable(file: url.path, reason: "missing or not readable; `wordbench init` writes the default one")
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw .template(file: url.path, line: nil, reason: "not valid UTF-8 text")
    }
    return try PromptTemplate(text: text, file: url.path)
  }

  public init(text: String, file: String) throws(RequestError) {
    var sections: [String: (line: Int, lines: [String])] = [:]
    var current: String?
    var inComment = false
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let number = index + 1
      var line = String(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)
      line = try Self.stripComments(line, inComment: &inComment, file: file, line: number)
      let heading = line.trimmingCharacters(in: .whitespaces).lowercased()
      if heading == "## system" || heading == "## user" {
        let name = String(heading.dropFirst(3))
        if sections[name] != nil {
          throw .template(file: file, line: number, reason: "a second \"## \(name)\" section")
        }
        sections[name] = (number, [])
        current = name
        continue
      }
      guard let current else {
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
          throw .template(
            file: file, line: number, reason: "text before the \"## system\" section; put notes in <!-- comments -->")
        }
        continue
      }
      sections[current]!.lines.append(line)
    }
    if inComment { throw .template(file: file, line: nil, reason: "a <!-- comment is never closed with -->") }
    var messages: [String: Message] = [:]
    for name in ["system", "user"] {
      guard let section = sections[name] else {
        throw .template(
          file: file, line: nil, reason: "no \"## \(name)\" section; a template has ## system and ## user")
      }
      let message = try Self.parse(section.lines, firstLine: section.line + 1, file: file)
      guard !message.parts.isEmpty else {
        throw .template(file: file, line: section.line, reason: "## \(name) is empty")
      }
      messages[name] = message
    }
    system = messages["system"]!
    user = messages["user"]!
    sha256 = SHA256.hex(Array(text.utf8))
  }

  /// Removes `<!-- ... -->` from one line, carrying an open comment to the next.
  private static func stripComments(_ line: String, inComment: inout Bool, file: String, line number: Int)
    throws(RequestError) -> String
  {
    var kept = ""
    var rest = Substring(line)
    while !rest.isEmpty {
      if inComment {
        guard let end = rest.range(of: "-->") else { return kept }
        rest = rest[end.upperBound...]
        inComment = false
      } else if let start = rest.range(of: "<!--") {
        kept += rest[..<start.lowerBound]
        rest = rest[start.upperBound...]
        inComment = true
      } else {
        kept += rest
        break
      }
    }
    return kept
  }

  /// A section's lines, without blank lines at either end, as text and placeholders.
  private static func parse(_ lines: [String], firstLine: Int, file: String) throws(RequestError) -> Message {
    let first = lines.firstIndex { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? lines.count
    let last = lines.lastIndex { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? -1
    guard first <= last else { return Message(parts: []) }
    var parts: [Message.Part] = []
    var literal = ""
    for index in first...last {
      var rest = Substring(lines[index])
      while let open = rest.range(of: "{{") {
        literal += rest[..<open.lowerBound]
        guard let close = rest[open.upperBound...].range(of: "}}") else {
          throw .template(file: file, line: firstLine + index, reason: "\"{{\" without a closing \"}}\"")
        }
        let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
        guard let placeholder = Placeholder(rawValue: name) else {
          throw .template(
            file: file, line: firstLine + index,
            reason: "unknown placeholder {{\(name)}}; placeholders: "
              + Placeholder.allCases.map { "{{\($0.rawValue)}}" }.joined(separator: ", "))
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        literal = ""
        parts.append(.placeholder(placeholder))
        rest = rest[close.upperBound...]
      }
      literal += rest
      if index < last { literal += "\n" }
    }
    if !literal.isEmpty { parts.append(.text(literal)) }
    return Message(parts: parts)
  }
}
