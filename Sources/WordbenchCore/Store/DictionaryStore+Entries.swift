import Foundation
import GRDB

/// What every record of one merge shares.
struct MergeSource: Sendable {
  var run: String
  var model: String
  var schemaSHA256: String
  /// When the merge ran, as the store writes times.
  var time: String

  init(run: String, model: String, schemaSHA256: String, at time: Date) {
    self.run = run
    self.model = model
    self.schemaSHA256 = schemaSHA256
    self.time = ISO8601DateFormatter().string(from: time)
  }
}

/// One judged request of a run, as merge hands it to the store: the values of its attempt and entry rows, and the
/// status it gives its words, made when the record is, because the thread that writes them is a merge's critical
/// path and the threads that judge lines wait for it.
struct MergeRecord: Sendable {
  let word: String
  let attempt: StatementArguments
  /// The entry row's values and the text the search index holds for it, for a merged line.
  let entry: (values: StatementArguments, definitions: String)?
  let change: StatusChange
  /// The corpus words the request stands for, the headword among them, each once.
  let statusWords: [String]

  init(
    line: ResultLine, word: String, corpusWords: [String], shard: Int, batchID: String?, costUSD: Double,
    source: MergeSource
  ) {
    self.word = word
    attempt = [
      source.run, line.customID, word, line.resultClass.rawValue, line.kind?.rawValue, line.message, source.time,
    ]
    if line.resultClass == .merged, let entry = line.entry {
      self.entry = (
        [
          word, entry, source.schemaSHA256, source.model, source.run, shard, line.customID, batchID,
          line.promptTokens, line.completionTokens, costUSD, source.time,
        ],
        line.definitions ?? ""
      )
    } else {
      self.entry = nil
    }
    change = StatusChange(status: line.resultClass == .merged ? .done : .failed, errorClass: line.kind?.rawValue)
    statusWords = Array(Set(corpusWords + [word]))
  }
}

/// The status and error class a merge gives a group of words.
struct StatusChange: Hashable, Sendable {
  var status: WordStatus
  var errorClass: String?
}

/// What one batch of records changed.
struct MergeChanges {
  var newEntries = 0
  var replacedEntries = 0
  /// Records whose attempt was already in the store (an earlier merge of the same results).
  var alreadyMerged = 0
}

extension DictionaryStore {
  /// Writes judged records in one transaction: entries (a word's entry is replaced only with `replace`), the
  /// full-text index, one attempt per request (so merging the same results twice changes nothing), and the
  /// corpus words' status.
  func merge(_ records: [MergeRecord], run: String, replace: Bool) throws -> MergeChanges {
    try write { db in
      var changes = MergeChanges()
      let attempt = try db.cachedStatement(
        sql: """
          INSERT OR IGNORE INTO attempts (run, custom_id, word, outcome, error_class, message, at)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """)
      let existing = try db.cachedStatement(sql: "SELECT rowid, entry FROM entries WHERE word = ?")
      // A word's first entry (the common case) is inserted without looking for an older one first.
      let insert = try db.cachedStatement(sql: "\(Self.entryInsert) ON CONFLICT (word) DO NOTHING")
      let upsert = try db.cachedStatement(
        sql: "\(Self.entryInsert) ON CONFLICT (word) DO UPDATE SET \(Self.entryUpdate)")
      // The search index reads its text from the entries (v5), so an entry leaves it by naming the text it was
      // indexed with, computed as when it was added.
      let unindex = try db.cachedStatement(
        sql: "INSERT INTO entries_search (entries_search, rowid, word, definitions) VALUES ('delete', ?, ?, ?)")
      let index = try db.cachedStatement(
        sql: "INSERT INTO entries_search (rowid, word, definitions) VALUES (?, ?, ?)")
      // Words are updated many at a time, grouped by outcome and error class: one statement per word costs more
      // than everything else a record needs.
      var statuses: [StatusChange: [String]] = [:]
      for record in records {
        try attempt.execute(arguments: record.attempt)
        guard db.changesCount > 0 else {
          changes.alreadyMerged += 1
          continue
        }
        if let (values, definitions) = record.entry {
          try insert.execute(arguments: values)
          var rowID: Int64?
          if db.changesCount > 0 {
            rowID = db.lastInsertedRowID
            changes.newEntries += 1
          } else if replace, let old = try Row.fetchOne(existing, arguments: [record.word]) {
            // Updated in place, so the entry keeps its rowid and its search row is found by it.
            let oldRowID: Int64 = old[0]
            let oldEntry = (try? JSONValue(parsing: old[1] as String)) ?? .null
            try unindex.execute(arguments: [oldRowID, record.word, ResultLine.definitions(of: oldEntry)])
            try upsert.execute(arguments: values)
            rowID = oldRowID
            changes.replacedEntries += 1
          }
          if let rowID { try index.execute(arguments: [rowID, record.word, definitions]) }
        }
        statuses[record.change, default: []].append(contentsOf: record.statusWords)
      }
      for (change, unsorted) in statuses {
        // In the words' index order: a run lists its words by frequency, so unsorted, every chunk of 500 touched pages
        // all over the table. Sorted, the bench merge writes 1,118 MB to disk instead of 1,542 MB.
        let words = unsorted.sorted()
        for start in stride(from: 0, to: words.count, by: 500) {
          let chunk = words[start..<min(words.count, start + 500)]
          // A word with an entry stays done even when a later attempt for it fails.
          try db.execute(
            sql: """
              UPDATE words SET status = CASE WHEN status = 'done' THEN 'done' ELSE ? END,
                attempts = attempts + 1, last_run = ?, last_error = ?
              WHERE word IN (\(repeatElement("?", count: chunk.count).joined(separator: ",")))
              """,
            arguments: StatementArguments([change.status.rawValue, run, change.errorClass] + Array(chunk)))
        }
      }
      return changes
    }
  }

  private static let entryInsert = """
    INSERT INTO entries (word, entry, schema_sha256, model, run, shard, custom_id, batch_id, prompt_tokens,
      completion_tokens, cost_usd, merged_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """
  private static let entryUpdate = """
    entry = excluded.entry, schema_sha256 = excluded.schema_sha256, model = excluded.model, run = excluded.run,
    shard = excluded.shard, custom_id = excluded.custom_id, batch_id = excluded.batch_id,
    prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,
    cost_usd = excluded.cost_usd, merged_at = excluded.merged_at
    """

  /// Output tokens per entry and model, measured over every entry in the store.
  func measuredOutput() throws -> [String: Calibration.Measured] {
    try read { db in
      var measured: [String: Calibration.Measured] = [:]
      for row in try Row.fetchAll(
        db, sql: "SELECT model, COUNT(*) AS entries, SUM(completion_tokens) AS tokens FROM entries GROUP BY model")
      {
        measured[row["model"]] = Calibration.Measured(entries: row["entries"], completionTokens: row["tokens"])
      }
      return measured
    }
  }

  public func entryCount() throws -> Int {
    try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries") ?? 0 }
  }

  /// Attempts recorded per outcome (merged, rejected, failed), or with `byErrorClass` per error class of the ones
  /// that were not merged, over every run.
  public func attemptCounts(byErrorClass: Bool = false) throws -> [String: Int] {
    let column = byErrorClass ? "error_class" : "outcome"
    return try read { db in
      var counts: [String: Int] = [:]
      let sql = "SELECT \(column) AS k, COUNT(*) AS n FROM attempts WHERE \(column) IS NOT NULL GROUP BY \(column)"
      for row in try Row.fetchAll(db, sql: sql) { counts[row["k"]] = row["n"] }
      return counts
    }
  }
}

/// A corpus word's standing, for `lookup` to say why there is no entry.
public struct WordState: Codable, Equatable, Sendable {
  public var word: String
  /// The headword the word was taken under and its Zipf frequency, once a run has taken it.
  public var lemma: String?
  public var zipf: Double?
  public var status: WordStatus
  public var attempts: Int
  public var lastRun: String?
  public var lastError: String?
  /// The message of the last failed attempt.
  public var lastMessage: String?

  enum CodingKeys: String, CodingKey {
    case word, lemma, zipf, status, attempts
    case lastRun = "last_run"
    case lastError = "last_error"
    case lastMessage = "last_message"
  }
}

/// A stored entry and where it came from.
public struct StoredEntry: Codable, Equatable, Sendable {
  public var word: String
  public var entry: JSONValue
  public var model: String
  public var run: String
  public var mergedAt: String

  enum CodingKeys: String, CodingKey {
    case word, entry, model, run
    case mergedAt = "merged_at"
  }
}

extension DictionaryStore {
  public func entry(for word: String) throws -> StoredEntry? {
    try read { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT word, entry, model, run, merged_at FROM entries WHERE word = ?", arguments: [word])
      else { return nil }
      let text: String = row["entry"]
      return StoredEntry(
        word: row["word"], entry: (try? JSONValue(parsing: text)) ?? .string(text),
        model: row["model"], run: row["run"], mergedAt: row["merged_at"])
    }
  }

  public func state(of word: String) throws -> WordState? {
    try read { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT word, lemma, zipf, status, attempts, last_run, last_error FROM words WHERE word = ?",
          arguments: [word])
      else { return nil }
      let message = try String.fetchOne(
        db, sql: "SELECT message FROM attempts WHERE word = ? AND outcome != 'merged' ORDER BY id DESC LIMIT 1",
        arguments: [word])
      return WordState(
        word: row["word"], lemma: row["lemma"], zipf: row["zipf"],
        status: WordStatus(rawValue: row["status"]) ?? .pending,
        attempts: row["attempts"],
        lastRun: row["last_run"], lastError: row["last_error"], lastMessage: message)
    }
  }

  /// Full-text search over headwords and definitions, best matches first. Every word of `text` must occur; its
  /// characters are taken literally (FTS5 operators in it have no effect).
  public func search(_ text: String, limit: Int) throws -> [(word: String, snippet: String)] {
    let terms = text.split(whereSeparator: { $0.isWhitespace }).map {
      "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\""
    }
    guard !terms.isEmpty else { return [] }
    return try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT word, snippet(entries_search, 1, '[', ']', '...', 12) AS snippet FROM entries_search
          WHERE entries_search MATCH ? ORDER BY rank LIMIT ?
          """,
        arguments: [terms.joined(separator: " "), limit]
      ).map { ($0["word"], $0["snippet"]) }
    }
  }

  /// Every entry in headword order, optionally only those merged from runs at or after `since`.
  public func forEachEntry(
    since run: String? = nil, through last: String? = nil, _ body: (String, String) throws -> Void
  ) throws {
    try read { db in
      // Run names are zero-padded (r0001), so they compare as text in their order; "s" sorts after every one.
      let cursor = try Row.fetchCursor(
        db, sql: "SELECT word, entry FROM entries WHERE run >= ? AND run <= ? ORDER BY word",
        arguments: [run ?? "", last ?? "s"])
      while let row = try cursor.next() { try body(row["word"], row["entry"]) }
    }
  }
}

extension DictionaryStore {
  /// How many requests for `word` ended rejected or failed, over every run.
  func failedAttempts(of word: String) throws -> Int {
    try read { db in
      try Int.fetchOne(
        db, sql: "SELECT COUNT(*) FROM attempts WHERE word = ? AND outcome != 'merged'", arguments: [word]) ?? 0
    }
  }

  /// The failed attempts for a headword: how many, and the last one's run, kind and message.
  func attemptSummary(of word: String) throws -> (count: Int, run: String, kind: String?, message: String?)? {
    try read { db in
      guard
        let row = try Row.fetchOne(
          db,
          sql: """
            SELECT COUNT(*) OVER () AS count, run, error_class, message FROM attempts
            WHERE word = ? AND outcome != 'merged' ORDER BY id DESC LIMIT 1
            """, arguments: [word])
      else { return nil }
      return (row["count"], row["run"], row["error_class"], row["message"])
    }
  }

  func hasEntry(_ word: String) throws -> Bool {
    try read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM entries WHERE word = ?", arguments: [word]) ?? false }
  }
}
