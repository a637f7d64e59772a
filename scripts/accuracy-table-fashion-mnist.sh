#!/usr/bin/env bash
# Makes the accuracy table of docs/accuracy.md: compiles the checked-in
# Fashion-MNIST models (examples/fashion-mnist) with promc under each policy,
# runs every compiled library over the 10,000 test images with
# examples/fashion-mnist/evaluate.c and prints one markdown row per
# configuration: top-1 accuracy, energy ratio vs fp16 and weight bytes (from
# promc --report) and the mean latency per image (one thread).
#
#   bash scripts/accuracy-table-fashion-mnist.sh [--update] [--limit N]
#
# --update rewrites the table in docs/accuracy.md; --limit evaluates the
# first N test images only. Needs a built prom (scripts/setup.sh) and the
# model tools (scripts/install-model-tools.sh: Debian's dataset-fashion-mnist
# and python3-numpy).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${PROM_BUILD_DIR:-build}
promc=$root/$build/bin/promc
example=$root/examples/fashion-mnist
data=/usr/share/datasets/fashion-mnist

update=0
limit=()
while (($#)); do
  case $1 in
  --update) update=1 ;;
  --limit) limit=(--limit "$2"); shift ;;
  *) echo "usage: $0 [--update] [--limit N]" >&2; exit 1 ;;
  esac
  shift
done
[ -x "$promc" ] || { echo "error: $promc not built (bash scripts/setup.sh)" >&2; exit 1; }
[ -f "$data/t10k-images-idx3-ubyte.gz" ] || { echo "error: no $data (bash scripts/install-model-tools.sh)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$example/calibration_inputs.py" "$work/calibration" 256

# row LABEL MODEL [promc options...]
row() {
  local label=$1 model=$2 dir
  shift 2
  dir=$(mktemp -d -p "$work")
  "$promc" "$example/$model" -o "$dir/fmnist.so" --name=fmnist \
    --report="$dir/cost.json" "$@" 2>"$dir/promc.log" ||
    { cat "$dir/promc.log" >&2; exit 1; }
  clang-22 -O2 -include "$dir/fmnist.h" -DMODEL_RUN=fmnist_run \
    "$example/evaluate.c" "$dir/fmnist.so" -Wl,-rpath,"$dir" -lz -o "$dir/evaluate"
  "$dir/evaluate" "$data/t10k-images-idx3-ubyte.gz" \
    "$data/t10k-labels-idx1-ubyte.gz" "${limit[@]}" >"$dir/result"
  /usr/bin/python3 - "$label" "$dir/result" "$dir/cost.json" <<'EOF'
import json, re, sys
label, result, cost = sys.argv[1:]
m = re.match(r"(\d+) images, top-1 ([\d.]+)% \((\d+) correct\), ([\d.]+) ms", open(result).read())
r = json.load(open(cost))
print(f"| {label} | {float(m[2]):.2f} | {r['ratios']['energy_vs_fp16']:.2f}x "
      f"| {r['total']['weight_bytes']:,} | {float(m[4]):.3f} |")
EOF
}

# Accuracy recorded by train.py when it trained the checked-in models.
recorded() {
  /usr/bin/python3 -c 'import json, sys; print("%.2f" % json.load(open(sys.argv[1]))["top1"])' "$example/$1"
}

table=$work/table.md
{
  echo "| configuration | top-1 % | energy vs fp16 | weight bytes | ms / image |"
  echo "|---|---:|---:|---:|---:|"
  echo "| float (PyTorch, recorded at training) | $(recorded float-accuracy.json) | | | |"
  row "float (prom, --policy=float)" fmnist-float.onnx --policy=float
  row "int8 PTQ (prom, --policy=int8)" fmnist-float.onnx --policy=int8 --calibration-dir="$work/calibration"
  row "PROM PTQ (prom, --policy=prom, no training)" fmnist-float.onnx --policy=prom --calibration-dir="$work/calibration"
  echo "| PROM QAT (PyTorch fake-quant, recorded at training) | $(recorded qat-accuracy.json) | | | |"
  row "PROM QAT (prom, QDQ model)" fmnist-prom-qat.onnx
  row "float + HASTE (prom, --policy=float --haste --haste-l=16)" fmnist-float.onnx --policy=float --haste --haste-l=16
  row "PROM QAT + HASTE (prom, --haste --haste-l=16)" fmnist-prom-qat.onnx --haste --haste-l=16
} >"$table"
cpu=$(/usr/lib/llvm-22/bin/llc --version | sed -n 's/.*Host CPU: //p')
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') ($cpu); test images: ${limit[1]:-10000}"
cat "$table"

if ((update)); then
  /usr/bin/python3 - "$root/docs/accuracy.md" "$table" <<'EOF'
import re, sys
doc, table = sys.argv[1:]
text = open(doc).read()
new = "<!-- table:begin -->\n" + open(table).read() + "<!-- table:end -->"
text, n = re.subn(r"<!-- table:begin -->.*?<!-- table:end -->", lambda _: new, text, flags=re.S)
assert n == 1, "docs/accuracy.md has no table markers"
open(doc, "w").write(text)
EOF
  echo "updated docs/accuracy.md"
fi
