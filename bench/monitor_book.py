#!/usr/bin/env python3
"""Writes a deterministic, real-looking customer book for bench/monitor.sh.

    bench/monitor_book.py OUT.csv [--customers N] [--seed S] [--data DIR]

Rows: `id,name,type,dob,country`, the format of `interdict monitor add --input`.

- Persons (70%): two or three name tokens drawn from the Latin side of the Wikidata name-token
  pairs (`translit/wikidata-en-{ru,ar}-tokens.tsv`), weighted by how often each occurs there
  (so John and Muhammad are common and most tokens rare, as in a real book); 60% with a date of
  birth, 40% with a country.
- Organisations (30%): the SEC registrants of `negatives/` as they are, and names made of their
  words with name tokens and a legal form.
- Listed parties (`--listed`, 400 by default): primary names of SDN entities written the way a
  customer file would (`SURNAME, Given` as `Given Surname`), half of them entities added during
  the 60-publication history, so that updates raise alerts, and half listed from the start; a
  quarter of the persons with their given names as initials (`N G Dirks`).
"""

import argparse
import csv
import gzip
import json
import random
from pathlib import Path

LEGAL = ["LLC", "Ltd", "Inc", "GmbH", "SA", "LLP", "Co", "Corp", "AG", "BV", "SRL", "PLC"]
TRADE = ["Trading", "Holdings", "Group", "Logistics", "Partners", "Shipping", "Industries",
         "Capital", "Consulting", "Services", "International", "Energy", "Foods", "Textiles"]
COUNTRIES = ["US", "GB", "DE", "FR", "ES", "IT", "NL", "CH", "AE", "TR", "IN", "CN", "RU", "BR",
             "MX", "CO", "VE", "NG", "EG", "PK", "SA", "CA", "AU", "JP", "KR", "PL", "UA", "IR"]


def tokens(data: Path):
    words, weights = [], []
    seen = set()
    for name in ["wikidata-en-ru-tokens.tsv", "wikidata-en-ar-tokens.tsv"]:
        with open(data / "translit" / name, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 3 or not parts[0].isalpha() or len(parts[0]) < 2:
                    continue
                word = parts[0]
                if word in seen:
                    continue
                seen.add(word)
                words.append(word.capitalize())
                weights.append(int(parts[2]))
    return words, weights


def sdn_names(path: Path):
    """(ent_num, name, type) of an sdn.csv(.gz)."""
    with gzip.open(path, "rt", encoding="latin-1", newline="") as f:
        for row in csv.reader(f):
            if len(row) > 2 and row[0].strip().isdigit():
                yield row[0].strip(), row[1].strip(), row[2].strip()


def as_customer(name: str, kind: str, initials: bool = False) -> str:
    if kind == "individual" and ", " in name:
        surname, given = name.split(", ", 1)
        if initials:
            given = " ".join(w[0] for w in given.split())
        return f"{given.title()} {surname.title()}"
    return name


def with_initial(name: str, rng: random.Random) -> str:
    """One given name (not the last token) cut to its initial, with or without a dot."""
    parts = name.split()
    at = rng.randrange(len(parts) - 1)
    parts[at] = parts[at][0] + ("." if rng.random() < 0.5 else "")
    return " ".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--listed", type=int, default=400)
    ap.add_argument("--seed", type=int, default=20261129)
    ap.add_argument("--data", default=str(Path(__file__).resolve().parent / "../../shared/data"))
    args = ap.parse_args()
    data = Path(args.data)
    rng = random.Random(args.seed)

    words, weights = tokens(data)
    sec = [v["title"] for v in json.loads(
        (data / "negatives/sec-company-tickers-2025-08.json").read_text()).values()]
    sec_words = sorted({w for t in sec for w in t.replace(",", " ").split() if w.isalpha()})

    history = sorted((data / "ofac/sdn-history").glob("sdn-*.csv.gz"))
    first = {e for e, _, _ in sdn_names(history[0])}
    last = list(sdn_names(history[-1]))
    later = [x for x in last if x[0] not in first]
    early = [x for x in last if x[0] in first]
    listed = rng.sample(later, min(args.listed // 2, len(later)))
    listed += rng.sample(early, min(args.listed - len(listed), len(early)))

    n = args.customers
    rows = []
    # Initials draw from their own generator, so that the rest of the book stays as it was.
    short = random.Random(args.seed + 1)
    # Draw person tokens in bulk: random.choices with weights is the slow part.
    person_tokens = iter(rng.choices(words, weights=weights, k=3 * n))
    for i in range(n - len(listed)):
        r = rng.random()
        if r < 0.70:
            k = 2 if rng.random() < 0.7 else 3
            name = " ".join(next(person_tokens) for _ in range(k))
            dob = (f"{rng.randint(1935, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                   if rng.random() < 0.6 else "")
            country = rng.choice(COUNTRIES) if rng.random() < 0.4 else ""
            if short.random() < 0.1:
                name = with_initial(name, short)
            rows.append([name, "person", dob, country])
        elif r < 0.71:
            rows.append([rng.choice(sec), "organization", "", "US"])
        else:
            parts = [rng.choice(sec_words).title() if rng.random() < 0.5 else next(person_tokens)]
            if rng.random() < 0.5:
                parts.append(rng.choice(TRADE))
            parts.append(rng.choice(LEGAL))
            country = rng.choice(COUNTRIES) if rng.random() < 0.5 else ""
            rows.append([" ".join(parts), "organization", "", country])
    for _, name, kind in listed:
        t = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft"}.get(kind, "organization")
        rows.append([as_customer(name, kind, short.random() < 0.25), t, "", ""])
    rng.shuffle(rows)

    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "type", "dob", "country"])
        for i, row in enumerate(rows):
            w.writerow([f"C{i:07d}"] + row)


if __name__ == "__main__":
    main()
