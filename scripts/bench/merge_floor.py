#!/usr/bin/env python3
"""The database work of a merge and nothing else: how long SQLite itself takes to write what `wordbench merge` wrote.

Two steps, run as two processes so that only the second is timed:

  merge_floor.py stage MERGED STAGED RUN   copies the rows the merge of RUN wrote, out of the store it merged into
                                           (MERGED), into plain tables of a new database (STAGED): attempts, entries
                                           with their rowids, the text the full-text index holds for each entry
                                           (which the store computes from the entry's JSON), and the words' columns.
  merge_floor.py copy STAGED DATABASE      writes them into DATABASE, a copy of the store as it was before the merge,
                                           with INSERT ... SELECT in one transaction (the cheapest way SQLite offers),
                                           then checkpoints the WAL into the database, as a merge leaves it.

No JSON is read and nothing is judged, so no merge into these tables can take less; the benchmark command prints it
beside the merge case to show how much of a merge is the database's own work. Used only by the benchmark command.
"""
import sqlite3
import sys


def stage(merged: str, staged: str, run: str) -> None:
    db = sqlite3.connect(staged, isolation_level=None)
    db.execute("ATTACH DATABASE ? AS merged", (merged,))
    db.execute("BEGIN")
    db.execute("CREATE TABLE attempts AS SELECT * FROM merged.attempts WHERE run = ?", (run,))
    db.execute("CREATE TABLE entries AS SELECT rowid AS entry_rowid, * FROM merged.entries WHERE run = ?", (run,))
    db.execute(
        "CREATE TABLE search AS SELECT s.rowid AS entry_rowid, s.word, s.definitions "
        "FROM merged.entries_search_source AS s JOIN merged.entries AS e ON e.rowid = s.rowid WHERE e.run = ?", (run,))
    db.execute(
        "CREATE TABLE words AS SELECT word, status, attempts, last_run, last_error FROM merged.words "
        "WHERE last_run = ?", (run,))
    db.execute("COMMIT")
    db.close()


def copy(staged: str, database: str) -> None:
    db = sqlite3.connect(database, isolation_level=None)
    # As wordbench's store connections are set up.
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA cache_size = -32768")
    db.execute("ATTACH DATABASE ? AS staged", (staged,))
    db.execute("BEGIN")
    db.execute("INSERT INTO attempts SELECT * FROM staged.attempts")
    db.execute(
        "INSERT INTO entries (rowid, word, entry, schema_sha256, model, run, shard, custom_id, batch_id, "
        "prompt_tokens, completion_tokens, cost_usd, merged_at) "
        "SELECT entry_rowid, word, entry, schema_sha256, model, run, shard, custom_id, batch_id, "
        "prompt_tokens, completion_tokens, cost_usd, merged_at FROM staged.entries")
    db.execute(
        "INSERT INTO entries_search (rowid, word, definitions) SELECT entry_rowid, word, definitions FROM staged.search")
    db.execute(
        "UPDATE words SET status = s.status, attempts = s.attempts, last_run = s.last_run, last_error = s.last_error "
        "FROM staged.words AS s WHERE s.word = words.word")
    db.execute("COMMIT")
    db.execute("DETACH DATABASE staged")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


if __name__ == "__main__":
    if sys.argv[1] == "stage":
        stage(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        copy(sys.argv[2], sys.argv[3])
