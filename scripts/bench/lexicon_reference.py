#!/usr/bin/env python3
"""The Python baseline for `wordbench normalize` and `wordbench filter`: what the original tool did.

normalize WORDS            print word<TAB>lemma for each word (NLTK WordNetLemmatizer, noun then verb)
filter WORDS PRESET STOP FREQ
                           the original tool's filter: lowercase and keep letters only, lemmatize noun then verb,
                           deduplicate lemmas, drop stop words, keep Zipf >= the preset's floor; print the counts
Used only by the benchmark command as the side-by-side reference.
"""
import re
import sys

from nltk.stem import WordNetLemmatizer

FLOORS = {"none": None, "conservative": 2.08, "moderate": 2.46, "aggressive": 2.91}


def lemmatize(lemmatizer, word):
    lemma = lemmatizer.lemmatize(word, "n")
    return lemmatizer.lemmatize(word, "v") if lemma == word else lemma


def words(path):
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            word = line.strip()
            if word:
                yield word


def normalize(path):
    lemmatizer = WordNetLemmatizer()
    out = [f"{word}\t{lemmatize(lemmatizer, word)}\n" for word in words(path)]
    sys.stdout.write("".join(out))


def filter_words(path, preset, stop_path, freq_path):
    lemmatizer = WordNetLemmatizer()
    stop = {line.strip() for line in open(stop_path, encoding="utf-8") if line.strip() and not line.startswith("#")}
    zipf = {}
    with open(freq_path, encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            word, value = line.rstrip("\n").split("\t")
            zipf[word] = float(value)
    floor = FLOORS[preset]
    seen, kept = set(), []
    for word in words(path):
        cleaned = re.sub("[^a-zA-Z]", "", word.lower())
        if len(cleaned) < 2:
            continue
        lemma = lemmatize(lemmatizer, cleaned) if floor is not None else cleaned
        if lemma in seen:
            continue
        seen.add(lemma)
        if floor is None or (lemma not in stop and zipf.get(lemma, 0) >= floor):
            kept.append(lemma)
    print(f"{len(seen)} lemmas, {len(kept)} kept")


if __name__ == "__main__":
    if sys.argv[1] == "normalize":
        normalize(sys.argv[2])
    else:
        filter_words(*sys.argv[2:6])
