#!/usr/bin/env bash
# prom's main job on the bundled example, as far as it goes today: build
# prom-opt and run the bundled MobileNetV2 block (TOSA, float) through the prom
# passes that exist, printing the resulting IR.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
"${PROM_BUILD_DIR:-build}/bin/prom-opt" examples/mobilenetv2-block.mlir \
  --prom-assign-bitwidths="policy=prom"
