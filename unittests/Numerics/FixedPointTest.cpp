//===- FixedPointTest.cpp - the library's fixed-point rule vs the golden --===//

#include "Golden.h"

#include "Prom/Utils/FixedPoint.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>
#include <vector>

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

/// docs/numerics.md, "Applying a fixed-point scale in 32 bits": the identity
/// the vector kernels' i32 requantization rests on (the kernels themselves
/// are held to the reference by the differential tests).
static int64_t applyHighWord(int32_t p, int32_t m, int32_t s) {
  uint32_t a = p < 0 ? 0u - uint32_t(p) : uint32_t(p);
  uint32_t h = uint32_t((uint64_t(a) * uint32_t(m)) >> 32);
  uint32_t r = (h + (uint32_t(1) << (s - 33))) >> (s - 32);
  return p < 0 ? -int64_t(r) : int64_t(r);
}

TEST(FixedPoint, HighWordFormEqualsApplyForShiftsFrom33) {
  std::mt19937_64 rng(12);
  std::vector<int32_t> edges = {0, 1, -1, INT32_MAX, INT32_MIN, INT32_MIN + 1};
  for (int32_t s = 33; s <= 62; ++s) {
    for (int i = 0; i < 20000; ++i) {
      int32_t m =
          i % 3 == 0 ? int32_t(rng() >> 33) | (1 << 30) : int32_t(rng() >> 33);
      int32_t p = i < int(edges.size()) ? edges[i] : int32_t(rng());
      if (i % 4 == 1 && m != 0) {
        // A tie: p * m = (2k + 1) * 2^(s - 1) where that has an integer p.
        int64_t odd = int64_t(rng() % 1024) * 2 + 1;
        __int128 target = __int128(odd) << (s - 1);
        if (target % m == 0 && target / m <= INT32_MAX)
          p = int32_t(target / m) * (rng() % 2 ? 1 : -1);
      }
      ASSERT_EQ(applyHighWord(p, m, s), applyFixedPoint(p, m, s))
          << p << " " << m << " " << s;
    }
  }
  // Ties at the smallest shift: p * 2^30 / 2^33 = p / 8, p = 8k + 4.
  for (int32_t p : {4, -4, 12, -12, 20, -20, 8 * 1000 + 4})
    EXPECT_EQ(applyHighWord(p, 1 << 30, 33), applyFixedPoint(p, 1 << 30, 33))
        << p;
  EXPECT_EQ(applyHighWord(20, 1 << 30, 33), 3);
  EXPECT_EQ(applyHighWord(-20, 1 << 30, 33), -3);
}

TEST(FixedPoint, HalfUpEqualsApplyBelowTheSmallestTie) {
  std::mt19937_64 rng(13);
  for (int32_t s = 33; s <= 62; ++s) {
    for (int i = 0; i < 4000; ++i) {
      // Multipliers with 0 to 30 trailing zeros, so the smallest tie moves.
      int32_t m = int32_t((rng() >> 34) | (1 << 30)) & ~((1 << (i % 31)) - 1);
      int64_t tie = smallestTie(m, s);
      int64_t limit = std::min<int64_t>(tie - 1, INT32_MAX);
      int32_t p = i % 2 ? int32_t(rng() % uint64_t(limit + 1))
                        : int32_t(limit - int64_t(rng() % 64));
      if (p < 0)
        p = 0;
      for (int32_t v : {p, -p})
        ASSERT_EQ(applyHighWordHalfUp(v, m, s), applyFixedPoint(v, m, s))
            << v << " " << m << " " << s;
      // At the tie itself the two differ for a negative value only.
      if (tie <= INT32_MAX) {
        int32_t t = int32_t(tie);
        EXPECT_EQ(applyHighWordHalfUp(t, m, s), applyFixedPoint(t, m, s));
        EXPECT_EQ(applyHighWordHalfUp(-t, m, s), applyFixedPoint(-t, m, s) + 1)
            << m << " " << s;
      }
    }
  }
  EXPECT_EQ(smallestTie(1 << 30, 33), 4);
  EXPECT_EQ(smallestTie(0, 40), INT64_MAX);
  EXPECT_EQ(smallestTie(3, 62), int64_t(1) << 61); // beyond any i32 value
  EXPECT_EQ(smallestTie(1 << 30, 20), INT64_MAX);  // 2^-11: never a tie
}

/// clamp(value) of the narrow form, in the i32 steps the kernels take;
/// nullopt when a step would leave i32.
static std::optional<int64_t> applyNarrow(int64_t v, const NarrowFixedPoint &n,
                                          int32_t lo, int32_t hi) {
  int64_t product = v * n.multiplier, sum = product + n.addend;
  for (int64_t x : {product, sum})
    if (x < INT32_MIN || x > INT32_MAX)
      return std::nullopt;
  return std::clamp<int64_t>(sum >> n.shift, lo, hi);
}

TEST(FixedPoint, NarrowFormEqualsApplyOverItsRange) {
  std::mt19937_64 rng(21);
  std::uniform_real_distribution<double> logScale(std::log(1e-4),
                                                  std::log(0.2));
  int found = 0, cases = 300;
  for (int i = 0; i < cases; ++i) {
    std::optional<FixedPointScale> fp =
        computeFixedPointScale(std::exp(logScale(rng)));
    ASSERT_TRUE(fp);
    // Ranges like a ternary 1x1 convolution's: 255 * (sum of |w|) wide,
    // offset by a bias.
    int64_t width = 255 * int64_t(1 + rng() % 48);
    int64_t lo = int64_t(rng() % 40001) - 20000 - width / 2;
    int32_t zp = int32_t(rng() % 256) - 128;
    std::optional<NarrowFixedPoint> n = findNarrowFixedPoint(
        fp->multiplier, fp->shift, lo, lo + width, zp, -128, 127);
    if (!n)
      continue;
    ++found;
    for (int64_t v = lo; v <= lo + width; ++v) {
      int64_t expected = std::clamp<int64_t>(
          applyFixedPoint(v, fp->multiplier, fp->shift) + zp, -128, 127);
      ASSERT_EQ(applyNarrow(v, *n, -128, 127), expected)
          << v << " m " << fp->multiplier << " s " << fp->shift;
    }
  }
  // The search is only worth having if it usually succeeds on such ranges.
  EXPECT_GT(found, cases * 9 / 10) << found << " of " << cases;
}

TEST(FixedPoint, NarrowSearchWindowEndsWhereTheReferenceClamps) {
  // An int8 16->96 channel (scale 0.005, zero point 2): accumulators over
  // 2^19 values, of which about 51,000 map inside [-128, 127] (round(v /
  // 200) + 2 is -128 up to v = -25,900 and 127 from v = 24,900).
  std::optional<FixedPointScale> fp = computeFixedPointScale(0.005);
  ASSERT_TRUE(fp);
  auto reference = [&](int64_t v, int32_t clampLo, int32_t clampHi) {
    return std::clamp<int64_t>(
        applyFixedPoint(v, fp->multiplier, fp->shift) + 2, clampLo, clampHi);
  };
  int64_t lo = -262144, hi = 262143;
  auto [first, last] =
      narrowSearchWindow(fp->multiplier, fp->shift, lo, hi, 2, -128, 127);
  EXPECT_EQ(first, -25900);
  EXPECT_EQ(last, 24900);
  EXPECT_EQ(reference(first, -128, 127), -128);
  EXPECT_GT(reference(first + 1, -128, 127), -128);
  EXPECT_EQ(reference(last, -128, 127), 127);
  EXPECT_LT(reference(last - 1, -128, 127), 127);
  // A ReLU6-like clamp narrows it further.
  auto relu = narrowSearchWindow(fp->multiplier, fp->shift, lo, hi, 2, 2, 62);
  EXPECT_EQ(reference(relu.first, 2, 62), 2);
  EXPECT_GT(reference(relu.first + 1, 2, 62), 2);
  EXPECT_EQ(reference(relu.second, 2, 62), 62);
  EXPECT_LT(reference(relu.second - 1, 2, 62), 62);
  // A range clamped wholly on one side is one value wide; without a clamp
  // to stop at, the window is the range.
  EXPECT_EQ(narrowSearchWindow(fp->multiplier, fp->shift, -90000, -60000, 2,
                               -128, 127),
            std::make_pair(int64_t(-60000), int64_t(-60000)));
  EXPECT_EQ(narrowSearchWindow(fp->multiplier, fp->shift, 60000, 90000, 2,
                               -128, 127),
            std::make_pair(int64_t(60000), int64_t(60000)));
  EXPECT_EQ(narrowSearchWindow(fp->multiplier, fp->shift, lo, hi, 2,
                               INT32_MIN, INT32_MAX),
            std::make_pair(lo, hi));
}

TEST(FixedPoint, NarrowFormHoldsBeyondItsWindow) {
  // Ranges like an int8 1x1 convolution's (255 * 127 * up to 24 input
  // channels wide), wider than any search window used to be: where a form
  // is found, it must equal the reference on every value of the range,
  // clamped ones included.
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> logScale(std::log(1e-3),
                                                  std::log(0.02));
  int found = 0;
  for (int i = 0; i < 40; ++i) {
    // Every fourth scale a short dyadic fraction, which a coarse slope
    // follows exactly where the window has no negative ties (they round
    // down, positive ones up: one line does both only over short ranges).
    bool dyadic = i % 4 == 0;
    double scale =
        dyadic ? double(1 + rng() % 15) / 2048 : std::exp(logScale(rng));
    std::optional<FixedPointScale> fp = computeFixedPointScale(scale);
    ASSERT_TRUE(fp);
    int64_t width = 255 * 127 * int64_t(4 + rng() % 21);
    int64_t lo = int64_t(rng() % 20001) - 10000 - width / 2, hi = lo + width;
    int32_t zp = int32_t(rng() % 256) - 128;
    int32_t clampLo = i % 8 < 4 ? zp : -128, clampHi = 127; // ReLU or not
    auto [first, last] = narrowSearchWindow(fp->multiplier, fp->shift, lo, hi,
                                            zp, clampLo, clampHi);
    std::optional<NarrowFixedPoint> n =
        findNarrowFixedPoint(fp->multiplier, fp->shift, lo, hi, zp, clampLo,
                             clampHi, std::max(-lo, hi));
    if (dyadic && clampLo == zp)
      EXPECT_TRUE(n) << "scale " << scale << " window " << first << ".."
                     << last;
    if (!n)
      continue;
    ++found;
    for (int64_t v = lo; v <= hi; ++v)
      ASSERT_EQ(applyNarrow(v, *n, clampLo, clampHi),
                std::clamp<int64_t>(
                    applyFixedPoint(v, fp->multiplier, fp->shift) + zp,
                    clampLo, clampHi))
          << v << " scale " << scale;
  }
  // The five dyadic ReLU cases at least; other scales rarely take the form
  // over int8 ranges (one i32 multiply is too coarse a slope for windows of
  // tens of thousands of values: 3 of the 35 others here).
  EXPECT_GE(found, 5);
}

TEST(FixedPoint, NarrowFormReachesValuesBeyondItsRange) {
  // A ternary 144->24 channel (scale 0.005): accumulators in [-11255,
  // 11185] that start at 1750, so the kernel multiplies acc - 1750, down
  // to -13005. The most precise multiplier for the range alone overflows
  // there; with the reach, the form still holds over the range and every
  // product the kernel takes stays in i32.
  std::optional<FixedPointScale> fp = computeFixedPointScale(0.005);
  ASSERT_TRUE(fp);
  int64_t lo = -11255, hi = 11185, reach = 13005;
  std::optional<NarrowFixedPoint> alone =
      findNarrowFixedPoint(fp->multiplier, fp->shift, lo, hi, 2, -128, 127);
  ASSERT_TRUE(alone);
  EXPECT_GT(reach * alone->multiplier, int64_t(INT32_MAX));
  std::optional<NarrowFixedPoint> n = findNarrowFixedPoint(
      fp->multiplier, fp->shift, lo, hi, 2, -128, 127, reach);
  ASSERT_TRUE(n);
  EXPECT_LE(reach * n->multiplier, int64_t(INT32_MAX));
  for (int64_t v = lo; v <= hi; ++v)
    ASSERT_EQ(applyNarrow(v, *n, -128, 127),
              std::clamp<int64_t>(
                  applyFixedPoint(v, fp->multiplier, fp->shift) + 2, -128, 127))
        << v;
  // A reach of 2^31 or more leaves no multiplier.
  EXPECT_FALSE(findNarrowFixedPoint(fp->multiplier, fp->shift, lo, hi, 2, -128,
                                    127, int64_t(1) << 31));
}

TEST(FixedPoint, NarrowFormKeepsItsMultiplierUnderACap) {
  // The same 144->24 channel for a kernel that multiplies in i16 (vpmaddwd):
  // the most precise multiplier is above 32767, a coarser one below still
  // matches the reference; a cap no multiplier can meet leaves none.
  std::optional<FixedPointScale> fp = computeFixedPointScale(0.005);
  ASSERT_TRUE(fp);
  int64_t lo = -11255, hi = 11185, reach = 13005;
  std::optional<NarrowFixedPoint> uncapped = findNarrowFixedPoint(
      fp->multiplier, fp->shift, lo, hi, 2, -128, 127, reach);
  ASSERT_TRUE(uncapped);
  EXPECT_GT(uncapped->multiplier, INT16_MAX);
  std::optional<NarrowFixedPoint> n = findNarrowFixedPoint(
      fp->multiplier, fp->shift, lo, hi, 2, -128, 127, reach, INT16_MAX);
  ASSERT_TRUE(n);
  EXPECT_LE(n->multiplier, INT16_MAX);
  for (int64_t v = lo; v <= hi; ++v)
    ASSERT_EQ(applyNarrow(v, *n, -128, 127),
              std::clamp<int64_t>(
                  applyFixedPoint(v, fp->multiplier, fp->shift) + 2, -128, 127))
        << v;
  EXPECT_FALSE(findNarrowFixedPoint(fp->multiplier, fp->shift, lo, hi, 2, -128,
                                    127, reach, 1));
}

TEST(FixedPoint, NarrowFormMatchesTiesAndRefusesWhatNoLineMatches) {
  // Scale 1/8 rounds every v = 4 (mod 8) away from zero, up for v > 0 and
  // down for v < 0: a slope a little above 1/8 does the same over a range.
  int32_t m = 1 << 30, s = 33;
  for (int32_t clampLo : {-128, 0}) {
    std::optional<NarrowFixedPoint> n =
        findNarrowFixedPoint(m, s, -1000, 1000, 3, clampLo, 127);
    ASSERT_TRUE(n);
    for (int64_t v = -1000; v <= 1000; ++v)
      EXPECT_EQ(applyNarrow(v, *n, clampLo, 127),
                std::clamp<int64_t>(applyFixedPoint(v, m, s) + 3, clampLo, 127))
          << v;
  }
  // Near 2^30 the multiplier must stay 0 or 1, too coarse for a scale
  // of 0.3 over a thousand values.
  std::optional<FixedPointScale> fp = computeFixedPointScale(0.3);
  ASSERT_TRUE(fp);
  EXPECT_FALSE(findNarrowFixedPoint(fp->multiplier, fp->shift, (1 << 30) - 1000,
                                    1 << 30, 0, INT32_MIN, INT32_MAX));
  // Without a clamp the window is the whole range: searched up to
  // kMaxNarrowSteps values of the reference (v / 8 rounded: 0 to 4095 over
  // [0, 32760]), not past them.
  EXPECT_TRUE(findNarrowFixedPoint(m, s, 0, 8 * (kMaxNarrowSteps - 1), 0,
                                   INT32_MIN, INT32_MAX));
  EXPECT_FALSE(findNarrowFixedPoint(m, s, 0, 8 * kMaxNarrowSteps, 0,
                                    INT32_MIN, INT32_MAX));
}
