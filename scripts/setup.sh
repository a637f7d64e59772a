#!/usr/bin/env bash
# Installs whatever Debian packages prom needs and are missing (idempotent),
# then configures and builds prom with ninja in ${PROM_BUILD_DIR:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # LLVM/MLIR 22: headers, libMLIR.so, mlir-tblgen, lit/FileCheck, clang, lld
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools clang-22 lld-22
  cmake ninja-build libgtest-dev python3
  # ONNX import
  libonnx-dev libprotobuf-dev protobuf-compiler
  # the ONNX backend node tests, run by test/Import/Onnx/node-tests.test
  libonnx-testdata
  # oneDNN and XNNPACK: the library baselines of bench/ (prom-bench-pointwise)
  libdnnl-dev libxnnpack-dev libpthreadpool-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

build=${PROM_BUILD_DIR:-build}
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S . -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir
fi
cmake --build "$build"
