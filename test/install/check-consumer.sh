#!/usr/bin/env bash
# check-consumer.sh BUILD_DIR CONSUMER_SRC WORK_DIR CXX MAKE_PROGRAM MODEL
set -euo pipefail
build=$1 src=$2 work=$3 cxx=$4 make=$5 model=$6
log=$work/consumer.log
mkdir -p "$work"
: >"$log"
trap 'status=$?; [ $status -eq 0 ] || { echo "--- $log"; cat "$log"; }; exit $status' EXIT
prefix=$work/prefix
rm -rf "$prefix" "$work/consumer-build"
cmake --install "$build" --prefix "$prefix" >>"$log" 2>&1
test -f "$prefix/lib/cmake/Prom/PromConfig.cmake"
test -f "$prefix/include/Prom/Dialect/Prom/IR/PromOps.td"
test -f "$prefix/include/Prom/Dialect/Prom/IR/PromOps.h.inc"
test -f "$prefix/include/Prom/Dialect/PromX86/IR/PromX86Ops.h.inc"

# The installed tools start (they find LLVM's libraries by their run path)
# and do their job on a small model: import, optimize, compile, run.
bin=$prefix/bin
"$bin/prom-opt" --version >>"$log" 2>&1
"$bin/prom-translate" --import-onnx "$model" -o "$work/model.mlir" >>"$log" 2>&1
"$bin/prom-opt" "$work/model.mlir" --prom-quantize-model >/dev/null 2>>"$log"
"$bin/promc" "$model" -o "$work/model.so" --name=model >>"$log" 2>&1
test -s "$work/model.so" && test -s "$work/model.h"
"$bin/prom-run" "$work/model.mlir" --zeros >>"$log" 2>&1
cmake -S "$src" -B "$work/consumer-build" -G Ninja \
  -DCMAKE_MAKE_PROGRAM="$make" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" >>"$log" 2>&1
cmake --build "$work/consumer-build" >>"$log" 2>&1
"$work/consumer-build/prom-consumer"
