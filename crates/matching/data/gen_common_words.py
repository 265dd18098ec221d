#!/usr/bin/env python3
"""Generates common_words.tsv.gz: English words and how common they are in general text.

    pip install wordfreq==3.1.1 && python3 gen_common_words.py

Source: wordfreq 3.1.1 (Robyn Speer et al., https://github.com/rspeer/wordfreq), its English
"large" list, which combines subtitles, Wikipedia, news, books, web text and social media.
wordfreq's data is licensed CC BY-SA 4.0; so is this file derived from it.

Each row: the word (lower-case ASCII letters, as analysis normalises words) and its Zipf
frequency (log10 of occurrences per billion words, one decimal), for every word of at least
`MIN_ZIPF` (about once in 300,000 words). Build weighs a word that only organisations' names
of the lists have by it (see `index::build::commonness`).
"""

import gzip
from pathlib import Path

import wordfreq

MIN_ZIPF = 3.5

rows = []
for word in wordfreq.top_n_list("en", 100_000, wordlist="large"):
    if not (word.isascii() and word.isalpha()) or len(word) < 2:
        continue
    z = wordfreq.zipf_frequency(word, "en", wordlist="large")
    if z < MIN_ZIPF:
        break
    rows.append((word.lower(), z))

out = Path(__file__).with_name("common_words.tsv.gz")
with gzip.GzipFile(out, "wb", mtime=0) as f:
    f.write(
        (
            "# English words and their Zipf frequency (wordfreq 3.1.1, CC BY-SA 4.0): see gen_common_words.py\n"
            + "".join(f"{w}\t{z:.1f}\n" for w, z in rows)
        ).encode()
    )
print(f"{len(rows)} words")
