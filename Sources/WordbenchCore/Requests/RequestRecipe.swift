import Foundation

/// Everything a workspace's requests are made from: its templates, the model's rules and prices, the tokenizer and
/// the lexicon for grounding. Loaded once per command; the templates are checked before anything is built.
public struct RequestRecipe: Sendable {
  public let catalog: ModelCatalog
  public let template: PromptTemplate
  public let schema: EntrySchema
  public let tokenizer: Tokenizer
  public let lexicon: Lexicon
  public let calibration: Calibration

  public static func load(workspace: Workspace, context: WordbenchContext) throws -> RequestRecipe {
    let folder = workspace.templatesFolder
    let template = try PromptTemplate.load(folder.appendingPathComponent(PromptTemplate.fileName))
    let schema = try EntrySchema.load(folder.appendingPathComponent(EntrySchema.fileName))
    let catalog = try ModelCatalog.bundled(overrides: workspace.config.models)
    let cache = LexiconCache(environment: context.environment)
    let lexicon = try Lexicon.load(workspace: workspace, context: context)
    let withSynsets = Lexicon(
      wordNet: try lexicon.wordNet.loadingSynsets(), frequencies: lexicon.frequencies, stopWords: lexicon.stopWords)
    return RequestRecipe(
      catalog: catalog, template: template, schema: schema,
      tokenizer: try Tokenizer.bundled(.o200kBase, cache: cache), lexicon: withSynsets,
      calibration: Calibration.load(workspace))
  }

  /// The request builder for `model`.
  public func builder(model: String, requests: WorkspaceConfig.Requests) throws -> RequestBuilder {
    let rules = try catalog.rules(for: model)
    return RequestBuilder(
      template: template, schema: schema, rules: rules, catalog: catalog, requests: requests, tokenizer: tokenizer,
      wordNet: lexicon.wordNet, frequencies: lexicon.frequencies)
  }
}
