//===- WeightQuantization.h - float weights to int8 or ternary --*- C++ -*-===//
//
// How prom-quantize turns a layer's float weights into integers, one scale
// per output channel (docs/quantization.md explains the choices):
//   int8:    scale = max|w| / 127, q = round_half_away(w / scale), |q| <= 127;
//   ternary: TWN (Li et al., 2016): delta = 0.7 * mean|w|, q = sign(w) where
//            |w| > delta and 0 elsewhere, scale = mean |w| over kept weights.
// A channel of zeros gets scale 1 and all-zero q.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_UTILS_WEIGHTQUANTIZATION_H
#define PROM_UTILS_WEIGHTQUANTIZATION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace mlir {
namespace prom {

struct QuantizedWeights {
  llvm::SmallVector<int8_t> values; // same order as the float weights
  llvm::SmallVector<float> scales;  // one per output channel
};

/// `channelOf(i)` is the output channel of weight `i`, in [0, numChannels).
QuantizedWeights
quantizeWeightsInt8(llvm::ArrayRef<float> weights, int64_t numChannels,
                    llvm::function_ref<int64_t(int64_t)> channelOf);

QuantizedWeights
ternarizeWeights(llvm::ArrayRef<float> weights, int64_t numChannels,
                 llvm::function_ref<int64_t(int64_t)> channelOf);

/// The real weights `q` stands for: values[i] * scales[channelOf(i)].
llvm::SmallVector<float>
dequantizeWeights(const QuantizedWeights &q,
                  llvm::function_ref<int64_t(int64_t)> channelOf);

/// TWN's threshold as a fraction of mean|w|.
inline constexpr double kTernaryThresholdRatio = 0.7;

} // namespace prom
} // namespace mlir

#endif // PROM_UTILS_WEIGHTQUANTIZATION_H
