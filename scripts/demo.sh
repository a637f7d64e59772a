#!/usr/bin/env bash
# prom's main job on the bundled examples, as far as it goes today:
#  1. plan bit-widths (PROM policy) for a MobileNetV2 block in float TOSA;
#  2. compile the same kind of block, quantized to prom's int8/ternary ops,
#     for this CPU (prom-to-llvm, JIT) and run it on a pseudo-random input.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
bin=${PROM_BUILD_DIR:-build}/bin

echo "== 1. prom-assign-bitwidths (policy=prom) on examples/mobilenetv2-block.mlir"
"$bin/prom-opt" examples/mobilenetv2-block.mlir --prom-assign-bitwidths=policy=prom \
  --mlir-print-debuginfo --mlir-print-local-scope |
  grep -oE '(tosa\.[a-z_0-9]+) .*(prom\.bitwidth = #prom\.bitwidth<[a-z0-9]+>).* loc\("[^"]*"' |
  sed -E 's/^(tosa\.[a-z_0-9]+) .*(prom\.bitwidth = #prom\.bitwidth<[a-z0-9]+>).* loc\("([^"]*)"/  \3: \1 -> \2/'

echo "== 2. compile and run examples/mobilenetv2-block-int8.mlir on this CPU"
"$bin/prom-run" examples/mobilenetv2-block-int8.mlir
