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
      try Normalize.run(input: input, workspace: workspace.workspace, context: context) { batch in
        if output.json { return collected.append(contentsOf: batch) }
        Terminal.standardOutput(bytes: NormalizeCommand.lines(batch))
      }
      if output.json { try CommandRuntime.printJSON(collected) }
    }
  }

  /// `word<TAB>lemma<TAB>reason` lines of a batch, formatted in chunks on all cores and joined in order.
  static func lines(_ batch: [Normalization]) -> [UInt8] {
    let chunkSize = 4096
    let chunks = Array(stride(from: 0, to: batch.count, by: chunkSize))
    let chunksFormatted = Parallel.map(chunks, minimumCount: 2) { start in
      var bytes: [UInt8] = []
      bytes.reserveCapacity(chunkSize * 48)
      for normalization in batch[start..<min(batch.count, start + chunkSize)] {
        bytes.append(contentsOf: normalization.word.utf8)
        bytes.append(0x09)
        bytes.append(contentsOf: normalization.lemma.utf8)
        bytes.append(0x09)
        bytes.append(contentsOf: normalization.reason.description.utf8)
        bytes.append(0x0A)
      }
      return bytes
    }
    // Joining by hand: `joined()` goes element by element through a generic flattening sequence.
    var output: [UInt8] = []
    output.reserveCapacity(chunksFormatted.reduce(0) { $0 + $1.count })
    for chunk in chunksFormatted { output.append(contentsOf: chunk) }
    return output
  }
}
