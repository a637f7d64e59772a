//===- WeightQuantizationTest.cpp - int8 and TWN ternary weights ----------===//

#include "Prom/Utils/WeightQuantization.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace mlir::prom;

namespace {

TEST(WeightQuantization, Int8MapsEachChannelMaximumTo127) {
  // Two channels of three weights, interleaved (channel = i % 2).
  std::vector<float> w = {0.4f, -0.02f, -1.0f, 0.005f, 0.25f, 0.0f};
  QuantizedWeights q =
      quantizeWeightsInt8(w, 2, [](int64_t i) { return i % 2; });
  ASSERT_EQ(q.scales.size(), 2u);
  EXPECT_FLOAT_EQ(q.scales[0], 1.0f / 127);
  EXPECT_FLOAT_EQ(q.scales[1], 0.02f / 127);
  EXPECT_EQ(std::vector<int>(q.values.begin(), q.values.end()),
            (std::vector<int>{51, -127, -127, 32, 32, 0}));
}

TEST(WeightQuantization, ZeroChannelGetsScaleOne) {
  std::vector<float> w = {0.0f, 0.0f};
  for (auto q : {quantizeWeightsInt8(w, 1, [](int64_t) { return 0; }),
                 ternarizeWeights(w, 1, [](int64_t) { return 0; })}) {
    EXPECT_EQ(q.scales[0], 1.0f);
    EXPECT_EQ(q.values[0], 0);
    EXPECT_EQ(q.values[1], 0);
  }
}

// TWN on random channels: values in {-1, 0, 1}, the sign of every kept
// weight, |w| > 0.7 * mean|w| exactly where kept, and the scale the mean
// magnitude of the kept weights.
TEST(WeightQuantization, TernaryFollowsTWN) {
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const int64_t channels = 16, perChannel = 37;
  std::vector<float> w(channels * perChannel);
  for (float &v : w)
    v = normal(rng) * 0.1f;
  auto channelOf = [&](int64_t i) { return i / perChannel; };
  QuantizedWeights q = ternarizeWeights(w, channels, channelOf);
  for (int64_t c = 0; c < channels; ++c) {
    double meanAbs = 0, keptSum = 0;
    int kept = 0;
    for (int64_t i = c * perChannel; i < (c + 1) * perChannel; ++i)
      meanAbs += std::fabs(w[i]) / perChannel;
    for (int64_t i = c * perChannel; i < (c + 1) * perChannel; ++i) {
      bool keep = std::fabs(w[i]) > 0.7 * meanAbs;
      ASSERT_EQ(q.values[i], keep ? (w[i] > 0 ? 1 : -1) : 0) << "weight " << i;
      if (keep) {
        keptSum += std::fabs(w[i]);
        ++kept;
      }
    }
    ASSERT_GT(kept, 0);
    EXPECT_NEAR(q.scales[c], keptSum / kept, 1e-6);
  }
}

} // namespace
