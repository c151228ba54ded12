#!/usr/bin/env bash
# Creates the Python baselines of the benchmarks: a venv with NLTK reading WordNet from Debian's files
# (../shared/reference/wordnet-morphy.md explains why the files are copied and where lexnames comes from), and
# tiktoken with the o200k_base ranks in its cache, so it runs offline (../shared/reference/tokenizer.md).
# Usage: scripts/bench/setup-nltk.sh VENV_DIR   (idempotent)
set -euo pipefail
venv="$1"
data="$venv/nltk_data/corpora/wordnet"
ranks="$(dirname "$0")/../../Sources/WordbenchCore/Requests/Data/o200k_base.tiktoken"
cache="$venv/tiktoken-cache/fb374d419588a4632f3f557e76b4b70aebbca790"
# Done only when the last step's check passes: an earlier run cut short (or run before wordnet-sense-index was
# installed) leaves files behind that are not yet a working baseline.
check="from nltk.stem import WordNetLemmatizer as L; assert L().lemmatize('geese') == 'goose'"
if [ -x "$venv/bin/python" ] && [ -s "$cache" ] && "$venv/bin/python" -c "import tiktoken; $check" 2>/dev/null; then
  exit 0
fi
[ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check nltk tiktoken
mkdir -p "$(dirname "$cache")"
cp "$ranks" "$cache"
mkdir -p "$data"
cp /usr/share/wordnet/* "$data/" 2>/dev/null || true
zcat /usr/share/man/man5/lexnames.5WN.gz | awk -F'\t' '/^[0-9][0-9]\t/ {gsub(/ +$/,"",$2);
  split($2,a,"."); c=(a[1]=="noun")?1:(a[1]=="verb")?2:(a[1]=="adj")?3:4; printf "%s\t%s\t%d\n",$1,$2,c}' \
  > "$data/lexnames"
"$venv/bin/python" -c "$check"
