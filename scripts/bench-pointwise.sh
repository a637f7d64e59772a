#!/usr/bin/env bash
# Kernel-level benchmark (issue 12) on a shared machine: runs
# prom-bench-pointwise RUNS times (default 3) and combines the runs, each
# cell the smallest of its medians (scripts/bench_pointwise_min.py). Every
# run's own table is kept under build/bench-pointwise/. Needs a build
# (scripts/setup.sh).
#
#   scripts/bench-pointwise.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
build=${PROM_BUILD_DIR:-build}
work=$build/bench-pointwise
mkdir -p "$work"
files=()
for i in $(seq 1 "$runs"); do
  "$build/bin/prom-bench-pointwise" > "$work/run$i.txt"
  echo "run $i: $(grep '^total' "$work/run$i.txt")"
  files+=("$work/run$i.txt")
done
head -4 "$work/run1.txt"
/usr/bin/python3 scripts/bench_pointwise_min.py "${files[@]}"
