//===- OneDnnBaseline.h - oneDNN int8 1x1 convolutions, timed ---*- C++ -*-===//
//
// The library baseline of prom-bench-pointwise: oneDNN's int8 convolution
// (u8 activations, s8 weights, s32 bias, per-channel output scales, u8
// output, NHWC, one thread) on the same shapes, in this process with the
// CPU's own ISA and in a forked child held to AVX2
// (dnnl::set_max_cpu_isa, which works only before oneDNN's first use).
// Built only where libdnnl-dev is installed (PROM_HAVE_DNNL).
//
//===----------------------------------------------------------------------===//

#ifndef PROM_BENCH_ONEDNNBASELINE_H
#define PROM_BENCH_ONEDNNBASELINE_H

#include "PointwiseShape.h"

#include <string>
#include <vector>

namespace prom_bench {

/// Median microseconds per shape and the implementation oneDNN chose for
/// the first one (its name says the ISA, e.g. "brg:avx512_core_vnni").
struct OneDnnTimes {
  std::vector<double> micros;
  std::string implementation;
};

/// oneDNN with the CPU's own ISA, or held to AVX2 in a child process
/// (`avx2Only`; must be called before the first native use). Empty
/// `micros` when oneDNN failed (the reason is in `implementation`).
OneDnnTimes timeOneDnnInt8(const std::vector<PointwiseShape> &shapes,
                           bool avx2Only);

/// "major.minor.patch" of the oneDNN this benchmark was built with.
std::string oneDnnVersion();

} // namespace prom_bench

#endif // PROM_BENCH_ONEDNNBASELINE_H
