#!/usr/bin/env bash
# Monitoring with and without the index cache must raise the same alerts: the real SDN history
# (60 publications of ../shared/data/ofac/sdn-history/) is ingested into two registries holding
# the same book (bench/monitor_book.py), one keeping its index cache (each update's lists index
# is rebuilt from it), one with the cache deleted before every ingest (each built from scratch).
# Prints the number of alerts and a digest of every alert's customer, entity, status, score,
# matched name, explanation and trigger for each; the two lines must agree.
#
#   bench/monitor_cache_check.sh [CUSTOMERS]        (default 100000)
#
# Uses $CARGO_TARGET_DIR when set.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
data=../shared/data
target=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet -p interdict-cli
bin=$(realpath "$target/release/interdict")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/monitor_book.py "$work/book.csv" --customers "$n"
files=("$data"/ofac/sdn-history/sdn-*.csv.gz)
for mode in with-cache without-cache; do
  db=$work/$mode.sqlite
  "$bin" --db "$db" ingest "${files[0]}" > /dev/null
  "$bin" --db "$db" monitor add --input "$work/book.csv" --json > /dev/null
  for f in "${files[@]:1}"; do
    if [ "$mode" = without-cache ]; then rm -f "$db.index"; fi
    "$bin" --db "$db" ingest "$f" > /dev/null 2>&1
  done
  "$bin" --db "$db" alerts --json | python3 -c '
import hashlib, json, sys
alerts = json.load(sys.stdin)
rows = sorted(
    (a["customer"]["id"], a["entity"]["key"], a["status"], a["score"], a["matched_name"],
     json.dumps(a["explanation"], sort_keys=True), a["trigger"])
    for a in alerts)
print(f"{sys.argv[1]}: {len(alerts)} alerts, digest {hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]}")
' "$mode"
done
