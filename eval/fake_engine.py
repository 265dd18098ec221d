#!/usr/bin/env python3
"""A stand-in for `interdict` that honours the batch contract, to test the harness without the
engine: `fake_engine.py [--db DB] screen --input F --output O [--threshold T] [--limit N]`,
`fake_engine.py compare A B --json`, `--version`. It scores with rapidfuzz token_set_ratio by brute
force, so its numbers say nothing about interdict.
"""

import argparse
import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import env  # noqa: E402

env.ensure(["rapidfuzz", "numpy"])


def main():
    ap = argparse.ArgumentParser(prog="fake-interdict")
    ap.add_argument("--db")
    ap.add_argument("--version", action="store_true")
    sub = ap.add_subparsers(dest="cmd")
    sc = sub.add_parser("screen")
    sc.add_argument("--input", required=True)
    sc.add_argument("--output", required=True)
    sc.add_argument("--threshold", type=float, default=0.8, help="minimum score [default: 0.8]")
    sc.add_argument("--limit", type=int, default=10)
    cp = sub.add_parser("compare")
    cp.add_argument("a")
    cp.add_argument("b")
    cp.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.version:
        print("fake-interdict 0.0.0")
        return
    from rapidfuzz import fuzz
    from lists import normalise
    if args.cmd == "compare":
        s = fuzz.token_set_ratio(normalise(args.a), normalise(args.b)) / 100
        print(json.dumps({"score": s, "explanation": {"scorer": "token_set_ratio"}}))
        return
    from baseline import BruteForce
    bf = BruteForce()
    with open(args.input, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    found = bf.search([r["name"] for r in rows], "token_set_ratio", limit=args.limit)
    with open(args.output, "w", encoding="utf-8") as out:
        for r, ms in zip(rows, found):
            matches = []
            for e, s, n in ms:
                if s < args.threshold:
                    continue
                lst, _, eid = bf.keys[e].partition(":")
                matches.append({"list": lst, "id": eid, "name": bf.primary[e], "matched_name": n,
                                "score": s, "explanation": {"scorer": "token_set_ratio"}})
            out.write(json.dumps({"id": r["id"], "matches": matches}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
