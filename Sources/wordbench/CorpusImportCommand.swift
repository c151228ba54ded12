import ArgumentParser
import WordbenchCore

/// `wordbench corpus import FILE...`
struct CorpusImportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Add words from text files (one per line) or TSV/CSV files (a chosen column).",
    discussion: """
      Lines are trimmed and normalized to NFC; duplicates are skipped. Bad lines (invalid UTF-8, empty, over 200 \
      characters, control characters) are rejected one by one into corpus/imports/NNNN.rejects.tsv. Importing \
      the same file again adds nothing.
      """)

  @Argument(help: "The files to import.")
  var files: [String]

  @Option(help: "The word column of a TSV/CSV file: a header name, or a number from 1 (then the file has no header).")
  var column: String?

  @OptionGroup var workspace: WorkspaceOptions
  @OptionGroup var lock: LockOptions
  @OptionGroup var output: OutputOptions

  func validate() throws {
    guard !files.isEmpty else { throw ValidationError("name at least one file to import") }
  }

  func run() async throws {
    try await CommandRuntime.run { context in
      let result = try await Corpus.importFiles(
        files, column: column, workspace: workspace.workspace, waitForLock: lock.waitLock, context: context)
      try CommandRuntime.emit(result, json: output.json, render: CorpusImportCommand.render)
    }
  }

  static func render(_ result: CorpusImportResult) -> String {
    var text = ""
    for file in result.files {
      let counts = file.counts
      text +=
        "\(file.file): \(Terminal.count(counts.lines)) lines, \(Terminal.count(counts.imported)) imported, "
        + "\(Terminal.count(counts.duplicates)) duplicates, \(Terminal.count(counts.rejected)) rejected"
      if let rejects = file.rejectsFile { text += " (reasons in \(rejects))" }
      text += "\n"
    }
    return text + "Corpus: \(Terminal.count(result.corpusWords)) words\n"
  }
}
