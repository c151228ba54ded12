import Foundation
import Testing

@testable import WordbenchCore

@Suite("Prompt template")
struct PromptTemplateTests {
  @Test("the shipped template has a constant system message and a user message with every placeholder")
  func shipped() throws {
    let template = try PromptTemplate.load(BundledData.url(PromptTemplate.fileName)!)
    #expect(template.system.isConstant)
    let used = template.user.parts.compactMap { if case .placeholder(let name) = $0 { name } else { nil } }
    #expect(Set(used) == Set(PromptTemplate.Placeholder.allCases))
    let rendered = template.user.render { "<\($0.rawValue)>" }
    #expect(rendered.hasPrefix("Headword: <headword>\nLemma: <lemma>"))
    #expect(!rendered.contains("<!--") && !template.system.render { _ in "" }.contains("Placeholders"))
  }

  @Test("comments are dropped, blank edges trimmed, placeholders found with spaces inside the braces")
  func parsing() throws {
    let text = """
      <!-- a note
      over lines -->
      ## System
      Be brief. <!-- inline --> Really.

      ## user

      Word: {{ headword }} ({{lemma}})
      {{senses}}

      """
    let template = try PromptTemplate(text: text, file: "t.md")
    #expect(template.system.render { _ in "" } == "Be brief.  Really.")
    #expect(
      template.user.render { $0 == .headword ? "cat" : $0 == .lemma ? "cat" : "- (noun) a pet" }
        == "Word: cat (cat)\n- (noun) a pet")
  }

  @Test(
    "mistakes name the file and line",
    arguments: [
      ("## system\nhi\n## user\nWord: {{headwrod}}\n", 4, "unknown placeholder {{headwrod}}"),
      ("## system\nhi\n## user\nWord: {{headword\n", 4, "without a closing"),
      ("Intro text\n## system\nhi\n## user\nx\n", 1, "before the"),
      ("## system\nhi\n## user\nx\n## user\ny\n", 5, "second"),
    ])
  func mistakes(text: String, line: Int, mention: String) {
    #expect {
      try PromptTemplate(text: text, file: "t.md")
    } throws: { error in
      guard case RequestError.template(let file, let errorLine, let reason) = error else { return false }
      return file == "t.md" && errorLine == line && reason.contains(mention)
    }
  }

  @Test("a missing section or an open comment is an error")
  func structure() {
    #expect(throws: RequestError.self) { try PromptTemplate(text: "## user\nx\n", file: "t.md") }
    #expect(throws: RequestError.self) { try PromptTemplate(text: "## system\nx\n## user\n<!-- y\n", file: "t.md") }
    #expect(throws: RequestError.self) { try PromptTemplate(text: "## system\n\n## user\ny\n", file: "t.md") }
  }
}
