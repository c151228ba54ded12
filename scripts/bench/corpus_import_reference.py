#!/usr/bin/env python3
"""What a Python user would run instead of `wordbench corpus import`: the same work, done the obvious way.

Reads a word list line by line, strips it, rejects invalid UTF-8, empty, over-long and control-character lines,
normalizes to NFC, deduplicates through SQLite (INSERT OR IGNORE in one transaction, WAL mode) and writes words.txt.
Used only by the benchmark command as the side-by-side reference.
"""
import sqlite3
import sys
import unicodedata


def main(source: str, database: str, words_txt: str) -> None:
    db = sqlite3.connect(database)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE IF NOT EXISTS words (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE)")
    imported = duplicates = rejected = 0
    with open(source, "rb") as handle, db:
        for raw in handle:
            raw = raw.rstrip(b"\n").rstrip(b"\r")
            try:
                word = raw.decode("utf-8").strip()
            except UnicodeDecodeError:
                rejected += 1
                continue
            if not word or len(word) > 200 or any(unicodedata.category(c) in ("Cc", "Cf") for c in word):
                rejected += 1
                continue
            word = unicodedata.normalize("NFC", word)
            cursor = db.execute("INSERT OR IGNORE INTO words (word) VALUES (?)", (word,))
            if cursor.rowcount:
                imported += 1
            else:
                duplicates += 1
    with open(words_txt, "w", encoding="utf-8") as out:
        for (word,) in db.execute("SELECT word FROM words ORDER BY id"):
            out.write(word + "\n")
    print(f"{imported} imported, {duplicates} duplicates, {rejected} rejected")


if __name__ == "__main__":
    main(*sys.argv[1:4])
