import Foundation

/// Problems building requests: templates, the entry schema, models and prices, budgets, word lists.
public enum RequestError: Error, Equatable, CustomStringConvertible {
  case resourceMissing(String)
  case badRanks(file: String, line: Int)
  /// The prompt template is unusable; `line` is 1-based in the template file.
  case template(file: String, line: Int?, reason: String)
  /// The entry schema breaks a rule of strict structured outputs at the JSON pointer `path`.
  case schema(file: String, path: String, reason: String)
  case unknownModel(String, known: [String])
  case unreadable(file: String, reason: String)
  /// An estimate passes a spending limit; nothing was written.
  case overBudget(limit: String, limitUSD: Double, estimateUSD: Double, words: Int)
  case noWords(reason: String)
  case unknownWords(file: String, words: [String])
  /// `prepare --redo` on a run that has gone further than prepare.
  case cannotRedo(run: String, reason: String)

  public var description: String {
    switch self {
    case .resourceMissing(let name):
      "the bundled resource \(name) is missing from this wordbench build; rebuild it with `swift build`"
    case .badRanks(let file, let line):
      "\(file):\(line): not a `<base64> <rank>` line of a tiktoken ranks file"
    case .template(let file, let line, let reason):
      "\(file)\(line.map { ":\($0)" } ?? ""): \(reason)"
    case .schema(let file, let path, let reason):
      "\(file) at \(path.isEmpty ? "/" : path): \(reason) (OpenAI's strict structured outputs require it)"
    case .unknownModel(let model, let known):
      "no rules or prices for the model \"\(model)\"; known models: \(known.joined(separator: ", ")); add a "
        + "[models.\"\(model)\"] section with its prices to workspace.toml"
    case .unreadable(let file, let reason):
      "cannot read \(file): \(reason)"
    case .overBudget(let limit, let limitUSD, let estimateUSD, let words):
      "the estimate for \(words) words is \(Money.format(estimateUSD)), over \(limit) of \(Money.format(limitUSD)); "
        + "nothing was written. Take fewer words (--words N) or raise the limit"
    case .noWords(let reason):
      "no words to prepare: \(reason)"
    case .cannotRedo(let run, let reason):
      "cannot rebuild \(run): \(reason); prepare a new run instead"
    case .unknownWords(let file, let words):
      "\(file): \(words.count) word(s) are not in the corpus (\(words.prefix(5).joined(separator: ", "))"
        + "\(words.count > 5 ? ", ..." : "")); import them first with `wordbench corpus import`"
    }
  }
}

/// Dollar amounts as the tool prints them: cents for large sums, more digits for the small per-word costs.
public enum Money {
  public static func format(_ dollars: Double) -> String {
    let digits = dollars != 0 && abs(dollars) < 0.01 ? 6 : (abs(dollars) < 100 ? 4 : 2)
    return "$" + String(format: "%.\(digits)f", dollars)
  }
}
