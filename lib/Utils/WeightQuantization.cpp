//===- WeightQuantization.cpp - float weights to int8 or ternary ----------===//

#include "Prom/Utils/WeightQuantization.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::prom;

QuantizedWeights mlir::prom::quantizeWeightsInt8(
    llvm::ArrayRef<float> weights, int64_t numChannels,
    llvm::function_ref<int64_t(int64_t)> channelOf) {
  llvm::SmallVector<double> maxAbs(numChannels, 0.0);
  for (auto [i, w] : llvm::enumerate(weights)) {
    double &m = maxAbs[channelOf(i)];
    m = std::max(m, std::fabs(double(w)));
  }
  QuantizedWeights q;
  for (double m : maxAbs)
    q.scales.push_back(m > 0 ? float(m / 127.0) : 1.0f);
  for (auto [i, w] : llvm::enumerate(weights)) {
    double v = std::round(double(w) / double(q.scales[channelOf(i)]));
    q.values.push_back(int8_t(std::clamp(v, -127.0, 127.0)));
  }
  return q;
}

QuantizedWeights
mlir::prom::ternarizeWeights(llvm::ArrayRef<float> weights, int64_t numChannels,
                             llvm::function_ref<int64_t(int64_t)> channelOf) {
  llvm::SmallVector<double> sumAbs(numChannels, 0.0);
  llvm::SmallVector<int64_t> count(numChannels, 0);
  for (auto [i, w] : llvm::enumerate(weights)) {
    sumAbs[channelOf(i)] += std::fabs(double(w));
    ++count[channelOf(i)];
  }
  llvm::SmallVector<double> delta(numChannels), keptSum(numChannels, 0.0);
  llvm::SmallVector<int64_t> kept(numChannels, 0);
  for (int64_t c = 0; c < numChannels; ++c)
    delta[c] = count[c] ? kTernaryThresholdRatio * sumAbs[c] / count[c] : 0;

  QuantizedWeights q;
  for (auto [i, w] : llvm::enumerate(weights)) {
    int64_t c = channelOf(i);
    double a = std::fabs(double(w));
    if (a > delta[c]) {
      keptSum[c] += a;
      ++kept[c];
      q.values.push_back(w > 0 ? 1 : -1);
    } else {
      q.values.push_back(0);
    }
  }
  for (int64_t c = 0; c < numChannels; ++c)
    q.scales.push_back(kept[c] ? float(keptSum[c] / kept[c]) : 1.0f);
  return q;
}

llvm::SmallVector<float>
mlir::prom::dequantizeWeights(const QuantizedWeights &q,
                              llvm::function_ref<int64_t(int64_t)> channelOf) {
  llvm::SmallVector<float> result;
  for (auto [i, v] : llvm::enumerate(q.values))
    result.push_back(float(v) * q.scales[channelOf(i)]);
  return result;
}
