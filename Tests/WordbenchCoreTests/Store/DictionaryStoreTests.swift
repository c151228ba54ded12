import Foundation
import GRDB
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("Dictionary store")
struct DictionaryStoreTests {
  @Test("opening creates the schema in WAL mode, and opening again keeps the data")
  func migrations() throws {
    let folder = TemporaryFolder()
    let url = folder.file("dictionary.sqlite")
    do {
      let store = try DictionaryStore(url: url)
      let result = try store.importWords(source: "x", format: "text", column: nil, startedAt: Date()) { _, sink in
        for word in ["alpha", "beta", "alpha"] { try sink.add(word) }
        return ImportCounts()
      }
      #expect(result.counts.imported == 2)
      #expect(result.counts.duplicates == 1)
    }
    let store = try DictionaryStore(url: url)
    let mode = try store.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
    #expect(mode == "wal")
    let tables = try store.pool.read {
      try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    }
    #expect(tables.contains("words") && tables.contains("imports"))
    let stats = try store.corpusStats()
    #expect(stats.words == 2)
    for file in [url.path, url.path + "-wal"] {
      let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
      #expect(mode == 0o600, "\(file)")
    }
    #expect(stats.imports == 1)
    #expect(try store.pool.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == 16384)
  }

  @Test("the v3 migration keeps v2 entries searchable, keyed by their rowids")
  func searchMigration() throws {
    let folder = TemporaryFolder()
    let url = folder.file("dictionary.sqlite")
    do {
      let queue = try DatabaseQueue(path: url.path)
      try DictionaryStore.migrator.migrate(queue, upTo: "v2: entries, attempts and full-text search")
      try queue.write { db in
        let entry = #"{"headword":"otter","senses":[{"definition":"a river mammal"},{"definition":"swims well"}]}"#
        try db.execute(
          sql: """
            INSERT INTO entries (word, entry, schema_sha256, model, run, shard, custom_id, prompt_tokens,
              completion_tokens, cost_usd, merged_at) VALUES ('otter', ?, 'x', 'm', 'r0001', 1, 'r0001-000001', 1, 1,
              0, 'now')
            """, arguments: [entry])
        try db.execute(sql: "INSERT INTO entries_search (word, definitions) VALUES ('otter', 'stale')")
      }
    }
    let store = try DictionaryStore(url: url)
    #expect(try store.search("mammal", limit: 5).map(\.word) == ["otter"])
    #expect(try store.search("stale", limit: 5).isEmpty)
    let rowids = try store.pool.read { db in
      try Row.fetchOne(db, sql: "SELECT (SELECT rowid FROM entries) AS e, (SELECT rowid FROM entries_search) AS s")
    }
    #expect(rowids?["e"] as Int64? == rowids?["s"] as Int64?)
    try Self.expectSearchIndexMatchesEntries(store)
  }

  @Test(
    "replacing an entry moves its search row to the new definitions",
    arguments: [
      // Senses as the schema asks for them, and shapes the index must read the same way as the view does.
      #"{"headword":"otter","senses":[{"definition":"a river mammal"},{"definition":"swims well"}]}"#,
      #"{"headword":"otter","senses":[{"definition":"a river mammal"},{"definition":7},"swims",{}]}"#,
      #"{"headword":"otter","senses":{"definition":"not a list"}}"#,
      #"{"headword":"otter"}"#,
    ])
  func replaceReindexes(first: String) throws {
    let folder = TemporaryFolder()
    let store = try DictionaryStore(url: folder.file("d.sqlite"))
    func merge(_ entry: String, run: String, replace: Bool) throws -> MergeChanges {
      var line = ResultLine(customID: "\(run)-000001", resultClass: .merged)
      line.entry = entry
      line.definitions = ResultLine.definitions(of: try JSONValue(parsing: entry))
      let record = MergeRecord(
        line: line, word: "otter", corpusWords: ["otter"], shard: 1, batchID: nil, costUSD: 0,
        source: MergeSource(run: run, model: "m", schemaSHA256: "x", at: Date()))
      return try store.merge([record], run: run, replace: replace)
    }
    #expect(try merge(first, run: "r0001", replace: false).newEntries == 1)
    try Self.expectSearchIndexMatchesEntries(store)
    let second = #"{"headword":"otter","senses":[{"definition":"a feline hunter"}]}"#
    #expect(try merge(second, run: "r0002", replace: false).replacedEntries == 0)
    #expect(try store.search("feline", limit: 5).isEmpty)
    #expect(try merge(second, run: "r0003", replace: true).replacedEntries == 1)
    try Self.expectSearchIndexMatchesEntries(store)
    #expect(try store.search("feline", limit: 5).map(\.snippet) == ["a [feline] hunter"])
    #expect(try store.search("mammal", limit: 5).isEmpty)
  }

  /// The search index holds, for every entry, exactly the tokens of the text the store's view gives for it: the same
  /// text indexed afresh in a temporary table has the same (term, row, column, offset) instances.
  static func expectSearchIndexMatchesEntries(_ store: DictionaryStore) throws {
    let (missing, extra) = try store.pool.write { db in
      try db.execute(
        sql: """
          INSERT INTO entries_search (entries_search) VALUES ('integrity-check');
          CREATE VIRTUAL TABLE temp.fresh USING fts5(word, definitions);
          INSERT INTO temp.fresh (rowid, word, definitions) SELECT rowid, word, definitions FROM entries_search_source;
          CREATE VIRTUAL TABLE temp.stored_terms USING fts5vocab(main, entries_search, 'instance');
          CREATE VIRTUAL TABLE temp.fresh_terms USING fts5vocab(temp, fresh, 'instance');
          """)
      let missing = try Row.fetchAll(db, sql: "SELECT * FROM fresh_terms EXCEPT SELECT * FROM stored_terms")
      let extra = try Row.fetchAll(db, sql: "SELECT * FROM stored_terms EXCEPT SELECT * FROM fresh_terms")
      try db.execute(sql: "DROP TABLE temp.stored_terms; DROP TABLE temp.fresh_terms; DROP TABLE temp.fresh")
      return (missing, extra)
    }
    #expect(missing.isEmpty && extra.isEmpty, "not indexed: \(missing); indexed but not in the entries: \(extra)")
  }

  @Test("a failing import adds nothing")
  func rollback() throws {
    struct Boom: Error {}
    let folder = TemporaryFolder()
    let store = try DictionaryStore(url: folder.file("d.sqlite"))
    #expect(throws: Boom.self) {
      try store.importWords(source: "x", format: "text", column: nil, startedAt: Date()) { _, sink in
        for index in 0..<1000 { try sink.add("lost\(index)") }
        throw Boom()
      }
    }
    #expect(try store.corpusStats().words == 0)
    #expect(try store.corpusStats().imports == 0)
  }

  @Test("a file that is not a database is a clear error naming it")
  func notADatabase() throws {
    let folder = TemporaryFolder()
    let url = try folder.write("d.sqlite", String(repeating: "garbage ", count: 200))
    #expect {
      try DictionaryStore(url: url)
    } throws: { error in
      guard case StoreError.cannotOpen(let path, _) = error else { return false }
      return path == url.path
    }
  }
}
