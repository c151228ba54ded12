import Foundation

/// Tokens and cost of a set of requests for one model, before anything is sent.
public struct CostEstimate: Codable, Equatable, Sendable {
  public var model: String
  public var words: Int
  public var requests: Int
  /// Exact: counted with the model's tokenizer, plus the documented overheads.
  public var inputTokens: Int
  /// Estimated: requests times the output tokens per entry.
  public var outputTokens: Int
  public var outputTokensPerEntry: Int
  /// `default` (the model table's figure) or `measured` (the workspace's average over merged entries).
  public var outputTokensSource: OutputTokensSource
  public var batchCostUSD: Double
  public var standardCostUSD: Double
  public var pricesDate: String

  public enum OutputTokensSource: String, Codable, Sendable {
    case `default`, measured
  }

  public init(
    rules: ModelRules, pricesDate: String, words: Int, inputTokens: Int, outputPerEntry: OutputTokensPerEntry
  ) {
    model = rules.model
    self.words = words
    requests = words
    self.inputTokens = inputTokens
    outputTokensPerEntry = outputPerEntry.tokens
    outputTokensSource = outputPerEntry.source
    outputTokens = words * outputPerEntry.tokens
    batchCostUSD = rules.cost(inputTokens: inputTokens, outputTokens: outputTokens, batch: true)
    standardCostUSD = rules.cost(inputTokens: inputTokens, outputTokens: outputTokens, batch: false)
    self.pricesDate = pricesDate
  }

  enum CodingKeys: String, CodingKey {
    case model, words, requests
    case inputTokens = "input_tokens"
    case outputTokens = "output_tokens"
    case outputTokensPerEntry = "output_tokens_per_entry"
    case outputTokensSource = "output_tokens_source"
    case batchCostUSD = "batch_cost_usd"
    case standardCostUSD = "standard_cost_usd"
    case pricesDate = "prices_date"
  }
}

/// The output tokens one entry is expected to take, and where the figure comes from.
public struct OutputTokensPerEntry: Equatable, Sendable {
  public var tokens: Int
  public var source: CostEstimate.OutputTokensSource
}

/// The workspace's measured output tokens per entry and model (`calibration.json`, which merge keeps current);
/// estimates prefer it to the model table's default once entries exist.
public struct Calibration: Codable, Equatable, Sendable {
  public static let fileName = "calibration.json"

  /// Per model: how many entries were measured and their completion tokens in all.
  public struct Measured: Codable, Equatable, Sendable {
    public var entries: Int
    public var completionTokens: Int

    public init(entries: Int, completionTokens: Int) {
      self.entries = entries
      self.completionTokens = completionTokens
    }

    enum CodingKeys: String, CodingKey {
      case entries
      case completionTokens = "completion_tokens"
    }
  }

  public var models: [String: Measured]

  public init(models: [String: Measured] = [:]) { self.models = models }

  /// The workspace's calibration; none when the file is missing or unreadable (estimates then use defaults).
  public static func load(_ workspace: Workspace) -> Calibration {
    guard let data = try? Data(contentsOf: workspace.root.appendingPathComponent(fileName)),
      let calibration = try? JSONDecoder().decode(Calibration.self, from: data)
    else { return Calibration() }
    return calibration
  }

  /// The measured average for `rules.model` when there is one, else the model's default.
  public func outputTokensPerEntry(_ rules: ModelRules) -> OutputTokensPerEntry {
    if let measured = models[rules.model], measured.entries > 0 {
      let average = (Double(measured.completionTokens) / Double(measured.entries)).rounded(.up)
      return OutputTokensPerEntry(tokens: Int(average), source: .measured)
    }
    return OutputTokensPerEntry(tokens: rules.outputTokensPerEntry, source: .default)
  }
}
