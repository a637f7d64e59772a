#!/usr/bin/env bash
# Every-model benchmark: the torchvision models that
# scripts/models/export_torchvision.py writes (random weights, 224x224),
# compiled by promc under each policy, against ONNX Runtime fp32
# (onnxruntime-node, CPU, one thread), all in one run on this machine.
# Runs ROUNDS rounds (default 5), each timing ONNX Runtime and the three
# libraries of a model for CALLS calls (default 30), and prints compile
# times, the median over the rounds of each one's median latency, and
# prom's time as a share of ONNX Runtime's: the median of the rounds'
# ratios, and their range. Needs a build (scripts/setup.sh) and the model
# tools (scripts/install-model-tools.sh, which this script runs).
#
#   scripts/bench-every-model.sh [CALLS [ROUNDS]]
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-30}
rounds=${2:-5}
build=${PROM_BUILD_DIR:-build}
models=$build/models
work=$build/bench-every-model
mkdir -p "$work"

bash scripts/install-model-tools.sh > /dev/null
[ -f "$models/resnet18.onnx" ] ||
  /usr/bin/python3 scripts/models/export_torchvision.py "$models" >&2
pin=$(($(nproc) - 1))
timed() { taskset -c "$pin" "$@"; }
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(grep -m1 'cpu family' /proc/cpuinfo | tr -d '\t'), $(grep -m1 '^model[[:space:]]' /proc/cpuinfo | tr -d '\t'); $(nproc) cores; timed runs on CPU $pin"
/usr/bin/python3 -c "import numpy as n, sys; n.random.default_rng(0).uniform(-1, 1, 150528).astype(n.float32).tofile(sys.argv[1])" "$work/in.bin"

printf '%-30s %10s %10s %10s %8s %15s\n' "model, policy" "compile s" "median ms" "ORT fp32" "prom/ORT" "rounds' ratios"
for model in mobilenetv2 mobilenetv3_small resnet18; do
  declare -A compile=() runs=()
  for policy in prom int8 float; do
    name=${model}_$policy
    start=$(date +%s%N)
    "$build/bin/promc" "$models/$model.onnx" -o "$work/$name.so" \
      --name="$name" --policy="$policy" 2> "$work/$name.log"
    compile[$policy]=$(( ($(date +%s%N) - start) / 1000000 ))
    clang-22 -O2 -include "$work/$name.h" -DMODEL_RUN="${name}_run" \
      -DIN=150528 -DOUT=1000 bench/model_latency.c "$work/$name.so" \
      -Wl,-rpath,"$(cd "$work" && pwd)" -o "$work/$name"
    clang-22 -O2 -include "$work/$name.h" -DRUN="${name}_run" \
      -DIN=150528 -DOUT=1000 test/promc/Inputs/harness.c "$work/$name.so" \
      -Wl,-rpath,"$(cd "$work" && pwd)" -o "$work/${name}_out"
    "$work/${name}_out" "$work/in.bin" "$work/$name.out"
  done
  # Rounds alternate ONNX Runtime and the three libraries, so that a slow
  # spell of the machine falls on all of them; each round's ratio pairs
  # runs made seconds apart.
  for ((round = 0; round < rounds; round++)); do
    runs[ort]+=" $(timed node tools/ort/run.js "$models/$model.onnx" \
      "$work/in.bin" "$work/${model}_ort.out" --bench "$calls" |
      sed -E 's/.* in ([0-9.]+) ms.*/\1/')"
    for policy in prom int8 float; do
      runs[$policy]+=" $(timed "$work/${model}_$policy" "$calls" |
        awk '{print $2}')"
    done
  done
  for policy in prom int8 float; do
    /usr/bin/python3 -c '
import statistics as st, sys
label, compile_ms, mine, ort = sys.argv[1:]
mine = [float(v) for v in mine.split()]
ort = [float(v) for v in ort.split()]
ratios = [m / o for m, o in zip(mine, ort)]
print(f"{label:30s} {float(compile_ms) / 1000:10.1f} {st.median(mine):10.3f} "
      f"{st.median(ort):10.3f} {st.median(ratios):7.2f}x "
      f"{min(ratios):7.2f}-{max(ratios):.2f}")' \
      "$model, $policy" "${compile[$policy]}" "${runs[$policy]}" "${runs[ort]}"
  done
  unset compile runs
done
echo "targets: MobileNetV3-small PROM and int8 <= 0.50x; float policy <= 1.00x; compile < 5 s"

# Accuracy on the same input: each library's output against ONNX Runtime's
# fp32 output (SQNR: signal over error power, in dB; the largest error
# relative to the largest output), and ONNX Runtime's own QDQ model where
# there is one. Calibration is promc's default (no inputs given).
node tools/ort/run.js "$models/mobilenetv2_qdq.onnx" "$work/in.bin" \
  "$work/mobilenetv2_qdq_ort.out" > /dev/null
printf '\n%-30s %12s %14s\n' "model, policy" "SQNR dB" "max rel error"
for out in mobilenetv2_prom mobilenetv2_int8 mobilenetv2_float \
  mobilenetv2_qdq_ort mobilenetv3_small_prom mobilenetv3_small_int8 \
  mobilenetv3_small_float resnet18_prom resnet18_int8 resnet18_float; do
  model=${out%_*}
  [ "$out" = mobilenetv2_qdq_ort ] && model=mobilenetv2
  /usr/bin/python3 -c '
import numpy as np, sys
label, got, want = sys.argv[1:]
got = np.fromfile(got, "<f4").astype(np.float64)
want = np.fromfile(want, "<f4").astype(np.float64)
err = got - want
sqnr = 10 * np.log10(np.sum(want ** 2) / max(np.sum(err ** 2), 1e-300))
print(f"{label:30s} {sqnr:12.1f} {np.max(np.abs(err)) / np.max(np.abs(want)):14.2e}")' \
    "$out" "$work/$out.out" "$work/${model}_ort.out"
done
echo "targets: the float policy within 1e-4 relative; the int8 policy's SQNR within 1 dB of ONNX Runtime's QDQ model's"
