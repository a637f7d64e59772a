#!/usr/bin/env bash
# Sets up and builds prom (scripts/setup.sh), then runs every test through
# ctest: the lit suite (with ONNX import and ONNX Runtime parity), the
# GoogleTest unit tests and the install test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# ONNX tests: Debian's python3-onnx/torch and npm's onnxruntime-node.
bash scripts/install-model-tools.sh
cd "${PROM_BUILD_DIR:-build}"
ctest --output-on-failure -j2
