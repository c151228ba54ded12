import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench lookup WORD`
struct LookupCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lookup", abstract: "Show a word's entry, or why it has none yet.")

  @Argument(help: "The word (an inflected form finds its headword's entry).")
  var word: String

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      let report = try Lookup.word(word, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(report, json: output.json, render: LookupCommand.render)
      if report.entry == nil { throw ExitCode(CommandRuntime.nothingFound) }
    }
  }

  static func render(_ report: LookupReport) -> String {
    guard let stored = report.entry else { return "\(report.word): no entry: \(report.why ?? "unknown")\n" }
    let entry = stored.entry
    var text = entry["headword"]?.string ?? stored.word
    if let ipa = entry["pronunciation"]?["ipa"]?.string { text += "  \(ipa)" }
    text += "\n"
    var byPart: [(String, [JSONValue])] = []
    for sense in entry["senses"]?.array ?? [] {
      let part = sense["part_of_speech"]?.string ?? "?"
      if let index = byPart.firstIndex(where: { $0.0 == part }) {
        byPart[index].1.append(sense)
      } else {
        byPart.append((part, [sense]))
      }
    }
    for (part, senses) in byPart {
      text += "\n\(part)\n"
      for (number, sense) in senses.enumerated() {
        text += "  \(number + 1). \(sense["definition"]?.string ?? "")\n"
        for example in sense["examples"]?.array?.compactMap(\.string) ?? [] { text += "     \"\(example)\"\n" }
        let synonyms = sense["synonyms"]?.array?.compactMap(\.string) ?? []
        if !synonyms.isEmpty { text += "     synonyms: \(synonyms.joined(separator: ", "))\n" }
        let antonyms = sense["antonyms"]?.array?.compactMap(\.string) ?? []
        if !antonyms.isEmpty { text += "     antonyms: \(antonyms.joined(separator: ", "))\n" }
      }
    }
    let forms = (entry["word_forms"]?.array ?? []).compactMap { form in
      form["form"]?.string.map { "\($0) (\(form["label"]?.string ?? ""))" }
    }
    if !forms.isEmpty { text += "\nforms: \(forms.joined(separator: ", "))\n" }
    if let summary = entry["etymology"]?["summary"]?.string { text += "\netymology: \(summary)\n" }
    return text + "\n[\(stored.model), \(stored.run)]\n"
  }
}

/// `wordbench search TEXT`
struct SearchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search", abstract: "Full-text search over the headwords and definitions of merged entries.")

  @Argument(help: "Words to find (all must occur).")
  var text: String

  @Option(help: "How many hits.")
  var limit = 20

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      let hits = try Lookup.search(text, limit: limit, workspace: workspace.workspace, context: context)
      try CommandRuntime.emit(hits, json: output.json) { hits in
        hits.isEmpty ? "No entry matches.\n" : hits.map { "\($0.word): \($0.snippet)\n" }.joined()
      }
      if hits.isEmpty { throw ExitCode(CommandRuntime.nothingFound) }
    }
  }
}
