#!/usr/bin/env bash
# Load test of the HTTP server: starts the release `interdict serve` on loopback with the
# bundled lists, drives `POST /v1/screen` with single-name requests (bench/load.lua: varied
# real-looking names) with wrk for a bounded time, and reports throughput, p50/p99 latency,
# errors, and the server's resident memory before and after.
#
#   bench/load.sh [SECONDS] [CONNECTIONS] [WRK_THREADS]     (default 30 8 1)
#
# INTERDICT_BIN=path/to/interdict skips the build and runs that binary.
# Needs `wrk` (Debian: apt-get install -y wrk). Uses $CARGO_TARGET_DIR when set. The load
# generator runs on the same machine as the server and takes part of its CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
connections=${2:-8}
threads=${3:-1}
port=${PORT:-18090}
target=${CARGO_TARGET_DIR:-target}
command -v wrk > /dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
if [ -n "${INTERDICT_BIN:-}" ]; then    # a binary built before, e.g. of a given commit
  bin=$(realpath "$INTERDICT_BIN")
else
  cargo build --release --quiet -p interdict-cli
  bin=$(realpath "$target/release/interdict")
fi
work=$(mktemp -d)
export INTERDICT_DB=$work/registry.sqlite
"$bin" lists > /dev/null 2>&1      # loads the bundled lists into the empty registry
"$bin" serve --listen "127.0.0.1:$port" 2> "$work/server.log" &
server=$!
trap 'kill "$server" 2> /dev/null; wait "$server" 2> /dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break
  sleep 0.2
done
rss() { awk '/^VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$server/status"; }
echo "interdict $("$bin" --version | awk '{print $2}') at $(git rev-parse --short HEAD), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
echo "resident memory after start: $(rss)"
wrk -t"$threads" -c"$connections" -d5s -s bench/load.lua "http://127.0.0.1:$port" > /dev/null   # warm-up
echo "resident memory after warm-up: $(rss)"
wrk -t"$threads" -c"$connections" -d"${seconds}s" -s bench/load.lua --latency "http://127.0.0.1:$port" > "$work/wrk.txt"
grep -E "^(requests|throughput|latency|errors)" "$work/wrk.txt"
echo "resident memory after ${seconds} s of load: $(rss)"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^interdict_http_requests_total\{method="POST",route="/v1/screen"' || true
