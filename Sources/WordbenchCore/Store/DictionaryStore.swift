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
