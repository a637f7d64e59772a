#!/usr/bin/env bash
# Every-model benchmark: the torchvision classifiers that
# scripts/models/export_torchvision.py writes and the segmentation and
# text-recognition models of scripts/models/export_task_models.py (random
# weights), compiled by promc under each policy, against ONNX Runtime fp32
# (onnxruntime-node, CPU, one thread), all in one run on this machine.
# Runs ROUNDS rounds (default 5), each timing ONNX Runtime and the three
# libraries of a model for CALLS calls (default 30), and prints compile
# times, the median over the rounds of each one's median latency, and
# prom's time as a share of ONNX Runtime's: the median of the rounds'
# ratios, and their range. Needs a build (scripts/setup.sh) and the model
# tools (scripts/install-model-tools.sh, which this script runs).
#
#   scripts/bench-every-model.sh [CALLS [ROUNDS]]
#
# PROM_BENCH_MODELS (a space-separated list of those models) runs a subset.
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
[ -f "$models/text_recognizer.onnx" ] ||
  /usr/bin/python3 scripts/models/export_task_models.py "$models" >&2
all_models=${PROM_BENCH_MODELS:-mobilenetv2 mobilenetv3_small resnet18 lraspp text_recognizer}
pin=$(($(nproc) - 1))
timed() { taskset -c "$pin" "$@"; }
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(grep -m1 'cpu family' /proc/cpuinfo | tr -d '\t'), $(grep -m1 '^model[[:space:]]' /proc/cpuinfo | tr -d '\t'); $(nproc) cores; timed runs on CPU $pin"

printf '%-30s %10s %10s %10s %8s %15s\n' "model, policy" "compile s" "median ms" "ORT fp32" "prom/ORT" "rounds' ratios"
for model in $all_models; do
  declare -A compile=() runs=()
  # The input and output element counts, and a uniform(-1, 1) input.
  read -r in out < <(/usr/bin/python3 -c '
import numpy as n, onnx, sys
g = onnx.load(sys.argv[1], load_external_data=False).graph
count = lambda v: int(n.prod([d.dim_value for d in v.type.tensor_type.shape.dim]))
print(count(g.input[0]), count(g.output[0]))
n.random.default_rng(0).uniform(-1, 1, count(g.input[0])).astype(n.float32).tofile(sys.argv[2])' \
    "$models/$model.onnx" "$work/${model}_in.bin")
  for policy in prom int8 float; do
    name=${model}_$policy
    start=$(date +%s%N)
    "$build/bin/promc" "$models/$model.onnx" -o "$work/$name.so" \
      --name="$name" --policy="$policy" 2> "$work/$name.log"
    compile[$policy]=$(( ($(date +%s%N) - start) / 1000000 ))
    clang-22 -O2 -include "$work/$name.h" -DMODEL_RUN="${name}_run" \
      -DIN="$in" -DOUT="$out" bench/model_latency.c "$work/$name.so" \
      -Wl,-rpath,"$(cd "$work" && pwd)" -o "$work/$name"
    clang-22 -O2 -include "$work/$name.h" -DRUN="${name}_run" \
      -DIN="$in" -DOUT="$out" test/promc/Inputs/harness.c "$work/$name.so" \
      -Wl,-rpath,"$(cd "$work" && pwd)" -o "$work/${name}_out"
    "$work/${name}_out" "$work/${model}_in.bin" "$work/$name.out"
  done
  # Rounds alternate ONNX Runtime and the three libraries, so that a slow
  # spell of the machine falls on all of them; each round's ratio pairs
  # runs made seconds apart.
  for ((round = 0; round < rounds; round++)); do
    runs[ort]+=" $(timed node tools/ort/run.js "$models/$model.onnx" \
      "$work/${model}_in.bin" "$work/${model}_ort.out" --bench "$calls" |
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
qdq=
if [[ " $all_models " == *" mobilenetv2 "* ]]; then
  node tools/ort/run.js "$models/mobilenetv2_qdq.onnx" \
    "$work/mobilenetv2_in.bin" "$work/mobilenetv2_qdq_ort.out" > /dev/null
  qdq=mobilenetv2_qdq_ort
fi
printf '\n%-30s %12s %14s\n' "model, policy" "SQNR dB" "max rel error"
for out in $qdq $(for m in $all_models; do
    echo "${m}_prom ${m}_int8 ${m}_float"; done); do
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
