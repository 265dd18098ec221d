#!/usr/bin/env bash
# Ingests every SDN publication of ../shared/data/ofac/sdn-history/ (60 files, 2021-08 → 2024-05)
# into a new registry and reports the time taken and the registry's size.
#
#   bench/history.sh [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data/ofac/sdn-history}
cargo build --release --quiet -p interdict-cli
# The binary just built: under $CARGO_TARGET_DIR when set.
bin=$(realpath "${CARGO_TARGET_DIR:-target}/release/interdict")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/history.sqlite"
files=("$data"/sdn-*.csv.gz)
start=$(date +%s.%N)
"$bin" --db "$db" ingest "${files[@]}" > "$tmp/out.txt"
end=$(date +%s.%N)
raw=$(for f in "${files[@]}"; do gzip -dc "$f" | wc -c; done | awk '{s+=$1} END {print s}')
gz=$(du -cb "${files[@]}" | tail -1 | cut -f1)
size=$(stat -c %s "$db")
echo "files ingested:            ${#files[@]}"
echo "entities (sum over files): $(awk '{gsub(/\(/,""); print $4}' "$tmp/out.txt" | awk '{s+=$1} END {print s}')"
printf 'wall time:                 %.2f s\n' "$(echo "$end - $start" | bc)"
echo "input, decompressed:       $((raw / 1024 / 1024)) MiB"
echo "input, gzip:               $((gz / 1024 / 1024)) MiB"
echo "registry file:             $((size / 1024)) KiB"
# re-ingest: every file must be a no-op
"$bin" --db "$db" ingest "${files[@]}" | { grep -vc "^already in the registry" || true; } | xargs -I{} echo "re-ingest, new publications: {} (expected 0)"
