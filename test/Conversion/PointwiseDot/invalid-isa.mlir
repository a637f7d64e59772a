// RUN: not prom-opt %s --prom-pointwise-dot=isa=sse4 2>&1 | FileCheck %s
// RUN: not prom-opt %s --prom-pointwise-dot="isa=avx2 tile-pixels=-1" 2>&1 | FileCheck %s --check-prefix=TILE
// CHECK: error: prom-pointwise-dot: unknown isa 'sse4' (expected avx2 or avx512-vnni)
// TILE: error: prom-pointwise-dot: tile-pixels and tile-blocks must be 0 (chosen) or positive
func.func @f() {
  return
}
