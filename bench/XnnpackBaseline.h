//===- XnnpackBaseline.h - XNNPACK int8 1x1 convolutions, timed -*- C++ -*-===//
//
// A second library baseline of prom-bench-pointwise: XNNPACK's
// per-channel-quantized int8 convolution (the "qc8" operators: s8
// activations, s8 weights with one scale per output channel, s32 bias, s8
// output, NHWC, batch 1) on the same shapes, one thread. XNNPACK picks its
// microkernels itself from cpuinfo; there is no switch to hold it to an ISA.
// Built only where libxnnpack-dev is installed (PROM_HAVE_XNNPACK).
//
//===----------------------------------------------------------------------===//

#ifndef PROM_BENCH_XNNPACKBASELINE_H
#define PROM_BENCH_XNNPACKBASELINE_H

#include "PointwiseShape.h"

#include <string>
#include <vector>

namespace prom_bench {

/// Median microseconds per shape and a description of the microkernels
/// XNNPACK chose, as far as it can be told from outside the library.
struct XnnpackTimes {
  std::vector<double> micros;
  std::string implementation;
};

/// Median microseconds per shape, one thread; empty `micros` and the
/// reason in `implementation` when XNNPACK failed.
XnnpackTimes timeXnnpackQc8(const std::vector<PointwiseShape> &shapes);

} // namespace prom_bench

#endif // PROM_BENCH_XNNPACKBASELINE_H
