#!/usr/bin/env bash
# check-consumer.sh BUILD_DIR CONSUMER_SRC WORK_DIR CXX MAKE_PROGRAM
set -euo pipefail
build=$1 src=$2 work=$3 cxx=$4 make=$5
prefix=$work/prefix
rm -rf "$prefix" "$work/consumer-build"
cmake --install "$build" --prefix "$prefix" >/dev/null
test -f "$prefix/lib/cmake/Prom/PromConfig.cmake"
test -f "$prefix/include/Prom/Dialect/Prom/IR/PromOps.td"
test -f "$prefix/include/Prom/Dialect/Prom/IR/PromOps.h.inc"
cmake -S "$src" -B "$work/consumer-build" -G Ninja \
  -DCMAKE_MAKE_PROGRAM="$make" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/consumer-build" >/dev/null
"$work/consumer-build/prom-consumer"
