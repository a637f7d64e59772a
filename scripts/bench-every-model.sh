#!/usr/bin/env bash
# Every-model benchmark (issue 31): the torchvision models that
# scripts/models/export_torchvision.py writes (random weights, 224x224),
# compiled by promc under each policy, against ONNX Runtime fp32
# (onnxruntime-node, CPU, one thread), all in one run on this machine.
# Prints compile times, median latency of CALLS calls (default 30) and
# prom's time as a share of ONNX Runtime's. Needs a build
# (scripts/setup.sh) and the model tools (scripts/install-model-tools.sh,
# which this script runs).
#
#   scripts/bench-every-model.sh [CALLS]
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-30}
build=${PROM_BUILD_DIR:-build}
models=$build/models
work=$build/bench-every-model
mkdir -p "$work"

bash scripts/install-model-tools.sh > /dev/null
[ -f "$models/mobilenetv3_small.onnx" ] ||
  /usr/bin/python3 scripts/models/export_torchvision.py "$models" >&2
pin=$(($(nproc) - 1))
timed() { taskset -c "$pin" "$@"; }
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(grep -m1 'cpu family' /proc/cpuinfo | tr -d '\t'), $(grep -m1 '^model[[:space:]]' /proc/cpuinfo | tr -d '\t'); $(nproc) cores; timed runs on CPU $pin"
/usr/bin/python3 -c "import numpy as n, sys; n.random.default_rng(0).uniform(-1, 1, 150528).astype(n.float32).tofile(sys.argv[1])" "$work/in.bin"

printf '%-30s %10s %10s %10s %8s\n' "model, policy" "compile s" "median ms" "ORT fp32" "prom/ORT"
for model in mobilenetv2 mobilenetv3_small; do
  ort=$(timed node tools/ort/run.js "$models/$model.onnx" "$work/in.bin" \
    "$work/ort.bin" --bench "$calls" | sed -E 's/.* in ([0-9.]+) ms.*/\1/')
  for policy in prom int8 float; do
    name=${model}_$policy
    start=$(date +%s%N)
    "$build/bin/promc" "$models/$model.onnx" -o "$work/$name.so" \
      --name="$name" --policy="$policy" 2> "$work/$name.log"
    compile=$(( ($(date +%s%N) - start) / 1000000 ))
    clang-22 -O2 -include "$work/$name.h" -DMODEL_RUN="${name}_run" \
      -DIN=150528 -DOUT=1000 bench/model_latency.c "$work/$name.so" \
      -Wl,-rpath,"$(cd "$work" && pwd)" -o "$work/$name"
    latency=$(timed "$work/$name" "$calls" | awk '{print $2}')
    /usr/bin/python3 -c "import sys; c, l, o = map(float, sys.argv[2:]); print(f'{sys.argv[1]:30s} {c / 1000:10.1f} {l:10.3f} {o:10.3f} {l / o:7.2f}x')" \
      "$model, $policy" "$compile" "$latency" "$ort"
  done
done
echo "targets: MobileNetV3-small PROM and int8 <= 0.50x; float policy <= 1.00x; compile < 5 s"
