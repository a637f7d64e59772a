#!/usr/bin/env bash
# check-consumer.sh BUILD_DIR CONSUMER_SRC WORK_DIR CXX MAKE_PROGRAM
set -euo pipefail
build=$1 src=$2 work=$3 cxx=$4 make=$5
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
cmake -S "$src" -B "$work/consumer-build" -G Ninja \
  -DCMAKE_MAKE_PROGRAM="$make" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" >>"$log" 2>&1
cmake --build "$work/consumer-build" >>"$log" 2>&1
"$work/consumer-build/prom-consumer"
