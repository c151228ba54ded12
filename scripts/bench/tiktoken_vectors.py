#!/usr/bin/env python3
"""Writes tokenizer test vectors with the real tiktoken: tricky random strings (cased letters, marks, contractions,
every kind of whitespace and line break, digits, emoji) and WordNet glosses, each with its o200k_base ids.
Usage: TIKTOKEN_CACHE_DIR=DIR python3 scripts/bench/tiktoken_vectors.py OUT.json   (tokenizer.md says how to fill
DIR offline). The output is Tests/WordbenchCoreTests/Requests/Vectors/tiktoken-o200k.json.
"""
import random, json, tiktoken, sys
enc = tiktoken.get_encoding('o200k_base')
rnd = random.Random(7)
alphabet = list("aAbZz sS'tT\t\n\r  .,;/!?-_()[]{}\"\\0123456789") + ["é","É","ß","ſ","ǅ","ʰ","東","京","\u0301","\u0308","🙂","👍🏽","\u00a0","\u2003","\u2028","٣","Ⅻ","½","ǈ","ﬁ","'s","'S","'re","'LL","'ve","'d","'m"," 's","\r\n","  \n","x\u0301y","ŉ","İ","ı","Σ","ς"]
cases = []
for i in range(1500):
    n = rnd.randint(1, 20)
    s = "".join(rnd.choice(alphabet) for _ in range(n))
    cases.append(s)
for line in open('/usr/share/wordnet/data.noun', encoding='latin-1').readlines()[30:530]:
    cases.append(line.split('| ',1)[-1].strip())
out = [{"text": s, "ids": enc.encode(s, disallowed_special=())} for s in cases]
json.dump(out, open(sys.argv[1], 'w'), ensure_ascii=False)
