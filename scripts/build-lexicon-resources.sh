#!/usr/bin/env bash
# Rebuilds the lexicon's bundled resources from ../shared/data (run from the repository root).
# The frequency list is stored sorted by its bytes, so wordbench looks words up by binary search straight from
# the file with nothing to parse at start-up. Attribution: NOTICE.
set -euo pipefail
data="${1:-../shared/data}"
out=Sources/WordbenchCore/Lexicon/Resources
tail -n +2 "$data/wordfreq-en-large.tsv" | LC_ALL=C sort -t $'\t' -k1,1 > "$out/wordfreq-en-large.sorted.tsv"
cp "$data/stopwords-fox-421.txt" "$data/stopwords-nltk-english-179.txt" "$data/stopwords-nltk-english-198.txt" "$out/"
chmod 644 "$out"/*
