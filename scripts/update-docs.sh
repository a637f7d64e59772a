#!/usr/bin/env bash
# Regenerates docs/reference/ from the ODS definitions (the `prom-doc` build
# target) after a change to a .td file; the `docs-reference` test fails until
# this has been run and the result committed.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${PROM_BUILD_DIR:-build}
cmake --build "$build" --target prom-doc
cp "$build/docs/Dialect/Prom.md" docs/reference/PromDialect.md
cp "$build/docs/Dialect/PromX86.md" docs/reference/PromX86Dialect.md
cp "$build/docs/Passes.md" docs/reference/PromPasses.md
cp "$build/docs/ConversionPasses.md" docs/reference/PromConversionPasses.md
cp "$build/docs/CalibrationPasses.md" docs/reference/PromCalibrationPasses.md
cp "$build/docs/CodegenCPUPasses.md" docs/reference/PromCodegenCPUPasses.md
