//===- FixedPoint.cpp - real scales as integer multiplier and shift -------===//

#include "Prom/Utils/FixedPoint.h"

#include "llvm/ADT/bit.h"

#include <algorithm>
#include <cmath>
#include <vector>

using namespace mlir;
using namespace mlir::prom;

static constexpr int32_t kMaxShift = 62;

std::optional<FixedPointScales>
mlir::prom::computeFixedPointScales(llvm::ArrayRef<double> scales) {
  if (scales.empty())
    return std::nullopt;
  double largest = 0.0;
  for (double scale : scales) {
    if (!std::isfinite(scale) || scale <= 0.0)
      return std::nullopt;
    largest = std::max(largest, scale);
  }
  if (largest >= kMaxFixedPointScale)
    return std::nullopt;

  int exponent;
  double fraction = std::frexp(largest, &exponent);
  // fraction * 2^31 is exact in a double; llround rounds half away from 0.
  if (std::llround(std::ldexp(fraction, 31)) == (int64_t(1) << 31))
    ++exponent;
  int32_t shift = std::min(31 - exponent, kMaxShift);

  FixedPointScales result;
  result.shift = shift;
  for (double scale : scales)
    result.multipliers.push_back(
        static_cast<int32_t>(std::llround(std::ldexp(scale, shift))));
  return result;
}

std::optional<FixedPointScale>
mlir::prom::computeFixedPointScale(double scale) {
  std::optional<FixedPointScales> scales = computeFixedPointScales(scale);
  if (!scales)
    return std::nullopt;
  return FixedPointScale{scales->multipliers.front(), scales->shift};
}

/// round_half_away(q / 2^shift), 1 <= shift <= 62.
static int64_t roundingShiftRight(int64_t q, int32_t shift) {
  return (q + (int64_t(1) << (shift - 1)) - (q < 0 ? 1 : 0)) >> shift;
}

/// The middle of the addends [minC, maxC] that a narrow form allows (an
/// open end: the other one; both open: 0).
static int64_t middleAddend(int64_t minC, int64_t maxC) {
  return minC == INT64_MIN   ? (maxC == INT64_MAX ? 0 : maxC)
         : maxC == INT64_MAX ? minC
                             : minC + (maxC - minC) / 2;
}

int64_t mlir::prom::applyFixedPoint(int64_t value, int32_t multiplier,
                                    int32_t shift) {
  return roundingShiftRight(value * multiplier, shift);
}

int64_t mlir::prom::smallestTie(int32_t multiplier, int32_t shift) {
  if (multiplier == 0)
    return INT64_MAX;
  int32_t exponent = shift - 1 - llvm::countr_zero(uint32_t(multiplier));
  // A negative exponent: p * m' would be a non-integer, never.
  if (exponent < 0 || exponent > 62)
    return INT64_MAX;
  return int64_t(1) << exponent;
}

int32_t mlir::prom::applyHighWordHalfUp(int32_t value, int32_t multiplier,
                                        int32_t shift) {
  int64_t product = int64_t(value) * multiplier;
  int32_t high = int32_t(product >> 32); // floor(product / 2^32)
  return (high + (int32_t(1) << (shift - 33))) >> (shift - 32);
}

/// The last v in [a, b] with applyFixedPoint(v, multiplier, shift) +
/// zeroPoint <= bound, given that a is one (the reference is monotone in v
/// for multiplier >= 0): by bisection.
static int64_t lastReferenceAtMost(int32_t multiplier, int32_t shift,
                                   int32_t zeroPoint, int64_t a, int64_t b,
                                   int64_t bound) {
  while (a < b) {
    int64_t mid = a + (b - a + 1) / 2;
    if (applyFixedPoint(mid, multiplier, shift) + zeroPoint <= bound)
      a = mid;
    else
      b = mid - 1;
  }
  return a;
}

std::pair<int64_t, int64_t>
mlir::prom::narrowSearchWindow(int32_t multiplier, int32_t shift, int64_t lo,
                               int64_t hi, int32_t zeroPoint, int32_t clampLo,
                               int32_t clampHi) {
  constexpr int64_t kI32 = int64_t(1) << 31;
  if (multiplier <= 0 || clampLo >= clampHi || lo > hi ||
      std::max(std::abs(lo), std::abs(hi)) >= kI32)
    return {lo, hi};
  auto g = [&](int64_t v) {
    return applyFixedPoint(v, multiplier, shift) + zeroPoint;
  };
  auto lastAtMost = [&](int64_t bound) {
    return lastReferenceAtMost(multiplier, shift, zeroPoint, lo, hi, bound);
  };
  int64_t first = g(lo) <= clampLo ? lastAtMost(clampLo) : lo;
  int64_t last = g(hi) < clampHi ? hi
                 : g(lo) >= clampHi
                     ? lo
                     : lastAtMost(clampHi - 1) + 1; // the first at clampHi
  return {first, std::max(first, last)};
}

namespace {
/// One value of the reference and the accumulators [first, last] that it
/// takes there.
struct ReferenceStep {
  int64_t value, first, last;
};
} // namespace

/// The reference's steps over [first, last] (multiplier >= 0); nullopt
/// past kMaxNarrowSteps of them.
static std::optional<llvm::SmallVector<ReferenceStep>>
referenceSteps(int32_t multiplier, int32_t shift, int32_t zeroPoint,
               int64_t first, int64_t last) {
  llvm::SmallVector<ReferenceStep> steps;
  for (int64_t v = first; v <= last;) {
    if (int64_t(steps.size()) == kMaxNarrowSteps)
      return std::nullopt;
    int64_t value = applyFixedPoint(v, multiplier, shift) + zeroPoint;
    int64_t end =
        lastReferenceAtMost(multiplier, shift, zeroPoint, v, last, value);
    steps.push_back({value, v, end});
    v = end + 1;
  }
  return steps;
}

std::optional<NarrowFixedPoint>
mlir::prom::findNarrowFixedPoint(int32_t multiplier, int32_t shift, int64_t lo,
                                 int64_t hi, int32_t zeroPoint, int32_t clampLo,
                                 int32_t clampHi, int64_t reach,
                                 int32_t maxMultiplier) {
  int64_t largest = std::max({std::abs(lo), std::abs(hi), std::abs(reach)});
  if (lo > hi || clampLo > clampHi || largest >= (int64_t(1) << 31))
    return std::nullopt;
  if (multiplier < 0)
    return std::nullopt; // not monotone non-decreasing
  // Only the window's values bound c: beyond it the reference clamps, and
  // so does the (monotone) narrow form once it does at the window's ends.
  auto [first, last] = narrowSearchWindow(multiplier, shift, lo, hi, zeroPoint,
                                          clampLo, clampHi);
  std::optional<llvm::SmallVector<ReferenceStep>> steps =
      referenceSteps(multiplier, shift, zeroPoint, first, last);
  if (!steps)
    return std::nullopt;
  // The reference over the whole range (monotone: its ends bound it) in
  // i32.
  int64_t largestValue = 0;
  for (int64_t v : {lo, hi}) {
    int64_t g = applyFixedPoint(v, multiplier, shift) + zeroPoint;
    if (g < INT32_MIN || g > INT32_MAX)
      return std::nullopt;
    largestValue = std::max(largestValue, std::abs(g));
  }
  constexpr int64_t kI32 = int64_t(1) << 31;
  double real = std::ldexp(double(multiplier), -shift);
  int tried = 0;
  for (int32_t t = 30; t >= 1 && tried < 3; --t) {
    double scaled = std::ldexp(real, t);
    // v * m' + c is about g(v) * 2^t: both must stay in i32.
    if ((scaled + 2) * double(largest) >= double(kI32) ||
        (largestValue + 2) << t >= kI32 || scaled + 2 > double(maxMultiplier))
      continue;
    ++tried;
    int64_t unit = int64_t(1) << t; // multiplied: g may be negative
    int64_t base = int64_t(std::floor(scaled));
    for (int64_t m : {base, base + 1, base - 1, base + 2}) {
      if (m < 0)
        continue;
      // c in [minC, maxC] satisfies every v: (v * m + c) >> t must be the
      // reference's g, or beyond the clamp where the reference clamps. Over
      // a step, v * m grows with v, so its first v bounds c from below and
      // its last from above.
      int64_t minC = INT64_MIN, maxC = INT64_MAX;
      for (const ReferenceStep &step : *steps) {
        int64_t g = step.value;
        if (g > clampLo) // v * m + c >= min(g, clampHi) * 2^t
          minC = std::max(minC, std::min<int64_t>(g, clampHi) * unit -
                                    step.first * m);
        if (g < clampHi) // v * m + c < (max(g, clampLo) + 1) * 2^t
          maxC = std::min(maxC, (std::max<int64_t>(g, clampLo) + 1) * unit -
                                    step.last * m - 1);
        if (minC > maxC)
          break;
      }
      if (minC > maxC)
        continue;
      int64_t c = middleAddend(minC, maxC);
      // Every product and sum in i32 (both are monotone in v).
      auto fits = [&](int64_t x) { return x >= -kI32 && x < kI32; };
      if (fits(c) && fits(lo * m) && fits(hi * m) && fits(lo * m + c) &&
          fits(hi * m + c) && fits(largest * m) && fits(-largest * m))
        return NarrowFixedPoint{int32_t(m), int32_t(c), t};
    }
  }
  return std::nullopt;
}

std::optional<NarrowAddForm> mlir::prom::findNarrowAddForm(
    int32_t lhsMultiplier, int32_t rhsMultiplier, int32_t shift, int32_t lhsZp,
    int32_t rhsZp, int32_t outputZp, int32_t clampLo, int32_t clampHi) {
  if (shift < 1 || shift > 62 || clampLo > clampHi)
    return std::nullopt;
  // The reference on every pair, [a + 128][b + 128].
  std::vector<int32_t> want(256 * 256);
  for (int64_t a = -128; a < 128; ++a)
    for (int64_t b = -128; b < 128; ++b) {
      int64_t q = (a - lhsZp) * lhsMultiplier + (b - rhsZp) * rhsMultiplier;
      int64_t r = roundingShiftRight(q, shift);
      want[(a + 128) * 256 + b + 128] =
          int32_t(std::clamp<int64_t>(r + outputZp, clampLo, clampHi));
    }
  constexpr int64_t kI32 = int64_t(1) << 31;
  double lhsReal = std::ldexp(double(lhsMultiplier), -shift);
  double rhsReal = std::ldexp(double(rhsMultiplier), -shift);
  int tried = 0;
  for (int32_t t = 30; t >= 1 && tried < 3; --t) {
    double lhs = std::ldexp(lhsReal, t), rhs = std::ldexp(rhsReal, t);
    // |a * m1 + b * m2| <= 128 * (|m1| + |m2|), and the addend beside it.
    if (128 * (std::abs(lhs) + std::abs(rhs) + 4) * 2 >= double(kI32))
      continue;
    ++tried;
    int64_t unit = int64_t(1) << t;
    for (int64_t dl : {0, 1, -1})
      for (int64_t dr : {0, 1, -1}) {
        int64_t m1 = int64_t(std::floor(lhs)) + dl;
        int64_t m2 = int64_t(std::floor(rhs)) + dr;
        // (v + c) >> t must be want's value, or beyond the clamp where
        // want clamps: bounds on c from every pair.
        int64_t minC = INT64_MIN, maxC = INT64_MAX;
        for (int64_t a = -128; a < 128 && minC <= maxC; ++a)
          for (int64_t b = -128; b < 128; ++b) {
            int64_t v = a * m1 + b * m2;
            int64_t g = want[(a + 128) * 256 + b + 128];
            if (g > clampLo)
              minC = std::max(minC, g * unit - v);
            if (g < clampHi)
              maxC = std::min(maxC, (g + 1) * unit - 1 - v);
          }
        if (minC > maxC)
          continue;
        int64_t c = middleAddend(minC, maxC);
        int64_t reach = 128 * (std::abs(m1) + std::abs(m2));
        if (std::abs(c) + reach < kI32)
          return NarrowAddForm{int32_t(m1), int32_t(m2), int32_t(c),
                               int32_t(t)};
      }
  }
  return std::nullopt;
}
