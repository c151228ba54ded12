import Foundation

/// The settings of a workspace, read from `workspace.toml`. Every field has a documented default.
public struct WorkspaceConfig: Equatable, Sendable {
  /// Which batch API to talk to and with which model.
  public struct Provider: Equatable, Sendable {
    public var name = "openai"
    public var baseURL = "https://api.openai.com/v1"
    public var model = "gpt-4o-mini"
    public var completionWindow = "24h"
    /// Azure OpenAI and some gateways want `?api-version=`; empty sends none.
    public var apiVersion = ""
    /// The header that carries the key: `authorization` (Bearer, OpenAI) or `api-key` (Azure OpenAI).
    public var keyHeader = "authorization"
    /// Seconds after which the provider deletes a batch's output files (3600 to 2592000); 0 keeps its default.
    public var outputExpiresAfter = 0
  }

  /// How requests are cut into shards and how many batches may be out at once.
  public struct Limits: Equatable, Sendable {
    public var maxRequestsPerShard = 50_000
    public var maxShardMegabytes = 190
    public var maxConcurrentBatches = 5
    /// The input tokens that may be queued at the provider per model; 0 takes the model's `shard_input_tokens`
    /// (the enqueued-token limit of a low usage tier), so by default one shard per model is out at a time.
    public var maxEnqueuedTokens = 0
  }

  /// Hard spending limits in US dollars; nothing is uploaded whose estimate would pass one.
  public struct Budget: Equatable, Sendable {
    public var maxCostPerRun = 10.0
    public var maxCostPerDay = 25.0
    public var maxCostPerMonth = 100.0
  }

  /// Which words of the corpus are worth an entry.
  public struct Filter: Equatable, Sendable {
    public var preset = FilterPreset.moderate
    /// Built-in stop lists by name (`fox`, `nltk-179`, `nltk-198`); empty to use only `stopWordFiles`.
    public var stopLists = ["fox"]
    /// Extra stop-word files (one word per line), relative to the workspace.
    public var stopWordFiles: [String] = []
  }

  /// Where the lexical data comes from.
  public struct Lexicon: Equatable, Sendable {
    /// A folder in WordNet's database layout; `WORDNET_DIR` overrides it.
    public var wordNetDirectory = "/usr/share/wordnet"
  }

  /// What goes into each request.
  public struct Requests: Equatable, Sendable {
    /// WordNet senses given as grounding in the user message.
    public var maxSenses = 6
    /// Sent only to models that accept it.
    public var temperature = 0.3
  }

  /// When the unattended scheduler wakes and how much it takes on per cycle.
  public struct Scheduler: Equatable, Sendable {
    public var frequency = ScheduleFrequency.daily
    /// Local time of a cycle; hourly cycles use only its minutes.
    public var runTime = "02:00"
    /// The day of weekly cycles.
    public var weekday = Weekday.monday
    public var maxWordsPerRun = 10_000
    /// Lets the scheduler move the batch size between the bounds with the success and turnaround of recent batches.
    public var autoScale = false
    public var minBatchSize = 500
    public var maxBatchSize = 50_000
  }

  /// How finished runs are archived (`wordbench archive`).
  public struct Archive: Equatable, Sendable {
    public var format = ArchiveFormat.tarZstd
    /// The compression level; the format's default when 0.
    public var level = 0
    /// Runs finished longer ago than this are archived by `archive --older-than` without a value and by the scheduler.
    public var olderThan = "30d"
  }

  public var provider = Provider()
  public var limits = Limits()
  public var budget = Budget()
  public var filter = Filter()
  public var lexicon = Lexicon()
  public var scheduler = Scheduler()
  public var requests = Requests()
  public var archive = Archive()
  /// `[models."NAME"]` sections: prices and limits that replace the bundled model table's.
  public var models: [String: ModelOverride] = [:]

  public init() {}
}

/// The frequency-based filter presets; each keeps a share of a Scrabble-size corpus.
public enum FilterPreset: String, CaseIterable, Sendable {
  case conservative, moderate, aggressive, none
}

/// The archive formats: tar with zstd (the default) or with gzip.
public enum ArchiveFormat: String, CaseIterable, Sendable {
  case tarZstd = "tar.zst"
  case tarGzip = "tar.gz"

  /// The file name suffix, with its dot.
  public var suffix: String { ".\(rawValue)" }

  public var levels: ClosedRange<Int> { self == .tarZstd ? 1...19 : 1...9 }
  public var defaultLevel: Int { self == .tarZstd ? 3 : 6 }

  public func compression(level: Int) -> ArchiveCompression {
    self == .tarZstd ? .zstd(level: level) : .gzip(level: level)
  }
}

/// The day of a weekly schedule.
public enum Weekday: String, CaseIterable, Sendable {
  case sunday, monday, tuesday, wednesday, thursday, friday, saturday

  /// Calendar's numbering: Sunday is 1.
  public var number: Int { Self.allCases.firstIndex(of: self)! + 1 }
}

/// How often the scheduler runs a cycle.
public enum ScheduleFrequency: String, CaseIterable, Sendable {
  case hourly, daily, weekly
}
