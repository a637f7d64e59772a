// Bad requests: one located error each, and a failing exit.
// RUN: not prom-opt %s --prom-select-kernels 2>&1 | FileCheck %s --check-prefix=NOTARGET
// RUN: not prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels=isa=sse4 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels=isa=avx512-vnni 2>&1 | FileCheck %s --check-prefix=LACKS
// RUN: not prom-opt %s --prom-set-target=cpu=x86-64 --prom-select-kernels=isa=avx2 2>&1 | FileCheck %s --check-prefix=LACKS-ALL
// RUN: not prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels="isa=none ternary-kernel=dot" 2>&1 | FileCheck %s --check-prefix=NODOT
// RUN: not prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels=ternary-kernel=fast 2>&1 | FileCheck %s --check-prefix=TERNARY
// RUN: not prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels=tile-pixels=-1 2>&1 | FileCheck %s --check-prefix=TILE
// RUN: not prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels=add-lanes=0 2>&1 | FileCheck %s --check-prefix=LANES
// RUN: not prom-opt %s --prom-set-target=cpu=znver3 --prom-select-kernels=depthwise-form=vpdpbusd 2>&1 | FileCheck %s --check-prefix=DEPTHWISE

// NOTARGET: error: prom-select-kernels: the module has no prom.target (run prom-set-target first)
// UNKNOWN: error: prom-select-kernels: unknown isa 'sse4' (expected auto, none, avx2, avx512-vnni or amx-int8)
// LACKS: error: prom-select-kernels: isa=avx512-vnni needs a CPU with it; the target (znver3) has avx2
// LACKS-ALL: error: prom-select-kernels: isa=avx2 needs a CPU with it; the target (x86-64) has none
// NODOT: error: prom-select-kernels: ternary-kernel=dot needs isa avx2, avx512-vnni or
// TERNARY: error: prom-select-kernels: unknown ternary-kernel 'fast' (expected auto, dot, add or reference)
// TILE: error: prom-select-kernels: tile-pixels and tile-blocks must be 0 (estimated) or positive
// LANES: error: prom-select-kernels: chunk-bytes and add-lanes must be positive
// DEPTHWISE: error: prom-select-kernels: unknown depthwise-form 'vpdpbusd' (expected auto or multiply)
func.func @f() {
  return
}
