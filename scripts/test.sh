#!/usr/bin/env bash
# Sets up and builds prom (scripts/setup.sh), then runs every test through
# ctest: the lit suite, the GoogleTest unit tests and the install test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cd "${PROM_BUILD_DIR:-build}"
ctest --output-on-failure -j2
