import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench normalize [FILE|-]`: word, lemma and reason per input word.
struct NormalizeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "normalize",
    abstract: "Print word<TAB>lemma<TAB>reason for each word of FILE (or standard input).")

  @Argument(help: "A file with one word per line; - or nothing for standard input.")
  var file: String?

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      let input = file == nil || file == "-" ? URL(fileURLWithPath: "/dev/stdin") : context.resolve(file!)
      var collected: [Normalization] = []
      var buffer = ""
      try Normalize.run(input: input, workspace: workspace.workspace, context: context) { normalization in
        if output.json { return collected.append(normalization) }
        buffer += "\(normalization.word)\t\(normalization.lemma)\t\(normalization.reason)\n"
        if buffer.utf8.count > 1 << 16 {
          Terminal.standardOutput(buffer)
          buffer = ""
        }
      }
      if output.json { try CommandRuntime.printJSON(collected) } else { Terminal.standardOutput(buffer) }
    }
  }
}
