#!/usr/bin/env python3
"""The Python baseline for `wordbench prepare`: a straightforward script writing the same JSONL request lines.

prepare_reference.py WORDS SCHEMA OUT_DIR [MAX_SENSES]

For each word: the same system and user messages as the default template (WordNet senses through NLTK, the word's
Zipf left out as the script has no frequency list: "0.00"), the request body serialized with json.dumps, and its
input tokens counted with tiktoken's o200k_base (offline, from the ranks setup-nltk.sh puts in the venv).
Lines go to OUT_DIR/shard-NNN.jsonl, 2,000 per shard. Prints the totals. Used only by the benchmark command.
"""
import json
import os
import sys

os.environ.setdefault("TIKTOKEN_CACHE_DIR", os.path.join(sys.prefix, "tiktoken-cache"))
import tiktoken  # noqa: E402
from nltk.corpus import wordnet as wn  # noqa: E402

SYSTEM = ("You are an expert lexicographer writing a learner's dictionary of English. Answer with one entry as JSON "
          "that follows the given schema. Be accurate and concise; never invent senses. Use null where a field does "
          "not apply.")
POS = {"n": "noun", "v": "verb", "a": "adjective", "s": "adjective", "r": "adverb"}


def senses(word, limit):
    lines = []
    for synset in wn.synsets(word)[:limit]:
        line = f"- ({POS[synset.pos()]}) {synset.definition()}"
        synonyms = [l.name().replace("_", " ") for l in synset.lemmas() if l.name().lower() != word]
        if synonyms:
            line += "; synonyms: " + ", ".join(synonyms)
        lines.append(line)
    return "\n".join(lines) or "- (none: WordNet does not have this word)"


def main(words_path, schema_path, out_dir, max_senses=6):
    encoding = tiktoken.get_encoding("o200k_base")
    schema = json.load(open(schema_path, encoding="utf-8"))
    schema_tokens = len(encoding.encode(json.dumps(schema, separators=(",", ":"))))
    system_tokens = len(encoding.encode(SYSTEM))
    os.makedirs(out_dir, exist_ok=True)
    total_tokens, count, shard, out = 0, 0, 0, None
    for line in open(words_path, encoding="utf-8"):
        word = line.strip()
        if not word:
            continue
        if count % 2000 == 0:
            if out:
                out.close()
            shard += 1
            out = open(os.path.join(out_dir, f"shard-{shard:03d}.jsonl"), "w", encoding="utf-8")
        count += 1
        user = (f"Headword: {word}\nLemma: {word}\nFrequency (Zipf): 0.00\n"
                f"WordNet senses (grounding; may be incomplete):\n{senses(word, int(max_senses))}")
        request = {
            "custom_id": f"r0001-{count:06d}", "method": "POST", "url": "/v1/chat/completions",
            "body": {
                "model": "gpt-4o-mini",
                "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}],
                "response_format": {"type": "json_schema",
                                    "json_schema": {"name": "dictionary_entry", "strict": True, "schema": schema}},
                "max_completion_tokens": 2000, "temperature": 0.3,
            },
        }
        out.write(json.dumps(request, ensure_ascii=False, separators=(",", ":")) + "\n")
        total_tokens += system_tokens + len(encoding.encode(user)) + 9 + schema_tokens
    if out:
        out.close()
    print(f"{count} requests, {shard} shards, {total_tokens} input tokens")


if __name__ == "__main__":
    main(*sys.argv[1:])
