#!/usr/bin/env python3
"""The database work of a merge and nothing else: how long SQLite itself takes to write what `wordbench merge` wrote.

Takes the store wordbench merged into and a copy of that store as it was before the merge, and copies the merge's
rows into the copy with INSERT ... SELECT from the attached merged store, all in one transaction (the cheapest way
SQLite offers): the run's attempts, the entries with their rowids, the full-text index rows, and the status columns
of every word the run touched; then it checkpoints the WAL into the database, as a merge leaves it. No JSON is read
and nothing is judged, so no merge into these tables can take less; the benchmark command prints it beside the
merge case to show how much of a merge is the database's own work. Used only by the benchmark command.
"""
import sqlite3
import sys


def main(merged: str, database: str, run: str) -> None:
    db = sqlite3.connect(database, isolation_level=None)
    # As wordbench's store connections are set up.
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA cache_size = -32768")
    db.execute("ATTACH DATABASE ? AS merged", (merged,))
    db.execute("BEGIN")
    db.execute("INSERT INTO attempts SELECT * FROM merged.attempts WHERE run = ?", (run,))
    db.execute(
        "INSERT INTO entries (rowid, word, entry, schema_sha256, model, run, shard, custom_id, batch_id, "
        "prompt_tokens, completion_tokens, cost_usd, merged_at) "
        "SELECT rowid, word, entry, schema_sha256, model, run, shard, custom_id, batch_id, "
        "prompt_tokens, completion_tokens, cost_usd, merged_at FROM merged.entries WHERE run = ?", (run,))
    db.execute(
        "INSERT INTO entries_search (rowid, word, definitions) SELECT s.rowid, s.word, s.definitions "
        "FROM merged.entries_search AS s JOIN merged.entries AS e ON e.rowid = s.rowid WHERE e.run = ?", (run,))
    db.execute(
        "UPDATE words SET status = m.status, attempts = m.attempts, last_run = m.last_run, last_error = m.last_error "
        "FROM merged.words AS m WHERE m.word = words.word AND m.last_run = ?", (run,))
    db.execute("COMMIT")
    db.execute("DETACH DATABASE merged")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
