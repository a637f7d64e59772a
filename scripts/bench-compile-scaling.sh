#!/usr/bin/env bash
# Compile time against depth (issue 31): promc compiles a synthetic
# MobileNetV2-like model (scripts/models/make_deep_model.py) of BLOCKS and
# of 2 x BLOCKS inverted-residual blocks, each RUNS times, alternating, and
# prints the median times and their ratio. Linear growth gives a ratio
# below 2 (the fixed costs do not double); the script fails above 2.2.
#
#   scripts/bench-compile-scaling.sh [BLOCKS] [RUNS] [promc options...]
#
# Defaults: 8 blocks, 3 runs, --policy=int8.
set -euo pipefail
cd "$(dirname "$0")/.."
blocks=${1:-8}
runs=${2:-3}
shift $(($# < 2 ? $# : 2))
options=("$@")
[ ${#options[@]} -gt 0 ] || options=(--policy=int8)
build=${PROM_BUILD_DIR:-build}
work=$build/bench-compile-scaling
mkdir -p "$work"

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores; promc ${options[*]}"
for n in "$blocks" $((2 * blocks)); do
  /usr/bin/python3 scripts/models/make_deep_model.py "$n" "$work/deep_$n.onnx"
done
declare -A times
for ((r = 0; r < runs; ++r)); do
  for n in "$blocks" $((2 * blocks)); do
    start=$(date +%s%N)
    "$build/bin/promc" "$work/deep_$n.onnx" -o "$work/deep_$n.so" \
      "${options[@]}" 2> "$work/deep_$n.log"
    times[$n]+="$(( ($(date +%s%N) - start) / 1000000 )) "
  done
done
/usr/bin/python3 - "$blocks" "${times[$blocks]}" "${times[$((2 * blocks))]}" <<'PY'
import statistics, sys
blocks = int(sys.argv[1])
small, large = ([int(t) for t in a.split()] for a in sys.argv[2:4])
a, b = statistics.median(small), statistics.median(large)
print(f"{blocks:3d} blocks: median {a:7.0f} ms  (runs: {' '.join(map(str, small))})")
print(f"{2 * blocks:3d} blocks: median {b:7.0f} ms  (runs: {' '.join(map(str, large))})")
ratio = b / a
print(f"ratio {ratio:.2f} (target <= 2.2): {'ok' if ratio <= 2.2 else 'FAIL'}")
sys.exit(0 if ratio <= 2.2 else 1)
PY
