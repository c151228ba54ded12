import ArgumentParser

/// The `wordbench` command: parses arguments, calls one core API per command, renders, maps errors to exit codes.
@main
struct Wordbench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "wordbench",
    abstract: "Synthesize dictionary entries for large word corpora through LLM batch APIs.",
    discussion: """
      The workspace is found from --workspace PATH, then $WORDBENCH_WORKSPACE, then the current folder if it \
      holds workspace.toml.
      """,
    version: "0.1.0",
    subcommands: [
      InitCommand.self,
      CorpusCommand.self,
      RunsCommand.self,
      FilterCommand.self,
      NormalizeCommand.self,
      TokensCommand.self,
      EstimateCommand.self,
      PrepareCommand.self,
      UploadCommand.self,
      AttachCommand.self,
      StatusCommand.self,
      CancelCommand.self,
      FetchCommand.self,
      MergeCommand.self,
      RetryCommand.self,
      ProcessCommand.self,
      SchedulerCommand.self,
      UsageCommand.self,
      LookupCommand.self,
      SearchCommand.self,
      ExportCommand.self,
      ArchiveCommand.self,
      UnarchiveCommand.self,
      EmulatorCommand.self,
      DemoCommand.self,
    ]
  )
}
