import ArgumentParser
import WordbenchCore

/// Options of every command that works in a workspace.
struct WorkspaceOptions: ParsableArguments {
  @Option(name: .long, help: "The workspace folder (or a name under workspaces/).")
  var workspace: String?
}

/// Options of every command that writes to a workspace.
struct LockOptions: ParsableArguments {
  @Flag(name: .long, help: "Wait for another command holding the workspace to finish instead of failing.")
  var waitLock = false
}

/// The `--json` flag of every command that reports something.
struct OutputOptions: ParsableArguments {
  @Flag(name: .long, help: "Print one JSON document on stdout instead of text.")
  var json = false
}

/// What a new run takes, for `prepare` and `process`: how many words, in which shards, with which preset and model,
/// under which cost.
struct RunSelectionOptions: ParsableArguments {
  @Option(help: "How many words (default: every word still to do).")
  var words: Int?

  @Option(help: "Words per shard (also capped by the API's 50,000 lines, the byte and the token limits).")
  var batchSize: Int?

  @Option(help: "none, conservative, moderate or aggressive (default: the workspace's [filter] preset).")
  var filterPreset: FilterPreset?

  @Option(help: "The model (default: the workspace's [provider] model).")
  var model: String?

  @Flag(help: "Include words whose entries are already done, and let their new entries replace the old.")
  var forceRefresh = false

  @Option(help: "Refuse, writing and sending nothing, when the estimate is over this many US dollars.")
  var maxCost: Double?

  func validate() throws {
    if let words, words < 1 { throw ValidationError("--words takes 1 or more") }
    if let batchSize, batchSize < 1 { throw ValidationError("--batch-size takes 1 or more") }
    if let maxCost, !(maxCost >= 0) { throw ValidationError("--max-cost takes an amount of 0 or more") }
  }

  /// True when any option that picks the run's words or shape was given.
  var picksWords: Bool { words != nil || batchSize != nil || filterPreset != nil || model != nil || forceRefresh }

  func apply(to options: inout PrepareOptions) {
    options.words = words
    options.batchSize = batchSize
    options.preset = filterPreset
    options.model = model
    options.forceRefresh = forceRefresh
    options.maxCost = maxCost
  }
}
