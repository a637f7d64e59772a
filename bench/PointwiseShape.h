//===- PointwiseShape.h - a 1x1 convolution's shape -------------*- C++ -*-===//
//
// The shape prom-bench-pointwise and its library baselines share.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_BENCH_POINTWISESHAPE_H
#define PROM_BENCH_POINTWISESHAPE_H

#include <cstdint>

namespace prom_bench {

/// cin -> cout channels on a hw x hw map, batch 1, stride 1.
struct PointwiseShape {
  int64_t cin, cout, hw;
};

} // namespace prom_bench

#endif // PROM_BENCH_POINTWISESHAPE_H
