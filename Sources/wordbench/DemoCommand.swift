import ArgumentParser
import Foundation
import WordbenchCore
import WordbenchEmulator

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
      // The built-in emulator stands in for OpenAI, fast: no key, no cost, nothing leaves the machine.
      var config = EmulatorConfig()
      config.speed = 1000
      let emulator = try Emulator(config: config, lexicon: try Lexicon.load(workspace: nil, context: context))
      defer { emulator.stop() }
      var demoContext = context
      demoContext.environment["OPENAI_BASE_URL"] = try emulator.start()
      demoContext.environment["OPENAI_API_KEY"] = "sk-demo-local-emulator"
      let result = try await Demo.run(sampleCorpus: corpus, root: path, context: demoContext)
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
    var text = """
      \(result.created ? "Created" : "Reused") the demo workspace \(result.workspace)
      Imported the sample corpus: \(Terminal.count(counts.lines)) lines, \(Terminal.count(counts.imported)) new, \
      \(Terminal.count(counts.duplicates)) already there, \(Terminal.count(counts.rejected)) rejected

      \(CorpusStatsCommand.render(result.stats))
      \(result.filter.map(FilterCommand.render) ?? "")
      \(EstimateCommand.render(result.estimate))
      \(result.prepared.map(PrepareCommand.render) ?? "Every sample word is already in a run; nothing to prepare.\n")
      \(result.uploaded.map { "Against the built-in emulator at \($0.baseURL):\n" + UploadCommand.render($0) } ?? "")\
      \(result.status.map(StatusCommand.render) ?? "")\
      \(result.fetched.map(FetchCommand.render) ?? "")\
      \(result.merged.map(MergeCommand.render) ?? "")

      """
    for lookup in result.lookups { text += "wordbench lookup \(lookup.word):\n" + LookupCommand.render(lookup) + "\n" }
    if let archived = result.archived { text += ArchiveRunsCommand.render(ArchiveReport(archived: [archived])) + "\n" }
    text += summary(result)
    return text
  }

  /// The last lines: what the demo did and where to look next.
  static func summary(_ result: DemoResult) -> String {
    var text = "Summary:"
    if let merged = result.merged, let run = result.prepared?.run {
      text += " \(run): \(Terminal.count(merged.merged)) entries merged, \(Terminal.count(merged.rejected)) rejected, "
      text += "\(Terminal.count(merged.failed)) failed; cost \(Money.format(merged.actualCostUSD))"
      text += merged.estimatedCostUSD.map { " (estimated \(Money.format($0)))" } ?? ""
      text += " at list prices; the emulator charged nothing.\n"
    } else {
      text += " nothing new was sent.\n"
    }
    if let archived = result.archived { text += "  Archived to \(archived.archive)\n" }
    if let seconds = result.seconds { text += String(format: "  Took %.1f s.\n", seconds) }
    text += "  Look around: wordbench runs / lookup WORD / search TEXT --workspace \(result.workspace)\n"
    return text
  }
}
