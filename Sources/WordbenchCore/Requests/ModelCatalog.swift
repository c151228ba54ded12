import Foundation

/// What wordbench knows about one model: how to write its requests, how to count its tokens, and its prices.
public struct ModelRules: Codable, Equatable, Sendable {
  public var model: String
  public var encoding: Tokenizer.Encoding
  /// Whether the model accepts `temperature` (reasoning models reject any but the default).
  public var temperature: Bool
  /// `max_completion_tokens`, or `max_tokens` for servers that only know the older name.
  public var tokenParameter: String
  public var contextWindow: Int
  public var maxCompletionTokens: Int
  /// The output estimate per entry until the workspace has measured one.
  public var outputTokensPerEntry: Int
  /// The input-token budget of one shard: the provider's enqueued-token limit caps what may wait at once.
  public var shardInputTokens: Int
  /// Standard prices in USD per 1M tokens.
  public var input: Double
  public var output: Double
  /// Batch prices in USD per 1M tokens.
  public var batchInput: Double
  public var batchOutput: Double

  enum CodingKeys: String, CodingKey {
    case model, encoding, temperature, input, output
    case tokenParameter = "token_parameter"
    case contextWindow = "context_window"
    case maxCompletionTokens = "max_completion_tokens"
    case outputTokensPerEntry = "output_tokens_per_entry"
    case shardInputTokens = "shard_input_tokens"
    case batchInput = "batch_input"
    case batchOutput = "batch_output"
  }

  /// The cost of some tokens at batch prices (or standard ones).
  public func cost(inputTokens: Int, outputTokens: Int, batch: Bool = true) -> Double {
    let (inputPrice, outputPrice) = batch ? (batchInput, batchOutput) : (input, output)
    return (Double(inputTokens) * inputPrice + Double(outputTokens) * outputPrice) / 1_000_000
  }
}

/// The model table (`Requests/Data/models.json`, one table of data rather than conditions in code), with a
/// workspace's `[models."NAME"]` overrides applied.
public struct ModelCatalog: Codable, Sendable {
  /// When the prices were taken, and from where; every estimate shows them.
  public var pricesDate: String
  public var pricesSource: String
  /// Prompt tokens the API adds per message and once for the reply (tokenizer.md).
  public var messageOverheadTokens: Int
  public var replyOverheadTokens: Int
  public var models: [ModelRules]

  enum CodingKeys: String, CodingKey {
    case models
    case pricesDate = "prices_date"
    case pricesSource = "prices_source"
    case messageOverheadTokens = "message_overhead_tokens"
    case replyOverheadTokens = "reply_overhead_tokens"
  }

  /// The bundled table with `overrides` applied.
  public static func bundled(overrides: [String: ModelOverride] = [:]) throws(RequestError) -> ModelCatalog {
    guard let url = BundledData.url("models.json"),
      let data = try? Data(contentsOf: url)
    else { throw .resourceMissing("models.json") }
    var catalog: ModelCatalog
    do {
      catalog = try JSONDecoder().decode(ModelCatalog.self, from: data)
    } catch {
      throw .unreadable(file: url.path, reason: JSONCoding.describe(error))
    }
    for (model, override) in overrides.sorted(by: { $0.key < $1.key }) { catalog.apply(override, to: model) }
    return catalog
  }

  /// The rules of `model`: an exact entry, else the longest listed prefix (dated snapshots).
  public func rules(for model: String) throws(RequestError) -> ModelRules {
    if let exact = models.first(where: { $0.model == model }) { return exact }
    let prefixes = models.filter { model.hasPrefix($0.model + "-") }
    guard var best = prefixes.max(by: { $0.model.count < $1.model.count }) else {
      throw .unknownModel(model, known: models.map(\.model))
    }
    best.model = model
    return best
  }

  /// A workspace override changes the listed fields of a known model, or adds a model (it then needs prices).
  mutating func apply(_ override: ModelOverride, to model: String) {
    var rules =
      (try? self.rules(for: model))
      ?? ModelRules(
        model: model, encoding: .o200kBase, temperature: false, tokenParameter: "max_completion_tokens",
        contextWindow: 128_000, maxCompletionTokens: 4000, outputTokensPerEntry: 1000, shardInputTokens: 2_000_000,
        input: 0, output: 0, batchInput: 0, batchOutput: 0)
    rules.model = model
    override.apply(to: &rules)
    models.removeAll { $0.model == model }
    models.append(rules)
  }
}

/// A workspace's `[models."NAME"]` section: any of these replaces the bundled value.
public struct ModelOverride: Equatable, Sendable {
  public var inputPrice: Double?
  public var outputPrice: Double?
  public var batchInputPrice: Double?
  public var batchOutputPrice: Double?
  public var outputTokensPerEntry: Int?
  public var maxCompletionTokens: Int?
  public var shardInputTokens: Int?
  public var temperature: Bool?

  public init() {}

  func apply(to rules: inout ModelRules) {
    if let inputPrice {
      rules.input = inputPrice
      rules.batchInput = batchInputPrice ?? inputPrice / 2
    }
    if let outputPrice {
      rules.output = outputPrice
      rules.batchOutput = batchOutputPrice ?? outputPrice / 2
    }
    if let batchInputPrice { rules.batchInput = batchInputPrice }
    if let batchOutputPrice { rules.batchOutput = batchOutputPrice }
    if let outputTokensPerEntry { rules.outputTokensPerEntry = outputTokensPerEntry }
    if let maxCompletionTokens { rules.maxCompletionTokens = maxCompletionTokens }
    if let shardInputTokens { rules.shardInputTokens = shardInputTokens }
    if let temperature { rules.temperature = temperature }
  }
}
