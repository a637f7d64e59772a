//===- FixedPointTest.cpp - the library's fixed-point rule vs the golden --===//

#include "Golden.h"

#include "Prom/Utils/FixedPoint.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace mlir::prom;

TEST(FixedPoint, MatchesGoldenOnRandomAndEdgeScales) {
  std::vector<double> scales = {
      1.0,
      0.5,
      0.25,
      std::ldexp(1.0, -31),
      std::ldexp(1.0, -32),
      std::ldexp(1.0, -40),
      std::ldexp(1.0, 29),
      std::ldexp(1.0, 30) * 0.99,
      1.0 - std::ldexp(1.0, -33), // rounds up to 2^31: renormalized
      1.0 - std::ldexp(1.0, -31),
      0.75,
      1.0 / 3.0};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 10000; ++i)
    scales.push_back(
        std::ldexp(std::uniform_real_distribution<double>(0.5, 1.0)(rng),
                   int(rng() % 80) - 60));
  for (double scale : scales) {
    std::optional<FixedPointScale> fp = computeFixedPointScale(scale);
    ASSERT_TRUE(fp.has_value()) << scale;
    golden::Fixed want = golden::fixedPoint(scale);
    EXPECT_EQ(fp->multiplier, want.multiplier) << scale;
    EXPECT_EQ(fp->shift, want.shift) << scale;
    EXPECT_GE(fp->shift, 1);
    EXPECT_LE(fp->shift, 62);
    if (fp->shift < 62) {
      EXPECT_GE(fp->multiplier, 1 << 30) << scale;
    }
  }
}

TEST(FixedPoint, RenormalizesAMultiplierThatRoundsTo2Pow31) {
  std::optional<FixedPointScale> fp =
      computeFixedPointScale(1.0 - std::ldexp(1.0, -33));
  ASSERT_TRUE(fp);
  EXPECT_EQ(fp->multiplier, 1 << 30);
  EXPECT_EQ(fp->shift, 30);
}

TEST(FixedPoint, RejectsOutOfRangeScales) {
  EXPECT_FALSE(computeFixedPointScale(0.0));
  EXPECT_FALSE(computeFixedPointScale(-1.0));
  EXPECT_FALSE(computeFixedPointScale(std::ldexp(1.0, 30)));
  EXPECT_FALSE(computeFixedPointScale(std::nan("")));
  EXPECT_FALSE(computeFixedPointScale(INFINITY));
  EXPECT_TRUE(computeFixedPointScale(std::nextafter(std::ldexp(1.0, 30), 0.0)));
}

TEST(FixedPoint, SharedShiftIsTheLargestScales) {
  std::optional<FixedPointScales> fp = computeFixedPointScales({0.75, 0.1875});
  ASSERT_TRUE(fp);
  EXPECT_EQ(fp->shift, 31);
  EXPECT_EQ(fp->multipliers[0], int32_t(0.75 * 2147483648.0));
  EXPECT_EQ(fp->multipliers[1], int32_t(0.1875 * 2147483648.0));
}

TEST(FixedPoint, ApplyRoundsHalfAwayFromZero) {
  // 2^30 * 2^-31 = 0.5: ties.
  EXPECT_EQ(applyFixedPoint(1, 1 << 30, 31), 1);
  EXPECT_EQ(applyFixedPoint(-1, 1 << 30, 31), -1);
  EXPECT_EQ(applyFixedPoint(3, 1 << 30, 31), 2);
  EXPECT_EQ(applyFixedPoint(-3, 1 << 30, 31), -2);
  EXPECT_EQ(applyFixedPoint(-5, 1 << 30, 31), -3);
  EXPECT_EQ(applyFixedPoint(4, 1 << 30, 31), 2);
  // Largest magnitudes stay exact.
  EXPECT_EQ(applyFixedPoint(INT32_MIN, INT32_MAX, 31), -2147483647);
  std::mt19937_64 rng(11);
  for (int i = 0; i < 100000; ++i) {
    int64_t p = int32_t(rng());
    int32_t m = int32_t(rng() >> 33) | (1 << 30);
    int32_t s = int32_t(rng() % 62) + 1;
    EXPECT_EQ(applyFixedPoint(p, m, s), golden::apply(p, {m, s}))
        << p << " " << m << " " << s;
  }
}
