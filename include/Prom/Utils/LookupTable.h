//===- LookupTable.h - int8 tables of real functions ------------*- C++ -*-===//
//
// The 256 entries of a `prom.table` for a real function, given the input
// and output quantization (docs/numerics.md, section 7), and the
// nonlinearities MobileNetV3 needs.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_UTILS_LOOKUPTABLE_H
#define PROM_UTILS_LOOKUPTABLE_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <array>
#include <cstdint>

namespace mlir {
namespace prom {

/// table[q + 128] = clamp(round_half_away(fn((q - inZp) * inScale) /
/// outScale) + outZp, -128, 127), evaluated in f64.
std::array<int8_t, 256>
computeLookupTable(llvm::function_ref<double(double)> fn, float inScale,
                   int32_t inZp, float outScale, int32_t outZp);

/// ONNX HardSigmoid: max(0, min(1, alpha * x + beta)); PyTorch's
/// hardsigmoid is alpha = 1/6, beta = 1/2.
double hardSigmoid(double x, double alpha = 1.0 / 6.0, double beta = 0.5);
/// x * hardSigmoid(x) with alpha = 1/6, beta = 1/2 (ONNX HardSwish).
double hardSwish(double x);
double sigmoid(double x);

} // namespace prom
} // namespace mlir

#endif // PROM_UTILS_LOOKUPTABLE_H
