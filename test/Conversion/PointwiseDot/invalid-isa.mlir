// RUN: not prom-opt %s --prom-pointwise-dot=isa=sse4 2>&1 | FileCheck %s
// CHECK: error: prom-pointwise-dot: unknown isa 'sse4' (expected avx2 or avx512-vnni)
func.func @f() {
  return
}
