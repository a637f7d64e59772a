//===- FixedPoint.cpp - real scales as integer multiplier and shift -------===//

#include "Prom/Utils/FixedPoint.h"

#include "llvm/ADT/bit.h"

#include <cmath>

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

int64_t mlir::prom::applyFixedPoint(int64_t value, int32_t multiplier,
                                    int32_t shift) {
  int64_t product = value * multiplier;
  int64_t half = int64_t(1) << (shift - 1);
  return (product + half - (product < 0 ? 1 : 0)) >> shift;
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
