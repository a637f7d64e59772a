#!/usr/bin/env bash
# Fuzzes prom with libFuzzer under ASan and UBSan.
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Builds prom with -DPROM_FUZZ=ON and the sanitizers in
# ${PROM_FUZZ_BUILD_DIR:-build-fuzz} (a separate build: every prom library
# instrumented), then runs each fuzz target (default: import-onnx parse-ir)
# for SECONDS (default 600) from its seed corpus in the repository. New
# inputs go to $build/fuzz/corpus/TARGET, crashes to $build/fuzz/crashes;
# an input that takes over 10 s counts as a hang. A crash found becomes a
# regression test: add the input to the seed directory (test/Import/Onnx/
# models through scripts/models/make_test_models.py, or a lit test) with
# its fix. The test suite replays the seed corpora (test/prom-fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(import-onnx parse-ir)

bash scripts/setup.sh # packages and the main build
if ! dpkg-query -W -f='${Status}' libclang-rt-22-dev 2>/dev/null |
    grep -q "install ok installed"; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y \
    --no-install-recommends libclang-rt-22-dev
fi

build=${PROM_FUZZ_BUILD_DIR:-build-fuzz}
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
flags="$sanitize -fsanitize=fuzzer-no-link -fno-omit-frame-pointer -g"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld -DPROM_FUZZ=ON -DPROM_BUILD_TESTS=OFF \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="$sanitize"
fi
fuzzers=()
for t in "${targets[@]}"; do fuzzers+=("prom-$t-fuzzer"); done
cmake --build "$build" --target "${fuzzers[@]}"

declare -A seeds=(
  [import-onnx]="test/Import/Onnx/models"
  [parse-ir]="test/Dialect/Prom test/Dialect/PromX86 test/Conversion/PromToLinalg test/Codegen/CPU/Common test/Codegen/CPU/X86 test/Transforms"
)
work=$build/fuzz
mkdir -p "$work/crashes"
# LLVM's headers poison the free part of a BumpPtrAllocator slab in prom's
# instrumented code; Debian's libMLIR is not instrumented and writes there
# through its own copy of the allocator, which ASan would report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-allow_user_poisoning=0}
status=0
for t in "${targets[@]}"; do
  corpus=$work/corpus/$t
  mkdir -p "$corpus"
  echo "fuzz.sh: prom-$t-fuzzer for $seconds s"
  # shellcheck disable=SC2086 # the seed directories are words
  "$build/bin/prom-$t-fuzzer" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$work/crashes/$t-" "$corpus" ${seeds[$t]} ||
    status=1
done
exit $status
