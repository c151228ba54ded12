import ArgumentParser
import Foundation
import WordbenchCore

/// `wordbench demo`: the pipeline on the sample corpus, with no key and no cost.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo", abstract: "Run the pipeline on the sample corpus in workspaces/demo.")

  @Option(help: "The folder of sample corpora (default: samples/ of the wordbench checkout).")
  var samples: String?

  @Option(help: "Where the demo workspace lives (default workspaces/demo).")
  var path: String?

  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandRuntime.run { context in
      let corpus = try DemoCommand.sampleCorpus(in: samples, context: context)
      let result = try await Demo.run(sampleCorpus: corpus, root: path, context: context)
      try CommandRuntime.emit(result, json: output.json, render: DemoCommand.render)
    }
  }

  static let sampleFile = "sample-2000.txt"

  /// The sample corpus: from --samples, else samples/ in the current folder, else the checkout the binary was
  /// built in (the binary lives in .build/<config>/).
  static func sampleCorpus(in folder: String?, context: WordbenchContext) throws -> URL {
    if let folder { return context.resolve(folder).appendingPathComponent(sampleFile) }
    var candidates = [context.currentDirectory.appendingPathComponent("samples")]
    var binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
      binary.deleteLastPathComponent()
      candidates.append(binary.appendingPathComponent("samples"))
    }
    for candidate in candidates {
      let file = candidate.appendingPathComponent(sampleFile)
      if FileManager.default.fileExists(atPath: file.path) { return file }
    }
    throw ValidationError("cannot find samples/\(sampleFile); run from the wordbench checkout or pass --samples DIR")
  }

  static func render(_ result: DemoResult) -> String {
    let counts = result.imported.totals
    return """
      \(result.created ? "Created" : "Reused") the demo workspace \(result.workspace)
      Imported the sample corpus: \(Terminal.count(counts.lines)) lines, \(Terminal.count(counts.imported)) new, \
      \(Terminal.count(counts.duplicates)) already there, \(Terminal.count(counts.rejected)) rejected

      \(CorpusStatsCommand.render(result.stats))
      \(EstimateCommand.render(result.estimate))
      \(result.prepared.map(PrepareCommand.render) ?? "Every sample word is already in a run; nothing to prepare.\n")
      """
  }
}
