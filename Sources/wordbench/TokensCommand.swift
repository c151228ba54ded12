import ArgumentParser
import Foundation
import WordbenchCore

extension Tokenizer.Encoding: ExpressibleByArgument {}

/// `wordbench tokens [--encoding E] [--ids] [FILE|-]`
struct TokensCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tokens", abstract: "Count the tokens (and print the ids) of a text, exactly as the model sees it.")

  @Argument(help: "A UTF-8 text file; - or nothing for standard input.")
  var file: String?

  @Option(help: "The encoding: \(Tokenizer.Encoding.allCases.map(\.rawValue).joined(separator: ", ")).")
  var encoding: Tokenizer.Encoding = .o200kBase

  @Flag(help: "Also print the token ids.")
  var ids = false

  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      let input = file == nil || file == "-" ? URL(fileURLWithPath: "/dev/stdin") : context.resolve(file!)
      let report = try TokenCount.run(input: input, encoding: encoding, ids: ids, context: context)
      try CommandRuntime.emit(report, json: output.json) { report in
        guard let ids = report.ids else { return "\(report.tokens)\n" }
        return "\(report.tokens)\n" + ids.map(String.init).joined(separator: " ") + "\n"
      }
    }
  }
}
