//===- RegisterPeaks.h - this CPU's register-resident peaks -----*- C++ -*-===//
//
// The "share of the ternary peak" needs the peak of the machine the
// bench runs on, and ../shared/KERNELS.md has Zen 4's only; a VM does not
// tell its clock either. So the bench measures both in the same run: the
// clock from a chain of dependent adds (one cycle each), and each scheme's
// multiply-accumulates per second in a loop whose operands never leave the
// registers (no loads or stores: the kernels' ceiling, as KERNELS.md
// defines it).
//
//===----------------------------------------------------------------------===//

#ifndef PROM_BENCH_REGISTERPEAKS_H
#define PROM_BENCH_REGISTERPEAKS_H

#include <optional>

namespace prom_bench {

struct RegisterPeaks {
  /// Cycles per nanosecond, from dependent scalar adds.
  double ghz = 0;
  /// Multiply-accumulates per nanosecond (8-bit MACs, or for ternary the
  /// adds and subtracts that replace them).
  /// vpmaddubsw by weights in {-1, 0, 1}, then vpaddw into s16: 2 uops per
  /// 32 MACs.
  double ternaryAvx2 = 0;
  /// vpmaddubsw, vpmaddwd by ones, vpaddd: 3 uops per 32 MACs (oneDNN's
  /// form; exact only where no weight pair can saturate vpmaddubsw).
  double int8Avx2 = 0;
  /// vpmaddwd on u16 x s16 pairs, vpaddd: 4 uops per 32 MACs, exact for
  /// any int8 weights (prom's form for them).
  double int8Avx2Exact = 0;
  /// vpdpbusd on zmm: 1 uop per 64 MACs; none without AVX-512 VNNI.
  std::optional<double> int8Vnni;
};

/// Measures the peaks above (about 0.2 s); `vnni` says whether the host can
/// run vpdpbusd on zmm. x86-64 only.
RegisterPeaks measureRegisterPeaks(bool vnni);

} // namespace prom_bench

#endif // PROM_BENCH_REGISTERPEAKS_H
