#!/usr/bin/env bash
# Model-level benchmark (issue 12): MobileNetV2 (torchvision, random
# weights, 224x224) compiled by promc under the PROM and int8 policies and
# from its QDQ file, against ONNX Runtime (onnxruntime-node, CPU, one
# thread) on the float and QDQ models, all in one run on this machine.
# Prints compile times, median latency of CALLS calls each (default 30) and
# the ratios. Needs a build (scripts/setup.sh) and the model tools
# (scripts/install-model-tools.sh, which this script runs).
#
#   scripts/bench-models.sh [CALLS]
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-30}
build=${PROM_BUILD_DIR:-build}
bin=$build/bin
models=$build/models
work=$build/bench-models
mkdir -p "$work"

bash scripts/install-model-tools.sh > /dev/null
[ -f "$models/mobilenetv2_qdq.onnx" ] ||
  /usr/bin/python3 scripts/models/export_torchvision.py "$models" >&2
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# Every timed run on the same core: the vCPUs of a VM differ (on a Zen 5
# guest one ran MobileNetV2 30% slower than the other; docs/profiling.md).
pin=$(($(nproc) - 1))
timed() { taskset -c "$pin" "$@"; }

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') (promc targets the host; kernels: see each report); timed runs on CPU $pin"
printf '%-34s %10s %12s\n' "MobileNetV2, one thread" "compile ms" "median ms"
declare -A latency
run_prom() { # name, model, promc options...
  local name=$1 model=$2
  shift 2
  local start
  start=$(date +%s%N)
  "$bin/promc" "$model" -o "$work/$name.so" --name="$name" \
    --report="$work/$name.json" "$@" 2> "$work/$name.log"
  local compile
  compile=$(ms "$start")
  clang-22 -O2 -include "$work/$name.h" -DMODEL_RUN="${name}_run" \
    -DIN=150528 -DOUT=1000 bench/model_latency.c "$work/$name.so" \
    -Wl,-rpath,"$(cd "$work" && pwd)" -o "$work/$name"
  latency[$name]=$(timed "$work/$name" "$calls" | awk '{print $2}')
  printf '%-34s %10s %12s\n' "prom $name" "$compile" "${latency[$name]}"
}
run_prom prom_policy "$models/mobilenetv2.onnx" --policy=prom
echo "LLVM CPU: $(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["kernels"]["cpu"])' "$work/prom_policy.json"), $(grep -m1 'cpu family' /proc/cpuinfo | tr -d '\t'), $(grep -m1 '^model[[:space:]]' /proc/cpuinfo | tr -d '\t')"
run_prom int8_policy "$models/mobilenetv2.onnx" --policy=int8
run_prom qdq "$models/mobilenetv2_qdq.onnx"
# Held to AVX2 (no AVX-512): what a Zen 3 or an older Intel core gets.
run_prom prom_policy_avx2 "$models/mobilenetv2.onnx" --policy=prom \
  --mcpu=x86-64-v3
# On AMX hosts the rows above mix AMX and VNNI layers by estimate; this one
# keeps every layer off the tiles.
if grep -qw amx_int8 /proc/cpuinfo; then
  run_prom prom_policy_vnni "$models/mobilenetv2.onnx" --policy=prom \
    --kernel-isa=avx512-vnni
fi

# The same PROM-policy library with glibc told to keep freed memory: what
# the per-call malloc/free of activation buffers costs (docs/performance.md).
tuned=$(GLIBC_TUNABLES=glibc.malloc.mmap_threshold=67108864:glibc.malloc.trim_threshold=268435456 \
  timed "$work/prom_policy" "$calls" | awk '{print $2}')
printf '%-34s %10s %12s\n' "prom prom_policy, malloc kept" "" "$tuned"

/usr/bin/python3 -c "import numpy as n, sys; n.random.default_rng(0).uniform(-1, 1, 150528).astype(n.float32).tofile(sys.argv[1])" "$work/in.bin"
declare -A ort
for m in mobilenetv2 mobilenetv2_qdq; do
  ort[$m]=$(timed node tools/ort/run.js "$models/$m.onnx" "$work/in.bin" "$work/ort.bin" \
    --bench "$calls" | sed -E 's/.* in ([0-9.]+) ms.*/\1/')
  printf '%-34s %10s %12s\n' "onnxruntime $m" "" "${ort[$m]}"
done

echo "ratios (> 1: prom is faster):"
/usr/bin/python3 - "${latency[prom_policy]}" "${latency[int8_policy]}" \
  "${latency[qdq]}" "${ort[mobilenetv2]}" "${ort[mobilenetv2_qdq]}" \
  "${latency[prom_policy_avx2]}" <<'PY'
import sys
prom, int8, qdq, ort_fp32, ort_qdq, avx2 = map(float, sys.argv[1:])
print(f"  onnxruntime fp32 / prom PROM policy  {ort_fp32 / prom:5.2f}x")
print(f"  onnxruntime QDQ  / prom PROM policy  {ort_qdq / prom:5.2f}x")
print(f"  onnxruntime QDQ  / prom int8 policy  {ort_qdq / int8:5.2f}x")
print(f"  onnxruntime QDQ  / prom QDQ          {ort_qdq / qdq:5.2f}x")
print(f"  onnxruntime QDQ  / prom PROM, AVX2    {ort_qdq / avx2:5.2f}x")
print("prom's time as a share of ONNX Runtime's QDQ time, against the targets:")
print(f"  PROM policy          {prom / ort_qdq:5.2f}x  (target <= 0.30x on AVX-512 VNNI)")
print(f"  PROM policy, AVX2    {avx2 / ort_qdq:5.2f}x  (target <= 0.55x)")
print(f"  QDQ file / PROM      {qdq / prom:5.2f}x  (target <= 1.10x)")
PY
