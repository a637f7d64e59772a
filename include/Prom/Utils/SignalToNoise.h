//===- SignalToNoise.h - SQNR of an approximation -----------------*- C++
//-*-===//
//
// How prom measures quantization quality everywhere (calibration report,
// ternary sensitivity, the budget policy's data-free measure):
// 10 log10(sum f^2 / sum (f - q)^2) over every value added.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_UTILS_SIGNALTONOISE_H
#define PROM_UTILS_SIGNALTONOISE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

namespace mlir {
namespace prom {

struct SignalToNoise {
  double signal = 0, noise = 0;

  /// Adds `reference` values and their `approximation`s, element by element.
  void add(llvm::ArrayRef<float> reference,
           llvm::ArrayRef<float> approximation) {
    for (auto [f, q] : llvm::zip(reference, approximation)) {
      signal += double(f) * double(f);
      noise += (double(f) - double(q)) * (double(f) - double(q));
    }
  }

  bool exact() const { return noise == 0; }
  /// The SQNR in dB; +infinity when exact.
  double decibels() const {
    return exact() ? INFINITY : 10 * std::log10(signal / noise);
  }
};

} // namespace prom
} // namespace mlir

#endif // PROM_UTILS_SIGNALTONOISE_H
