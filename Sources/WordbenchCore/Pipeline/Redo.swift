import Foundation

/// `prepare --redo RUN`: rebuilds the requests of a run that is not uploaded yet (after a template, model or
/// limit change), with the same words. The new shards are built in a hidden folder beside the runs and checked
/// against the budget before the run is touched; while they are swapped in, the manifest says prepare is running,
/// so an interrupted redo never looks like a finished one and simply runs again.
enum Redo {
  static func run(
    _ name: String, options: PrepareOptions, workspace: Workspace, recipe: RequestRecipe, context: WordbenchContext
  ) throws -> PrepareReport {
    let runs = RunStore(workspace: workspace)
    guard let id = RunID(parsing: name) else { throw WorkspaceError.unknownRun(name) }
    let folder = try runs.open(id)
    let manifest = try folder.readManifest()
    for step in RunStep.allCases where step != .prepare && manifest.state(of: step) != .pending {
      throw RequestError.cannotRedo(run: id.name, reason: "its \(step.rawValue) step has started")
    }
    let listed = try RunWriter.readWords(folder)
    guard !listed.isEmpty else { throw RequestError.cannotRedo(run: id.name, reason: "its words.tsv is empty") }
    var model = workspace.config.provider.model
    if case .string(let recorded)? = manifest.parameters["model"] { model = recorded }
    model = options.model ?? model
    var batchSize = options.batchSize
    if batchSize == nil, case .number(let recorded)? = manifest.parameters["batch_size"] { batchSize = Int(recorded) }
    let builder = try recipe.builder(model: model, requests: workspace.config.requests)
    let limits = Prepare.shardLimits(workspace.config, batchSize: batchSize, rules: builder.rules)

    runs.removeStaleStaging()
    let staging = runs.stagingFolder(for: id, purpose: "redo", context: context)
    try POSIXFile.createDirectory(staging)
    defer { try? FileManager.default.removeItem(at: staging) }
    let result = try RunWriter.write(
      listed.map(\.word), corpusWords: listed.map(\.corpusWords), into: RunFolder(id: id, url: staging),
      builder: builder, limits: limits, calibration: recipe.calibration, pricesDate: recipe.catalog.pricesDate,
      context: context)
    try Budget.check(
      result.estimate.batchCostUSD, words: result.estimate.words, maxCost: options.maxCost, workspace: workspace,
      context: context, spending: false)

    try folder.updateManifest { $0.record(.prepare, .running, at: context.clock.now(), message: "rebuilding") }
    let requests = folder.url.appendingPathComponent("requests")
    try? FileManager.default.removeItem(at: requests)
    try POSIXFile.rename(staging.appendingPathComponent("requests"), to: requests)
    try POSIXFile.rename(
      staging.appendingPathComponent(EntrySchema.fileName), to: folder.url.appendingPathComponent(EntrySchema.fileName))
    try POSIXFile.syncDirectory(folder.url)
    try folder.updateManifest { manifest in
      manifest.parameters["model"] = .string(model)
      manifest.parameters["batch_size"] = batchSize.map { .number(Double($0)) } ?? .null
      manifest.parameters.merge(Prepare.templateParameters(recipe)) { $1 }
      manifest.shards = result.shards
      manifest.estimate = result.estimate
      manifest.record(.prepare, .done, at: context.clock.now(), message: "\(listed.count) words, rebuilt")
    }
    try folder.append(
      RunEvent(
        time: context.clock.now(), run: id, step: .prepare, kind: "prepared",
        message: "rebuilt: \(listed.count) words in \(result.shards.count) shards"))
    return PrepareReport(
      run: id.name, model: model, preset: nil, wordsFile: nil, words: listed.count, skippedDone: 0,
      skippedInFlight: 0, unknownWords: [], limits: limits, shards: result.shards, estimate: result.estimate,
      redone: true)
  }
}
