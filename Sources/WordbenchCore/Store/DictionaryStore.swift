import Foundation
import GRDB

/// The workspace's SQLite database (`store/dictionary.sqlite`, WAL mode): corpus words and their status, imports,
/// and, in later versions, entries and attempt history. All schema changes go through versioned migrations.
public final class DictionaryStore: Sendable {
  public let url: URL
  let pool: DatabasePool

  /// Opens (creating if needed) the store and brings its schema up to date.
  public init(url: URL) throws(StoreError) {
    self.url = url
    // Created private before SQLite opens it: SQLite gives its -wal and -shm files the database file's permissions.
    let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, POSIXFile.filePermissions)
    if fd >= 0 { close(fd) }
    do {
      var configuration = Configuration()
      configuration.busyMode = .timeout(10)
      configuration.prepareDatabase { db in
        // Takes effect only when the file is new (before its first write and before WAL mode). Entries are about
        // 650 bytes a row, so 4 KB pages held six; with 16 KB pages the tables and indexes have a quarter of the
        // pages to split and log, and a 282k-request merge does about a fifth less database work.
        try db.execute(sql: "PRAGMA page_size = 16384")
        // A corpus of a few hundred thousand words and its index fit in 32 MB; with SQLite's default 2 MB cache a
        // large import spills pages to the WAL and reads them back for every lookup.
        try db.execute(sql: "PRAGMA cache_size = -32768")
      }
      pool = try DatabasePool(path: url.path, configuration: configuration)
      try Self.migrator.migrate(pool)
    } catch {
      throw .cannotOpen(path: url.path, reason: Self.describe(error))
    }
  }

  public convenience init(workspace: Workspace) throws(StoreError) {
    try self.init(url: workspace.storeURL)
  }

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1: words and imports") { db in
      try db.execute(
        sql: """
          CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            format TEXT NOT NULL,
            column TEXT,
            started_at TEXT NOT NULL,
            lines INTEGER NOT NULL DEFAULT 0,
            imported INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0
          );
          CREATE TABLE words (
            id INTEGER PRIMARY KEY,
            word TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL DEFAULT 'pending',
            import_id INTEGER NOT NULL REFERENCES imports(id)
          );
          """)
    }
    migrator.registerMigration("v2: entries, attempts and full-text search") { db in
      try db.execute(
        sql: """
          ALTER TABLE words ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE words ADD COLUMN last_run TEXT;
          ALTER TABLE words ADD COLUMN last_error TEXT;
          CREATE INDEX words_status ON words(status);
          CREATE TABLE entries (
            word TEXT PRIMARY KEY,
            entry TEXT NOT NULL,
            schema_sha256 TEXT NOT NULL,
            model TEXT NOT NULL,
            run TEXT NOT NULL,
            shard INTEGER NOT NULL,
            custom_id TEXT NOT NULL,
            batch_id TEXT,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            merged_at TEXT NOT NULL
          );
          CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            run TEXT NOT NULL,
            custom_id TEXT NOT NULL,
            word TEXT NOT NULL,
            outcome TEXT NOT NULL,
            error_class TEXT,
            message TEXT,
            at TEXT NOT NULL,
            UNIQUE (run, custom_id)
          );
          CREATE INDEX attempts_word ON attempts(word);
          CREATE VIRTUAL TABLE entries_search USING fts5(word, definitions);
          """)
    }
    migrator.registerMigration("v3: each word's lemma and Zipf frequency; search rows keyed by entry") { db in
      // Lemma and Zipf are filled when a run takes the word (prepare knows both then); NULL until then. The search
      // index is rebuilt with the entries' rowids, so replacing an entry finds its row directly.
      try db.execute(
        sql: """
          ALTER TABLE words ADD COLUMN lemma TEXT;
          ALTER TABLE words ADD COLUMN zipf REAL;
          DELETE FROM entries_search;
          INSERT INTO entries_search (rowid, word, definitions)
            SELECT e.rowid, e.word, coalesce((SELECT group_concat(json_extract(s.value, '$.definition'), ' ')
              FROM json_each(e.entry, '$.senses') AS s), '')
            FROM entries AS e;
          """)
    }
    migrator.registerMigration("v4: no index on word status") { db in
      // Every status change moved the word's entry in this index: about a fifth of the database work of a large merge. What
      // read it (the words of one status, counts per status) scans the table in a few tens of milliseconds instead.
      try db.execute(sql: "DROP INDEX IF EXISTS words_status")
    }
    migrator.registerMigration("v5: search index over the entries themselves; only unmerged attempts by word") { db in
      // The search index kept its own copy of every headword and definition (a tenth of the store); it now reads them
      // from the entries through a view, when it shows a snippet or rebuilds. Merge indexes each entry's definitions
      // as `ResultLine.definitions(of:)` computes them, which the view mirrors: the string definitions of the senses
      // (when they are a list), joined by spaces. Paths go through the entry, whose senses may be any JSON.
      // Attempts are looked up by word only for the ones that did not merge, so only those are indexed by word.
      // FTS5's own 'rebuild' cannot read a view that calls json_each (SQLite 3.40 stops it with "SQL logic error"),
      // so the index is filled with a plain INSERT ... SELECT.
      try db.execute(
        sql: """
          DROP INDEX attempts_word;
          CREATE INDEX attempts_word ON attempts(word) WHERE outcome != 'merged';
          DROP TABLE entries_search;
          CREATE VIEW entries_search_source AS
            SELECT e.rowid AS rowid, e.word AS word, coalesce((
              SELECT group_concat(json_extract(e.entry, s.fullkey || '.definition'), ' ')
              FROM json_each(e.entry, '$.senses') AS s
              WHERE json_type(e.entry, '$.senses') = 'array' AND json_type(e.entry, s.fullkey || '.definition') = 'text'
            ), '') AS definitions
            FROM entries AS e;
          CREATE VIRTUAL TABLE entries_search USING fts5(
            word, definitions, content = 'entries_search_source', content_rowid = 'rowid');
          INSERT INTO entries_search (rowid, word, definitions)
            SELECT rowid, word, definitions FROM entries_search_source;
          """)
    }
    return migrator
  }

  /// Runs `body` in one write transaction, turning database errors into `StoreError`.
  func write<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try pool.write(body)
    } catch let error as DatabaseError {
      throw StoreError.database(path: url.path, reason: Self.describe(error))
    }
  }

  /// Runs `body` on a consistent snapshot, turning database errors into `StoreError`.
  func read<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try pool.read(body)
    } catch let error as DatabaseError {
      throw StoreError.database(path: url.path, reason: Self.describe(error))
    }
  }

  static func describe(_ error: any Error) -> String {
    if let error = error as? DatabaseError { return error.message ?? error.description }
    return String(describing: error)
  }
}
