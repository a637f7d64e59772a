#!/usr/bin/env bash
# Makes the MobileNetV2 tables of docs/cost-model.md: exports torchvision's
# MobileNetV2 (random weights; counts depend only on the architecture, and
# the ternary nonzero count on TWN), quantizes it under the PROM policy and
# runs prom-cost-report with each energy table in data/energy.
#   bash scripts/cost-table-mobilenetv2.sh [OUT_DIR]   (after scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${PROM_BUILD_DIR:-build}/bin
out=${1:-build/cost-mobilenetv2}
mkdir -p "$out"
/usr/bin/python3 scripts/models/export_torchvision.py "$out" > "$out/export.log"
"$bin/prom-translate" --import-onnx "$out/mobilenetv2.onnx" -o "$out/mnv2.mlir" \
  --mlir-print-debuginfo
# Calibration ranges do not change any count; pseudo-random inputs will do.
"$bin/prom-opt" "$out/mnv2.mlir" --mlir-print-debuginfo \
  --prom-assign-bitwidths=policy=prom --prom-calibrate --prom-quantize \
  --prom-qdq-to-integer -o "$out/prom.mlir" 2> /dev/null
echo "| energy table | energy vs fp16 | storage vs fp16 | energy vs int8 |"
echo "|---|---|---|---|"
for table in horowitz-45nm dense-int8-adds dense-int32-adds prom-paper; do
  "$bin/prom-opt" "$out/prom.mlir" -o /dev/null --prom-cost-report="report=$out/$table.json energy-table=data/energy/$table.json"
  /usr/bin/python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["ratios"]
print("| %s | %.2fx | %.2fx | %.2fx |" % (sys.argv[2], r["energy_vs_fp16"],
      r["storage_vs_fp16"], r["energy_vs_int8"]))' "$out/$table.json" "$table"
done
echo
echo '```'
"$bin/prom-opt" "$out/prom.mlir" -o /dev/null --prom-cost-report="table=-"
echo '```'
