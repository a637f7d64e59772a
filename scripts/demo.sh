#!/usr/bin/env bash
# prom's main job on the bundled examples, as far as it goes today:
#  1. plan bit-widths (PROM policy) for a MobileNetV2 block in float TOSA;
#  2. compile the same kind of block, quantized to prom's int8/ternary ops,
#     for this CPU (prom-to-llvm, JIT) and run it on a pseudo-random input;
#  3. export MobileNetV2 from torchvision (random weights), import the ONNX
#     file, compile and run it, and compare with ONNX Runtime;
#  4. promc: the same ONNX file to a quantized (PROM policy) shared library
#     with a C header, linked into examples/classify.c, which prints the
#     top classes, next to the cost report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
bash scripts/install-model-tools.sh >&2
bin=${PROM_BUILD_DIR:-build}/bin

echo "== 1. prom-assign-bitwidths (policy=prom) on examples/mobilenetv2-block.mlir"
"$bin/prom-opt" examples/mobilenetv2-block.mlir --prom-assign-bitwidths=policy=prom \
  --mlir-print-debuginfo --mlir-print-local-scope |
  grep -oE '(tosa\.[a-z_0-9]+) .*(prom\.bitwidth = #prom\.bitwidth<[a-z0-9]+>).* loc\("[^"]*"' |
  sed -E 's/^(tosa\.[a-z_0-9]+) .*(prom\.bitwidth = #prom\.bitwidth<[a-z0-9]+>).* loc\("([^"]*)"/  \3: \1 -> \2/'

echo "== 2. compile and run examples/mobilenetv2-block-int8.mlir on this CPU"
"$bin/prom-run" examples/mobilenetv2-block-int8.mlir

echo "== 3. MobileNetV2 (torchvision, random weights): ONNX -> prom -> this CPU, vs ONNX Runtime"
models=${PROM_BUILD_DIR:-build}/models
/usr/bin/python3 scripts/models/export_torchvision.py "$models" >&2
start=$(date +%s%N)
"$bin/prom-translate" --import-onnx "$models/mobilenetv2.onnx" -o "$models/mobilenetv2.mlir"
echo "  import: $(( ($(date +%s%N) - start) / 1000000 )) ms"
/usr/bin/python3 test/Import/Onnx/compare_with_ort.py --bin "$bin" \
  --ort tools/ort/run.js "$models/mobilenetv2.onnx"

echo "== 4. promc: MobileNetV2 -> PROM-quantized shared library + C header -> examples/classify.c"
start=$(date +%s%N)
"$bin/promc" "$models/mobilenetv2.onnx" -o "$models/mobilenetv2.so" \
  --report "$models/mobilenetv2-cost.json" 2> /dev/null
echo "  promc: $(( ($(date +%s%N) - start) / 1000000 )) ms (quantization calibrates on pseudo-random inputs)"
clang-22 -O2 -include "$models/mobilenetv2.h" -DMODEL_RUN=mobilenetv2_run \
  examples/classify.c "$models/mobilenetv2.so" -Wl,-rpath,"$(cd "$models" && pwd)" \
  -lm -o "$models/classify"
"$models/classify"
/usr/bin/python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
t, q = r["total"], r["ratios"]
print("  cost report: %.2fM MACs, %d multiplies, %.2fx less energy and %.2fx "
      "less weight storage than fp16" % (t["macs"] / 1e6, t["multiplies"],
      q["energy_vs_fp16"], q["storage_vs_fp16"]))' "$models/mobilenetv2-cost.json"
