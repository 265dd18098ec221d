#!/usr/bin/env python3
"""Measures interdict's matching quality on the decks of eval/decks/, next to rapidfuzz.

    python3 eval/run.py                 # build, screen every deck, write docs/quality.md
    python3 eval/run.py --engine "python3 eval/fake_engine.py" --out /tmp/q.md   # harness test

interdict runs through its batch command line exactly as a user would run it:

    interdict --db TMP/registry.sqlite screen --input queries.csv --output out.jsonl \
              --threshold 0 --limit 10

(an empty registry, so the bundled lists load), and rapidfuzz scores the same queries by brute
force against every name of the same lists. For each system the alert threshold is the lowest at
which at most 1% of the negatives of each kind alert (a negative alerts when its best score is at
or above the threshold); recall is the share of positives whose expected entity is among the
candidates scoring at or above it. See eval/README.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import env  # noqa: E402

env.ensure(["rapidfuzz", "numpy"])

EVAL = Path(__file__).resolve().parent
REPO = EVAL.parent
OUT_DIR = EVAL / "out"
FPR = 0.01
NEG_KINDS = ("negative_person", "negative_org")
CATEGORY_ORDER = ["alias", "typo", "reorder", "dropped_token", "initials", "transliteration_rules",
                  "transliteration_wikidata", "legal_form", "cross_list", "original_script", "truncated"]
# Categories added after the first ten: the report also gives recall over all positives but
# these, comparable with reports made before them.
LATER_CATEGORIES = ("truncated",)
BUT_LATER = "all but " + ", ".join(LATER_CATEGORIES)
WRATIO_SAMPLE = {"positive": 250, "negative": 1500}


# --------------------------------------------------------------------------- decks

def load_decks(directory: Path) -> list[dict]:
    rows = []
    for path in sorted(directory.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            rows.extend(csv.DictReader(f))
    return rows


def write_queries(rows, path: Path, with_type: bool):
    """Only what a screening customer would know: id, name, type. Nothing about the answer."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "type"] if with_type else ["id", "name"])
        for r in rows:
            w.writerow([r["id"], r["name"], r["type"]] if with_type else [r["id"], r["name"]])


# --------------------------------------------------------------------------- engine

WORKTREE = OUT_DIR / "worktree"
REV_TARGET = OUT_DIR / "target"


def engine_command(args) -> list[str]:
    if args.engine:
        return shlex.split(args.engine)
    if args.rev:
        return [str(REV_TARGET / "release" / "interdict")]
    return [str(REPO / "target" / "release" / "interdict")]


def build(args):
    """Builds the working tree, or with --rev that commit in a worktree of its own (eval/out/)."""
    if args.engine or args.no_build:
        return None
    t = time.time()
    cwd, envv = REPO, dict(os.environ)
    if args.rev:
        OUT_DIR.mkdir(exist_ok=True)
        # Resolve the revision in the repository: inside the worktree, `HEAD` would name the
        # worktree's own (older) checkout.
        r = subprocess.run(["git", "rev-parse", "--verify", args.rev + "^{commit}"], cwd=REPO,
                           capture_output=True, text=True)
        if r.returncode != 0:
            return f"no such revision {args.rev}: {r.stderr.strip()}"
        sha = r.stdout.strip()
        if not WORKTREE.exists():
            p = subprocess.run(["git", "worktree", "add", "--detach", str(WORKTREE), sha], cwd=REPO,
                               capture_output=True, text=True)
        else:
            p = subprocess.run(["git", "checkout", "--detach", "--force", sha], cwd=WORKTREE,
                               capture_output=True, text=True)
        if p.returncode != 0:
            return f"git worktree for {args.rev} failed: {p.stderr.strip()}"
        cwd, envv["CARGO_TARGET_DIR"] = WORKTREE, str(REV_TARGET)
    p = subprocess.run(["cargo", "build", "--release", "--locked", "-p", "interdict-cli"], cwd=cwd,
                       capture_output=True, text=True, env=envv)
    if p.returncode != 0 and "lock file" in p.stderr:  # a commit whose Cargo.lock lags its manifests
        p = subprocess.run(["cargo", "build", "--release", "--offline", "-p", "interdict-cli"], cwd=cwd,
                           capture_output=True, text=True, env=envv)
    if p.returncode != 0:
        return f"cargo build failed:\n{p.stderr[-3000:]}"
    print(f"built in {time.time() - t:.0f}s", file=sys.stderr)
    return None


def default_threshold(cmd, db: Path) -> tuple[float, str]:
    """The threshold `screen` uses when given none: from its help, else from what it prints."""
    try:
        p = subprocess.run(cmd + ["screen", "--help"], capture_output=True, text=True, timeout=60)
        m = re.search(r"--threshold[^\n]*\[default:\s*([0-9.]+)\]", p.stdout)
        if m:
            return float(m.group(1)), "from `screen --help`"
        p = subprocess.run(cmd + ["--db", str(db), "screen", "Nicolas Maduro"], capture_output=True,
                           text=True, timeout=300)
        m = re.search(r"threshold\s+([0-9.]+)", p.stdout)
        if m:
            return float(m.group(1)), "as `screen NAME` reports it"
    except Exception:  # noqa: BLE001
        pass
    return 0.8, "assumed: not found in `screen --help` nor in `screen NAME` output"


def run_engine(cmd, rows, args, work: Path):
    """Screens every row; returns ({id: [(key, score, matched_name, name)]}, timing, error)."""
    db = work / "registry.sqlite"
    qpath, opath = work / "queries.csv", work / "out.jsonl"
    timing = {}

    def screen(inp, out):
        t = time.time()
        p = subprocess.run(cmd + ["--db", str(db), "screen", "--input", str(inp), "--output", str(out),
                                  "--threshold", "0", "--limit", str(args.limit)],
                           capture_output=True, text=True)
        return time.time() - t, p

    one = work / "one.csv"
    write_queries(rows[:1], one, not args.no_type)
    timing["first_run_s"], p = screen(one, work / "one.jsonl")  # loads the bundled lists
    if p.returncode != 0:
        return {}, timing, f"`screen` exited {p.returncode}: {p.stderr.strip()[-2000:]}"
    timing["overhead_s"], _ = screen(one, work / "one.jsonl")  # start-up + index, one query
    timing["default"] = default_threshold(cmd, db)
    write_queries(rows, qpath, not args.no_type)
    timing["batch_s"], p = screen(qpath, opath)
    if p.returncode == 0:  # best of two: the machine may be shared
        timing["batch_s"] = min(timing["batch_s"], screen(qpath, opath)[0])
    if p.returncode != 0:
        return {}, timing, f"`screen` exited {p.returncode}: {p.stderr.strip()[-2000:]}"
    results = {}
    bad = 0
    with open(opath, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                bad += 1
                continue
            ms = []
            for m in obj.get("matches") or []:
                ms.append((f"{m.get('list')}:{m.get('id')}", float(m.get("score", 0.0)),
                           m.get("matched_name", ""), m.get("name", "")))
            ms.sort(key=lambda x: -x[1])
            results[str(obj.get("id"))] = ms
    missing = sum(1 for r in rows if r["id"] not in results)
    err = None
    if missing or bad:
        err = f"output had {bad} unparseable lines and lacked {missing} of {len(rows)} input ids"
    return results, timing, err


# --------------------------------------------------------------------------- rapidfuzz

def run_rapidfuzz(rows, scorer, limit, sample_ids=None):
    import rapidfuzz
    from baseline import BruteForce

    todo = [r for r in rows if sample_ids is None or r["id"] in sample_ids]
    h = hashlib.sha256()
    h.update(f"{scorer}|{limit}|{rapidfuzz.__version__}|v2".encode())
    for p in sorted((REPO / "data" / "lists").rglob("*")):
        if p.is_file():
            h.update(p.read_bytes())
    for r in todo:
        h.update(f"{r['id']}\t{r['name']}\n".encode())
    cache = OUT_DIR / f"rapidfuzz-{scorer}-{h.hexdigest()[:16]}.json"
    if cache.exists():
        data = json.loads(cache.read_text())
        return {k: [tuple(x) for x in v] for k, v in data["results"].items()}, data["seconds"], True
    bf = BruteForce()
    t = time.time()
    found = bf.search([r["name"] for r in todo], scorer, limit=limit)
    seconds = time.time() - t
    results = {r["id"]: [(bf.keys[e], s, n, bf.primary[e]) for e, s, n in f] for r, f in zip(todo, found)}
    OUT_DIR.mkdir(exist_ok=True)
    cache.write_text(json.dumps({"seconds": seconds, "results": results}))
    return results, seconds, False


# --------------------------------------------------------------------------- metrics

def top_score(ms):
    return ms[0][1] if ms else 0.0


def fpr_threshold(neg_scores: list[float]) -> float:
    """Lowest threshold at which at most FPR of these scores are >= it."""
    if not neg_scores:
        return 0.0
    s = sorted(neg_scores, reverse=True)
    allowed = int(FPR * len(s))  # this many may alert
    if allowed >= len(s):
        return 0.0
    cut = s[allowed]  # the (allowed+1)-th highest must not alert
    return cut + 1e-9 if cut > 0 else 1e-9


def hit(ms, expected: set[str], threshold: float) -> bool:
    return any(k in expected and s >= threshold for k, s, *_ in ms)


SCRIPTS = [  # (name, first, last code point) of the scripts the decks' queries are written in
    ("Arabic", 0x0600, 0x06FF), ("Cyrillic", 0x0400, 0x04FF), ("Hebrew", 0x0590, 0x05FF),
    ("Greek", 0x0370, 0x03FF), ("Hangul", 0xAC00, 0xD7A3), ("Han", 0x4E00, 0x9FFF),
]


def script_of(name: str) -> str:
    """The first non-Latin script with a letter in `name`, else "Latin"."""
    for c in name:
        for script, lo, hi in SCRIPTS:
            if lo <= ord(c) <= hi:
                return script
    return "Latin"


def evaluate(rows, results, default=None):
    """Metrics of one system over the rows it has results for."""
    rows = [r for r in rows if r["id"] in results]
    neg = defaultdict(list)
    for r in rows:
        if r["category"] in NEG_KINDS:
            neg[r["category"]].append(top_score(results[r["id"]]))
    thr = max((fpr_threshold(v) for v in neg.values()), default=0.0)
    out = {"threshold": thr, "default": default, "neg": {}, "cat": {}, "sub": {}, "script": {},
           "neg_script": {}}
    for kind, scores in neg.items():
        out["neg"][kind] = {
            "n": len(scores),
            "fpr_at_thr": sum(s >= thr for s in scores) / len(scores),
            "fpr_at_default": (sum(s >= default for s in scores) / len(scores)) if default is not None else None,
        }
    by_script = defaultdict(list)
    for r in rows:
        if r["category"] in NEG_KINDS:
            by_script[(r["category"], script_of(r["name"]))].append(top_score(results[r["id"]]))
    for key, scores in by_script.items():
        out["neg_script"][key] = {"n": len(scores), "fpr_at_thr": sum(s >= thr for s in scores) / len(scores)}
    groups = defaultdict(list)
    for r in rows:
        if r["category"] in NEG_KINDS:
            continue
        groups[("cat", r["category"])].append(r)
        groups[("cat", "all positives")].append(r)
        if r["category"] not in LATER_CATEGORIES:
            groups[("cat", BUT_LATER)].append(r)
        if r["subcategory"]:
            groups[("sub", (r["category"], r["subcategory"]))].append(r)
        groups[("script", (r["category"], r["subcategory"], script_of(r["name"])))].append(r)
    for (level, name), rs in groups.items():
        m = {"n": len(rs)}
        m["recall_at_thr"] = sum(hit(results[r["id"]], set(r["expected"].split("|")), thr) for r in rs) / len(rs)
        m["candidate"] = sum(hit(results[r["id"]], set(r["expected"].split("|")), -1) for r in rs) / len(rs)
        m["top1"] = sum(bool(results[r["id"]]) and results[r["id"]][0][0] in set(r["expected"].split("|"))
                        for r in rs) / len(rs)
        if default is not None:
            m["recall_at_default"] = sum(hit(results[r["id"]], set(r["expected"].split("|")), default)
                                         for r in rs) / len(rs)
        out[level][name] = m
    return out


# --------------------------------------------------------------------------- report

def pct(x):
    return "—" if x is None else f"{100 * x:.1f}%"


def git_info(args):
    def git(*a):
        p = subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True)
        return p.stdout.strip()
    if args.rev:
        return git("rev-parse", "--short", args.rev) + " (built from a clean checkout)"
    commit = git("rev-parse", "--short", "HEAD")
    dirty = git("status", "--porcelain", "--", "crates", "Cargo.lock", "data")
    return commit + (" + uncommitted changes to crates/" if dirty else "")


def engine_version(cmd):
    try:
        return subprocess.run(cmd + ["--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception:  # noqa: BLE001
        return "?"


def examples(rows, results, thr, category, k=4):
    """Deterministic sample of misses at the threshold: query, expected, what came first instead."""
    misses = [r for r in rows if r["category"] == category and r["id"] in results
              and not hit(results[r["id"]], set(r["expected"].split("|")), thr)]
    misses.sort(key=lambda r: hashlib.sha256(r["id"].encode()).hexdigest())
    out = []
    for r in misses[:k]:
        ms = results[r["id"]]
        exp = set(r["expected"].split("|"))
        own = next(((s, mn) for key, s, mn, *_ in ms if key in exp), None)
        got = f"top: {ms[0][3] or ms[0][2]} ({ms[0][0]}) {ms[0][1]:.2f}" if ms else "no candidates"
        own_s = f"expected scored {own[0]:.2f} via “{own[1]}”" if own else "expected not in top 10"
        out.append(f"“{r['name']}” → {r['expected']} “{r['base']}”: {own_s}; {got}")
    return out


def false_alerts(rows, results, thr, kind, k=4):
    alerts = [(top_score(results[r["id"]]), r) for r in rows
              if r["category"] == kind and results.get(r["id"])]
    alerts.sort(key=lambda x: (-x[0], x[1]["id"]))
    out = []
    for s, r in alerts[:k]:
        m = results[r["id"]][0]
        out.append(f"“{r['name']}” → {m[3] or m[2]} ({m[0]}) via “{m[2]}” {s:.2f}")
    return out


def report(args, rows, systems, engine_meta, cmdline):
    counts = defaultdict(int)
    for r in rows:
        counts[r["category"]] += 1
    cats = [c for c in CATEGORY_ORDER if c in counts] + sorted(
        c for c in counts if c not in CATEGORY_ORDER and c not in NEG_KINDS)
    names = list(systems)
    eng = systems.get("interdict")
    L = []
    L.append("# Matching quality")
    L.append("")
    L.append("Generated by `" + cmdline + f"` on {dt.date.today().isoformat()}, "
             f"engine `{engine_meta['version']}` at commit {engine_meta['commit']}. "
             "Do not edit by hand: re-run after every change to matching. How the decks are built "
             "and what each number means: [eval/README.md](../eval/README.md).")
    L.append("")
    L.append(f"Decks: {sum(counts[c] for c in cats)} positive queries in {len(cats)} categories, "
             + ", ".join(f"{counts[k]} {k}" for k in NEG_KINDS) + ". Queries carry the name and "
             + ("the entity type" if not args.no_type else "nothing else") + "; no date of birth, "
             "country or identifier.")
    L.append("")
    if engine_meta.get("error"):
        L.append(f"**interdict did not produce usable results:** {engine_meta['error']}")
        L.append("")
    if eng and not any(eng["results"].values()):
        L.append("**interdict returned no candidate for any query**: every recall below is 0 and "
                 "its numbers measure nothing yet.")
        L.append("")
    L.append("## Recall at 1% false alerts")
    L.append("")
    L.append("Share of positives whose listed entity scores at or above the threshold at which at "
             "most 1% of the person negatives and at most 1% of the organisation negatives alert "
             "(each system its own threshold).")
    L.append("")
    head = "| category | n | " + " | ".join(names) + " |"
    L.append(head)
    L.append("|" + "---|" * (2 + len(names)))
    later = any(c in counts for c in LATER_CATEGORIES)
    for c in cats + ["all positives"] + ([BUT_LATER] if later else []):
        cells = []
        for s in names:
            m = systems[s]["metrics"]["cat"].get(c)
            cells.append(pct(m["recall_at_thr"]) if m else "—")
        label = f"**{c}**" if c == "all positives" else c
        if c == BUT_LATER:
            n = sum(counts[x] for x in cats if x not in LATER_CATEGORIES)
        else:
            n = counts[c] if c in counts else sum(counts[x] for x in cats)
        L.append(f"| {label} | {n} | " + " | ".join(cells) + " |")
        if c in counts:
            subs = sorted({r["subcategory"] for r in rows if r["category"] == c and r["subcategory"]})
            if 1 < len(subs) <= 4:
                for sub in subs:
                    cells = []
                    for s in names:
                        m = systems[s]["metrics"]["sub"].get((c, sub))
                        cells.append(pct(m["recall_at_thr"]) if m else "—")
                    n = sum(1 for r in rows if r["category"] == c and r["subcategory"] == sub)
                    L.append(f"| &nbsp;&nbsp;↳ {sub} | {n} | " + " | ".join(cells) + " |")
    L.append("| threshold | | " + " | ".join(f"{systems[s]['metrics']['threshold']:.3f}" for s in names) + " |")
    for kind in NEG_KINDS:
        L.append(f"| false alerts, {kind} | {counts[kind]} | " + " | ".join(
            pct(systems[s]["metrics"]["neg"].get(kind, {}).get("fpr_at_thr")) for s in names) + " |")
    L.append("")
    for s in names:
        m = systems[s]["metrics"]
        top = max((x[1] for v in systems[s]["results"].values() for x in v[:1]), default=0.0)
        if m["threshold"] > top:
            L.append(f"- {s}: more than 1% of the negatives of one kind reach its highest score "
                     f"({top:.3f}), so no threshold keeps false alerts at 1% and its recall there is 0.")
    for s in names:
        if systems[s].get("note"):
            L.append(f"- {s}: {systems[s]['note']}")
    L.append("")
    L.append("## By the script the query is written in")
    L.append("")
    L.append("The same recall and false alerts at each system's 1% threshold, for the queries "
             "written in another script than Latin (by the first such letter): original-script "
             "names of the lists themselves (`listed`) and of other authorities (`other_authority`, "
             "whose Latin names the lists may write otherwise), and the negatives so written.")
    L.append("")
    L.append(head)
    L.append("|" + "---|" * (2 + len(names)))
    def script_rows(group, value, label):
        """One row per non-Latin key of `group` in any system's metrics (the script is its last
        part): `value` of each system's metric, the count from the first system's."""
        keys = sorted({k for s in names for k in systems[s]["metrics"][group] if k[-1] != "Latin"})
        for key in keys:
            cells = []
            for s in names:
                m = systems[s]["metrics"][group].get(key)
                cells.append(pct(m[value]) if m else "—")
            n = systems[names[0]]["metrics"][group].get(key, {}).get("n", "")
            L.append(f"| {label(key)} | {n} | " + " | ".join(cells) + " |")

    script_rows("script", "recall_at_thr",
                lambda k: f"{k[0]}{f' ({k[1]})' if k[1] else ''}, {k[2]}")
    script_rows("neg_script", "fpr_at_thr", lambda k: f"false alerts, {k[0]}, {k[1]}")
    L.append("")
    if eng:
        m = eng["metrics"]
        d = m["default"]
        L.append(f"## interdict at its default threshold ({d:g}, {engine_meta['default_source']})")
        L.append("")
        L.append("The engine's source describes this default as calibrated on SEC registrants and common "
                 "person names: the same kinds of negatives as these decks (the SEC file is the same), so "
                 "the false-alert rates at the default are partly in-sample. The 1%-false-alert columns "
                 "above do not depend on it.")
        L.append("")
        L.append("| category | n | recall at default | candidate in top 10 | expected ranked first |")
        L.append("|---|---|---|---|---|")
        for c in cats + ["all positives", BUT_LATER]:
            x = m["cat"].get(c)
            if x:
                L.append(f"| {c} | {x['n']} | {pct(x['recall_at_default'])} | {pct(x['candidate'])} | {pct(x['top1'])} |")
        for kind in NEG_KINDS:
            x = m["neg"].get(kind)
            if x:
                L.append(f"| false alerts, {kind} | {x['n']} | {pct(x['fpr_at_default'])} | | |")
        L.append("")
        L.append("## Timing")
        L.append("")
        t = engine_meta["timing"]
        n = len(rows)
        if "batch_s" in t:
            net = max(t["batch_s"] - t.get("overhead_s", 0), 1e-9)
            L.append(f"- interdict `screen`, {n} queries, `--threshold 0 --limit {args.limit}`, best of two runs: "
                     f"{t['batch_s']:.2f} s wall, {n / t['batch_s']:.0f} queries/s including start-up; "
                     f"start-up and index with one query {t.get('overhead_s', 0):.2f} s, so "
                     f"{n / net:.0f} queries/s net. First run into the empty registry (loads the bundled "
                     f"lists): {t.get('first_run_s', 0):.2f} s. Load average at the end of the run: "
                     f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.")
        for s in names:
            if s != "interdict" and systems[s].get("seconds"):
                k = len(systems[s]["results"])
                L.append(f"- {s}: {k} queries in {systems[s]['seconds']:.1f} s "
                         f"({k / systems[s]['seconds']:.0f} queries/s, 2 workers, brute force)"
                         + (" (cached result reused)" if systems[s].get("cached") else ""))
        L.append("- Throughput at scale: `bench/throughput.sh`, results in `docs/benchmarks.md`.")
        L.append("")
        L.append("## Misses and false alerts (interdict, at its 1% threshold)")
        L.append("")
        L.append("A fixed sample per category, for the matching work: the query, the listed entity "
                 "it should find, and what came first instead.")
        L.append("")
        for c in cats:
            ex = examples(rows, eng["results"], m["threshold"], c)
            if ex:
                L.append(f"**{c}**")
                L.append("")
                L.extend(f"- {e}" for e in ex)
                L.append("")
        for kind in NEG_KINDS:
            ex = false_alerts(rows, eng["results"], m["threshold"], kind)
            if ex:
                L.append(f"**highest-scoring {kind}**")
                L.append("")
                L.extend(f"- {e}" for e in ex)
                L.append("")
    return "\n".join(L).rstrip() + "\n"


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", help="command to run instead of target/release/interdict (no build)")
    ap.add_argument("--no-build", action="store_true", help="use target/release/interdict as it is")
    ap.add_argument("--rev", help="measure this commit (e.g. HEAD), built in eval/out/worktree, "
                                  "instead of the working tree")
    ap.add_argument("--decks", type=Path, default=EVAL / "decks")
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "quality.md")
    ap.add_argument("--limit", type=int, default=10)
    ap.add_argument("--no-type", action="store_true", help="send only id and name, no entity type")
    ap.add_argument("--no-rapidfuzz", action="store_true")
    ap.add_argument("--full-wratio", action="store_true", help="WRatio on every query (slow: ~15 min)")
    args = ap.parse_args()
    cmdline = "python3 eval/run.py" + "".join(f" {a}" for a in sys.argv[1:])

    rows = load_decks(args.decks)
    if not rows:
        sys.exit(f"no decks in {args.decks}: run eval/build_decks.py")
    OUT_DIR.mkdir(exist_ok=True)
    systems = {}
    meta = {"commit": git_info(args), "timing": {}, "error": None}

    err = build(args)
    cmd = engine_command(args)
    meta["version"] = engine_version(cmd) if not err else "?"
    if err:
        meta["error"] = err
        results = {}
    else:
        with tempfile.TemporaryDirectory(prefix="interdict-eval-") as tmp:
            results, meta["timing"], meta["error"] = run_engine(cmd, rows, args, Path(tmp))
    default, meta["default_source"] = meta["timing"].pop("default", (0.8, "assumed: engine did not run"))
    print(f"interdict: {len(results)} results; error: {meta['error']}", file=sys.stderr)
    full = {r["id"]: results.get(r["id"], []) for r in rows}
    systems["interdict"] = {"results": full, "metrics": evaluate(rows, full, default)}
    (OUT_DIR / "interdict-results.jsonl").write_text(
        "".join(json.dumps({"id": k, "matches": v}, ensure_ascii=False) + "\n" for k, v in full.items()))

    if not args.no_rapidfuzz:
        res, secs, cached = run_rapidfuzz(rows, "token_sort_ratio", args.limit)
        systems["rapidfuzz token_sort_ratio"] = {"results": res, "metrics": evaluate(rows, res),
                                                 "seconds": secs, "cached": cached}
        print(f"rapidfuzz token_sort_ratio: {secs:.0f}s{' (cached)' if cached else ''}", file=sys.stderr)
        sample = None
        note = None
        if not args.full_wratio:
            import random
            sample = set()
            by_cat = defaultdict(list)
            for r in rows:
                by_cat[r["category"]].append(r["id"])
            for c, ids in sorted(by_cat.items()):
                k = WRATIO_SAMPLE["negative" if c in NEG_KINDS else "positive"]
                sample.update(random.Random(f"wratio:{c}").sample(ids, min(k, len(ids))))
            note = (f"WRatio runs at 10–30 queries/s on 2 cores, so it scores a fixed random sample "
                    f"({WRATIO_SAMPLE['positive']} per positive category, {WRATIO_SAMPLE['negative']} "
                    f"per negative kind; `--full-wratio` for all): its numbers carry more sampling noise.")
        res, secs, cached = run_rapidfuzz(rows, "WRatio", args.limit, sample)
        systems["rapidfuzz WRatio"] = {"results": res, "metrics": evaluate(rows, res), "seconds": secs,
                                       "cached": cached, "note": note}
        print(f"rapidfuzz WRatio: {secs:.0f}s{' (cached)' if cached else ''}", file=sys.stderr)

    text = report(args, rows, systems, meta, cmdline)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    summary = {s: {"threshold": v["metrics"]["threshold"],
                   "recall": {c: round(m["recall_at_thr"], 4) for c, m in v["metrics"]["cat"].items()}}
               for s, v in systems.items()}
    (OUT_DIR / "summary.json").write_text(json.dumps(summary, indent=1))
    print(text)


if __name__ == "__main__":
    main()
