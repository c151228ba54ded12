import Foundation

/// The settings `workspace.toml` accepts, in the order a new file lists them.
enum ConfigSchema {
  /// Section headers with the comment written above each in a new file.
  static let sections: [(name: String, help: String)] = [
    ("provider", "The batch API, its address and the model that writes the entries."),
    ("limits", "How requests are cut into shards and how many batches may be in flight."),
    ("budget", "Hard spending limits: nothing is uploaded whose estimated cost would pass one."),
    ("filter", "Which corpus words are worth an entry."),
    ("lexicon", "The lexical data behind normalization."),
    ("requests", "What each request carries (templates/entry.prompt.md and entry.schema.json hold the rest)."),
    ("scheduler", "The unattended scheduler (wordbench scheduler start / run-once)."),
    ("archive", "How finished runs are archived (wordbench archive)."),
  ]

  static var keys: [ConfigKey] {
    [
      .text(
        "provider", "name", \.provider.name, help: "The provider. One of: openai.",
        validate: { $0 == "openai" ? nil : "\"\($0)\" is not allowed; use one of: openai" }),
      .text(
        "provider", "base_url", \.provider.baseURL,
        help: "The API's base URL; point it at an OpenAI-compatible server such as `wordbench emulator`.",
        validate: validateBaseURL),
      .text(
        "provider", "model", \.provider.model, help: "The model that writes the entries.",
        validate: validateModel),
      .text(
        "provider", "completion_window", \.provider.completionWindow,
        help: "How long the provider may take per batch. One of: 24h.",
        validate: { $0 == "24h" ? nil : "\"\($0)\" is not allowed; use one of: 24h" }),
      .text(
        "provider", "api_version", \.provider.apiVersion,
        help: "Sent as ?api-version= on every request when set (Azure OpenAI, for example 2024-10-21).",
        validate: { _ in nil }),
      .text(
        "provider", "key_header", \.provider.keyHeader,
        help: "The header that carries OPENAI_API_KEY. One of: authorization (Bearer), api-key (Azure OpenAI).",
        validate: {
          ["authorization", "api-key"].contains($0)
            ? nil : "\"\($0)\" is not allowed; use one of: authorization, api-key"
        }),
      .integer(
        "provider", "output_expires_after", \.provider.outputExpiresAfter, range: 0...2_592_000,
        help: "Seconds until the provider deletes a batch's result files (3600 or more); 0 keeps its 30 days."),
      .integer(
        "limits", "max_requests_per_shard", \.limits.maxRequestsPerShard, range: 1...50_000,
        help: "Requests per shard file (the Batch API takes at most 50,000)."),
      .integer(
        "limits", "max_shard_mb", \.limits.maxShardMegabytes, range: 1...200,
        help: "Size of a shard file in megabytes (the Batch API takes at most 200)."),
      .integer(
        "limits", "max_concurrent_batches", \.limits.maxConcurrentBatches, range: 1...100,
        help: "Batches in flight at once in this workspace."),
      .integer(
        "limits", "max_enqueued_tokens", \.limits.maxEnqueuedTokens, range: 0...100_000_000_000,
        help:
          "Input tokens queued at the provider per model (your tier's limit on the Limits page); 0 takes the model's "
          + "max_shard_input_tokens, one shard at a time."),
      .dollars("budget", "max_cost_per_run", \.budget.maxCostPerRun, help: "The most one run may cost."),
      .dollars("budget", "max_cost_per_day", \.budget.maxCostPerDay, help: "The most all runs may cost in a day."),
      .dollars(
        "budget", "max_cost_per_month", \.budget.maxCostPerMonth, help: "The most all runs may cost in a month."),
      .choice(
        "filter", "preset", \.filter.preset,
        help:
          "Zipf floor of the filter: conservative 2.08, moderate 2.46, aggressive 2.91 (about 20, 15 and 10 % of a "
          + "Scrabble-size word list), none for cleaning only."),
      .textList(
        "filter", "stop_lists", \.filter.stopLists,
        help: "Built-in stop lists to use: fox (Fox 1990, 421 words), nltk-179, nltk-198. [] for none.",
        validate: {
          StopWords.builtIn[$0] == nil ? "\"\($0)\" is not a built-in stop list; use fox, nltk-179 or nltk-198" : nil
        }),
      .textList(
        "filter", "stop_word_files", \.filter.stopWordFiles,
        help: "More stop words: files with one word per line, relative to the workspace.",
        validate: { $0.isEmpty ? "an empty file name" : nil }),
      .text(
        "lexicon", "wordnet_dir", \.lexicon.wordNetDirectory,
        help: "A folder in WordNet's database layout (Debian's wordnet-base). WORDNET_DIR overrides it.",
        validate: { $0.isEmpty ? "an empty folder name" : nil }),
      .integer(
        "requests", "max_senses", \.requests.maxSenses, range: 0...50,
        help: "WordNet senses given to the model as grounding ({{senses}} in the prompt)."),
      .amount(
        "requests", "temperature", \.requests.temperature, range: 0...2,
        help: "Sampling temperature, sent only to models that accept one (not reasoning models)."),
      .choice("scheduler", "frequency", \.scheduler.frequency, help: "How often a cycle runs."),
      .text(
        "scheduler", "run_time", \.scheduler.runTime, help: "Local time of day of a cycle, HH:MM (24-hour).",
        validate: validateTimeOfDay),
      .choice("scheduler", "weekday", \.scheduler.weekday, help: "The day of weekly cycles."),
      .integer(
        "scheduler", "max_words_per_run", \.scheduler.maxWordsPerRun, range: 1...1_000_000,
        help: "The most words one scheduled run takes on."),
      .flag(
        "scheduler", "auto_scale", \.scheduler.autoScale,
        help:
          "Move the batch size (requests per shard) between min_batch_size and max_batch_size with the success "
          + "rate and turnaround of recent batches."),
      .integer(
        "scheduler", "min_batch_size", \.scheduler.minBatchSize, range: 1...50_000,
        help: "The smallest batch size auto-scaling goes down to."),
      .integer(
        "scheduler", "max_batch_size", \.scheduler.maxBatchSize, range: 1...50_000,
        help: "The largest batch size auto-scaling goes up to."),
      .choice("archive", "format", \.archive.format, help: "The archive format."),
      .integer(
        "archive", "level", \.archive.level, range: 0...19,
        help: "The compression level: zstd 1 to 19, gzip 1 to 9; 0 takes the format's default (3 and 6)."),
      .text(
        "archive", "older_than", \.archive.olderThan,
        help: "The age at which finished runs are archived: a number and d, h or m (30d, 12h).",
        validate: { AgeLimit(parsing: $0) == nil ? "\"\($0)\" is not an age; use a number and d, h or m (30d)" : nil }),
    ]
  }

  /// The keys of a `[models."NAME"]` section; each replaces one value of the bundled model table.
  static var modelKeys: [(name: String, apply: (TOMLValue, inout ModelOverride) -> ConfigKey.Problem?)] {
    [
      ("input_price", price(\.inputPrice)),
      ("output_price", price(\.outputPrice)),
      ("batch_input_price", price(\.batchInputPrice)),
      ("batch_output_price", price(\.batchOutputPrice)),
      ("output_tokens_per_entry", count(\.outputTokensPerEntry)),
      ("max_completion_tokens", count(\.maxCompletionTokens)),
      ("max_shard_input_tokens", count(\.shardInputTokens)),
      (
        "temperature",
        { value, override in
          guard case .boolean(let flag) = value else {
            return ConfigKey.Problem(message: "expected true or false, found \(value.typeName)")
          }
          override.temperature = flag
          return nil
        }
      ),
    ]
  }

  private static func price(_ keyPath: WritableKeyPath<ModelOverride, Double?>)
    -> (TOMLValue, inout ModelOverride) -> ConfigKey.Problem?
  {
    { value, override in
      switch ConfigKey.amount(value, of: "a price in US dollars per 1M tokens") {
      case .success(let amount):
        override[keyPath: keyPath] = amount
        return nil
      case .failure(let problem): return problem
      }
    }
  }

  private static func count(_ keyPath: WritableKeyPath<ModelOverride, Int?>)
    -> (TOMLValue, inout ModelOverride) -> ConfigKey.Problem?
  {
    { value, override in
      switch ConfigKey.wholeNumber(value, in: 1...1_000_000_000) {
      case .success(let number):
        override[keyPath: keyPath] = number
        return nil
      case .failure(let problem): return problem
      }
    }
  }

  static func validateBaseURL(_ text: String) -> String? {
    guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
      url.host?.isEmpty == false
    else { return "\"\(text)\" is not an http:// or https:// URL" }
    return nil
  }

  static func validateModel(_ text: String) -> String? {
    let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-/")
    guard !text.isEmpty, text.count <= 128, text.unicodeScalars.allSatisfy(allowed.contains) else {
      return "\"\(text)\" is not a model name (letters, digits and . _ : - / only), for example \"gpt-4o-mini\""
    }
    return nil
  }

  static func validateTimeOfDay(_ text: String) -> String? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]), let minute = Int(parts[1]),
      (0...23).contains(hour), (0...59).contains(minute)
    else { return "\"\(text)\" is not a time of day; use HH:MM from 00:00 to 23:59" }
    return nil
  }
}
