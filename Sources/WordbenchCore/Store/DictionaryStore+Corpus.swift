import Foundation
import GRDB

/// Adds words to the store within an import's transaction, many rows per statement, and counts the new ones.
public final class WordSink {
  private let db: Database
  private let importID: Int64
  private var pending: [String] = []
  /// Words handed to `add`.
  public private(set) var accepted = 0
  /// Words that were not in the store before; the others were duplicates.
  public private(set) var inserted = 0

  /// Rows per INSERT: enough to make per-statement overhead vanish, well under SQLite's bound-parameter limit.
  static let batchSize = 256

  init(db: Database, importID: Int64) {
    self.db = db
    self.importID = importID
    pending.reserveCapacity(Self.batchSize)
  }

  /// Queues `word` to be added as pending; a word the store already has is skipped when the batch is written.
  public func add(_ word: String) throws {
    accepted += 1
    pending.append(word)
    if pending.count == Self.batchSize { try flush() }
  }

  /// Writes the queued words.
  public func flush() throws {
    guard !pending.isEmpty else { return }
    let sql = pending.count == Self.batchSize ? Self.fullBatchSQL : Self.insertSQL(rows: pending.count)
    let statement = try db.cachedStatement(sql: sql)
    var arguments = StatementArguments()
    for word in pending { arguments += [word, importID] }
    try statement.execute(arguments: arguments)
    inserted += db.changesCount
    pending.removeAll(keepingCapacity: true)
  }

  private static let fullBatchSQL = insertSQL(rows: batchSize)

  static func insertSQL(rows: Int) -> String {
    "INSERT OR IGNORE INTO words (word, import_id) VALUES "
      + repeatElement("(?, ?)", count: rows).joined(separator: ", ")
  }
}

/// A corpus word with what the lexicon says about it, as a run takes it.
struct AnalysedWord {
  var word: String
  var lemma: String
  var zipf: Double
}

/// The numbers an import ends with.
public struct ImportCounts: Codable, Equatable, Sendable {
  public var lines = 0
  public var imported = 0
  public var duplicates = 0
  public var rejected = 0

  public init() {}
}

/// The corpus as the store sees it.
public struct CorpusStats: Codable, Equatable, Sendable {
  public var words: Int
  public var byStatus: [String: Int]
  public var imports: Int
  public var rejectedLines: Int
  public var lastImportAt: String?

  enum CodingKeys: String, CodingKey {
    case words, imports
    case byStatus = "by_status"
    case rejectedLines = "rejected_lines"
    case lastImportAt = "last_import_at"
  }
}

extension DictionaryStore {
  /// Records an import and adds its words in a single transaction: an interrupted import adds nothing, so running it
  /// again completes it. `body` feeds the words and returns the counts of lines and rejected lines; the imported and
  /// duplicate counts come from the store.
  public func importWords(
    source: String, format: String, column: String?, startedAt: Date,
    _ body: (Int64, WordSink) throws -> ImportCounts
  ) throws -> (importID: Int64, counts: ImportCounts) {
    let time = ISO8601DateFormatter().string(from: startedAt)
    return try write { db in
      try db.execute(
        sql: "INSERT INTO imports (source, format, column, started_at) VALUES (?, ?, ?, ?)",
        arguments: [source, format, column, time])
      let importID = db.lastInsertedRowID
      let sink = WordSink(db: db, importID: importID)
      var counts = try body(importID, sink)
      try sink.flush()
      counts.imported = sink.inserted
      counts.duplicates = sink.accepted - sink.inserted
      try db.execute(
        sql: "UPDATE imports SET lines = ?, imported = ?, duplicates = ?, rejected = ? WHERE id = ?",
        arguments: [counts.lines, counts.imported, counts.duplicates, counts.rejected, importID])
      return (importID, counts)
    }
  }

  /// The id the next import will get, for naming its files before the transaction commits.
  public func nextImportID() throws -> Int64 {
    try read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM imports") ?? 1 }
  }

  /// How many words the corpus has. Words are only ever added, with ids counting up from 1, so the highest id is
  /// the count, found in the primary key at once instead of by counting every row.
  public func wordCount() throws -> Int {
    try read { db in try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM words") ?? 0 }
  }

  /// Calls `body` with every corpus word in import order, streaming from the database.
  public func forEachWord(_ body: (String) throws -> Void) throws {
    try read { db in
      let cursor = try String.fetchCursor(db, sql: "SELECT word FROM words ORDER BY id")
      while let word = try cursor.next() { try body(word) }
    }
  }

  /// The corpus words with `status`.
  public func words(withStatus status: WordStatus) throws -> Set<String> {
    try read { db in
      // Only merge makes a word done, and only with an entry: without entries the table scan can be skipped.
      if status == .done, try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM entries)")! { return [] }
      return Set(try String.fetchAll(db, sql: "SELECT word FROM words WHERE status = ?", arguments: [status.rawValue]))
    }
  }

  public func corpusStats() throws -> CorpusStats {
    try read { db in
      // One pass summing each status: grouping would sort the whole table first (words.status has no index).
      let statuses = WordStatus.allCases.map(\.rawValue)
      let sums = statuses.map { _ in "COALESCE(SUM(status = ?), 0)" }.joined(separator: ", ")
      let counts = try Row.fetchOne(db, sql: "SELECT \(sums) FROM words", arguments: StatementArguments(statuses))
      var byStatus: [String: Int] = [:]
      for (column, status) in statuses.enumerated() { byStatus[status] = counts?[column] ?? 0 }
      let imports = try Row.fetchOne(
        db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(rejected), 0) AS rejected, MAX(started_at) AS last FROM imports")
      return CorpusStats(
        words: byStatus.values.reduce(0, +), byStatus: byStatus, imports: imports?["n"] ?? 0,
        rejectedLines: imports?["rejected"] ?? 0, lastImportAt: imports?["last"])
    }
  }
}

extension DictionaryStore {
  /// Sets the status (and the run, when given) of the given corpus words; words not in the corpus are ignored.
  public func setStatus(_ status: WordStatus, of words: some Collection<String>, run: String? = nil) throws {
    let list = Array(words)
    try write { db in
      for start in stride(from: 0, to: list.count, by: 500) {
        let chunk = Array(list[start..<min(list.count, start + 500)])
        let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
        try db.execute(
          sql: "UPDATE words SET status = ?, last_run = coalesce(?, last_run) WHERE word IN (\(marks))",
          arguments: StatementArguments([status.rawValue, run] + chunk))
      }
    }
  }

  /// The runs that words are in flight in, with how many words each.
  func inFlightRuns() throws -> [String: Int] {
    try read { db in
      var runs: [String: Int] = [:]
      for row in try Row.fetchAll(
        db, sql: "SELECT last_run AS run, COUNT(*) AS n FROM words WHERE status = ? GROUP BY last_run",
        arguments: [WordStatus.inFlight.rawValue])
      {
        runs[row["run"] ?? "", default: 0] += row["n"] as Int
      }
      return runs
    }
  }

  /// Makes the words in flight in `run` pending again; returns how many there were.
  @discardableResult
  func releaseInFlight(run: String) throws -> Int {
    try write { db in
      try db.execute(
        sql: "UPDATE words SET status = ? WHERE status = ? AND coalesce(last_run, '') = ?",
        arguments: [WordStatus.pending.rawValue, WordStatus.inFlight.rawValue, run])
      return db.changesCount
    }
  }

  /// Marks corpus words in flight in `run`, recording the lemma and Zipf frequency the run took each with; words not
  /// in the corpus are ignored.
  func markInFlight(_ words: [AnalysedWord], run: String) throws {
    try write { db in
      let statement = try db.cachedStatement(
        sql: "UPDATE words SET status = ?, last_run = ?, lemma = ?, zipf = ? WHERE word = ?")
      for word in words {
        try statement.execute(arguments: [WordStatus.inFlight.rawValue, run, word.lemma, word.zipf, word.word])
      }
    }
  }

  /// Which of `words` are in the corpus.
  public func corpusWords(among words: [String]) throws -> Set<String> {
    try read { db in
      var found = Set<String>()
      for start in stride(from: 0, to: words.count, by: 500) {
        let chunk = Array(words[start..<min(words.count, start + 500)])
        let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
        found.formUnion(
          try String.fetchAll(
            db, sql: "SELECT word FROM words WHERE word IN (\(marks))", arguments: StatementArguments(chunk)))
      }
      return found
    }
  }
}
