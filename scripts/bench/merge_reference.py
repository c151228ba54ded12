#!/usr/bin/env python3
"""What a Python user would run instead of `wordbench merge`: the same work, done the obvious way.

Reads the run's words.tsv (custom_id to word), then every fetched output and error file line by line with json,
judges each line (per-line error, HTTP status, refusal, finish_reason length, content that is not JSON, another
headword), and writes entries, the full-text index, one attempt per request and the words' status into the
workspace store's tables with sqlite3 executemany in one transaction. Used only by the benchmark command as the
side-by-side reference; it does not validate the schema, so it does less than wordbench.
"""
import datetime
import json
import os
import sqlite3
import sys


def main(run_folder: str, database: str) -> None:
    run = os.path.basename(run_folder.rstrip("/"))
    with open(os.path.join(run_folder, "manifest.json")) as handle:
        manifest = json.load(handle)
    model = manifest["parameters"].get("model", "gpt-4o-mini")
    schema_hash = manifest["parameters"].get("schema_sha256", "")
    words = {}
    with open(os.path.join(run_folder, "words.tsv")) as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            words[f"{run}-{int(fields[0]):06d}"] = (fields[1], fields[3:])
    now = datetime.datetime.now(datetime.timezone.utc).isoformat()
    entries, search, attempts, statuses = [], [], [], []
    seen = set()
    for shard in manifest["shards"]:
        fetched = (shard.get("remote") or {}).get("fetched") or {}
        for name in (fetched.get("output_file"), fetched.get("error_file")):
            if not name:
                continue
            with open(os.path.join(run_folder, name), "rb") as handle:
                for raw in handle:
                    try:
                        line = json.loads(raw)
                    except ValueError:
                        continue
                    custom_id = line.get("custom_id")
                    if custom_id not in words or custom_id in seen:
                        continue
                    seen.add(custom_id)
                    word, corpus_words = words[custom_id]
                    outcome, kind, message, entry, usage = judge(line, word)
                    attempts.append((run, custom_id, word, outcome, kind, message, now))
                    if entry is not None:
                        definitions = " ".join(s.get("definition", "") for s in json.loads(entry).get("senses", []))
                        entries.append(
                            (word, entry, schema_hash, model, run, shard["index"], custom_id, None,
                             usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0), 0.0, now))
                        search.append((word, word, definitions))
                    status = "done" if outcome == "merged" else "failed"
                    for name_ in set(corpus_words + [word]):
                        statuses.append((status, run, kind, name_))
    db = sqlite3.connect(database)
    with db:
        db.executemany(
            "INSERT OR IGNORE INTO attempts (run, custom_id, word, outcome, error_class, message, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", attempts)
        db.executemany(
            "INSERT OR REPLACE INTO entries (word, entry, schema_sha256, model, run, shard, custom_id, batch_id, "
            "prompt_tokens, completion_tokens, cost_usd, merged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            entries)
        # The index reads its text from the entries, so each row takes its entry's rowid.
        db.executemany(
            "INSERT INTO entries_search (rowid, word, definitions) "
            "VALUES ((SELECT rowid FROM entries WHERE word = ?), ?, ?)", search)
        db.executemany(
            "UPDATE words SET status = ?, attempts = attempts + 1, last_run = ?, last_error = ? WHERE word = ?",
            statuses)
    db.close()
    print(f"{len(entries)} merged, {len(attempts) - len(entries)} not")


def judge(line, word):
    """(outcome, error class, message, entry JSON text or None, usage)."""
    if line.get("error"):
        return "failed", line["error"].get("code"), line["error"].get("message"), None, {}
    response = line.get("response") or {}
    if not 200 <= response.get("status_code", 0) < 300:
        return "failed", f"http_{response.get('status_code')}", "", None, {}
    body = response.get("body") or {}
    usage = body.get("usage") or {}
    choice = (body.get("choices") or [{}])[0]
    message = choice.get("message") or {}
    if message.get("refusal"):
        return "rejected", "refusal", message["refusal"], None, usage
    if choice.get("finish_reason") == "length":
        return "rejected", "truncated", "", None, usage
    content = message.get("content") or ""
    try:
        entry = json.loads(content)
    except ValueError:
        return "rejected", "invalid_content", "", None, usage
    if not isinstance(entry, dict) or str(entry.get("headword", "")).lower() != word.lower():
        return "rejected", "headword_mismatch", "", None, usage
    return "merged", None, None, content, usage


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
