#!/usr/bin/env bash
# Batch screening throughput, interdict vs rapidfuzz: see bench/throughput.py.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/throughput.py "$@"
