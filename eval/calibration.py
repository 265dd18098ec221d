#!/usr/bin/env python3
"""Measures `organization_calibration`: the exponent that takes the organisations' score tail to
the persons' over the real negatives of the decks.

interdict calibrates a listed organisation's name score `s` to `1 - (1 - s)^g`, so that a score
means the same rate of chance alerts for both kinds of party (`NameAlgorithm::
organization_calibration` in crates/matching/src/index/score.rs). This script reads the results
of an evaluation run (`eval/out/interdict-results.jsonl`, written by `run.py`), undoes the
calibration the engine applied (`--gamma`, the exponent it ran with), and prints, at several
depths of the tail, the person negatives' score there, the organisation negatives' uncalibrated
score there, and the exponent that maps the one onto the other:

    python3 eval/run.py --no-rapidfuzz && python3 eval/calibration.py --gamma 1.27

An organisation query's best candidate is taken to be an organisation (the queries are typed,
and an organisation's name rarely finds a person), so the measure is of the tail as a whole.
Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from pathlib import Path

EVAL = Path(__file__).resolve().parent
DEPTHS = (0.005, 0.01, 0.02, 0.03, 0.05)


def best_scores(results: dict[str, list], deck: Path) -> list[float]:
    """Each negative query's best candidate score, highest first."""
    with deck.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    scores = [max((m[1] for m in results.get(r["id"], [])), default=0.0) for r in rows]
    return sorted(scores, reverse=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--results", type=Path, default=EVAL / "out" / "interdict-results.jsonl")
    ap.add_argument("--decks", type=Path, default=EVAL / "decks")
    ap.add_argument("--gamma", type=float, required=True,
                    help="the organization_calibration the results were produced with")
    args = ap.parse_args()

    results = {}
    with args.results.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            results[d["id"]] = d["matches"]
    persons = best_scores(results, args.decks / "negative_person.csv")
    orgs = [1 - (1 - s) ** (1 / args.gamma)
            for s in best_scores(results, args.decks / "negative_org.csv")]

    print(f"{'depth':>6} {'person':>8} {'org raw':>8} {'exponent':>9}")
    for depth in DEPTHS:
        p = persons[int(len(persons) * depth)]
        o = orgs[int(len(orgs) * depth)]
        g = math.log(1 - p) / math.log(1 - o) if 0 < o < 1 and p < 1 else float("nan")
        print(f"{depth:>6.1%} {p:>8.4f} {o:>8.4f} {g:>9.3f}")


if __name__ == "__main__":
    main()
