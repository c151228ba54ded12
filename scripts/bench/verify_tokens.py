#!/usr/bin/env python3
"""Checks wordbench's exact input-token counts against tiktoken on every request of a prepared run.

verify_tokens.py RUN_DIR

For each shard in RUN_DIR/manifest.json, re-reads every request line, counts its messages and its response-format
schema with tiktoken's o200k_base plus the documented overheads (3 per message, 3 for the reply), and compares the
shard's sum with the manifest's input_tokens. Exits 0 when every shard matches, 1 otherwise (and says which).
"""
import json
import os
import sys

os.environ.setdefault("TIKTOKEN_CACHE_DIR", os.path.join(sys.prefix, "tiktoken-cache"))
import tiktoken  # noqa: E402


def main(run_dir):
    encoding = tiktoken.get_encoding("o200k_base")
    manifest = json.load(open(os.path.join(run_dir, "manifest.json"), encoding="utf-8"))
    schema_tokens, mismatches, requests = None, 0, 0
    for shard in manifest["shards"]:
        total = 0
        with open(os.path.join(run_dir, shard["file"]), encoding="utf-8") as handle:
            for line in handle:
                body = json.loads(line)["body"]
                if schema_tokens is None:
                    schema = body["response_format"]["json_schema"]["schema"]
                    schema_tokens = len(encoding.encode(json.dumps(schema, separators=(",", ":"), ensure_ascii=False)))
                messages = body["messages"]
                total += sum(len(encoding.encode(m["content"], disallowed_special=())) + 3 for m in messages)
                total += 3 + schema_tokens
                requests += 1
        if total != shard["input_tokens"]:
            mismatches += 1
            print(f"{shard['file']}: tiktoken {total}, wordbench {shard['input_tokens']}")
    print(f"{requests} requests in {len(manifest['shards'])} shards, {mismatches} shards differ")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main(sys.argv[1])
