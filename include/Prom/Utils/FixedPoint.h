//===- FixedPoint.h - real scales as integer multiplier and shift -*- C++
//-*-===//
//
// The fixed-point requantization rule of docs/numerics.md, section 1. Every
// lowering derives its integer constants here, so they cannot disagree.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_UTILS_FIXEDPOINT_H
#define PROM_UTILS_FIXEDPOINT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace mlir {
namespace prom {

/// `multipliers[i] * 2^-shift` approximates the i-th real scale.
struct FixedPointScales {
  llvm::SmallVector<int32_t> multipliers;
  int32_t shift;
};

/// A single real scale as multiplier and shift.
struct FixedPointScale {
  int32_t multiplier;
  int32_t shift;
};

/// Largest real scale that can be represented (shift >= 1).
inline constexpr double kMaxFixedPointScale = 1073741824.0; // 2^30

/// The real scale by which a product of `inputScale` and `weightScale` units
/// maps onto `outputScale` units, in the order docs/numerics.md fixes:
/// (f64(in) * f64(w)) / f64(out). The product is exact in f64.
inline double requantScale(float inputScale, float weightScale,
                           float outputScale) {
  return (double(inputScale) * double(weightScale)) / double(outputScale);
}

/// Scales sharing one shift, fixed by the largest; nullopt when a scale is
/// not positive and finite or the largest is not below kMaxFixedPointScale.
std::optional<FixedPointScales>
computeFixedPointScales(llvm::ArrayRef<double> scales);

/// One scale with its own shift.
std::optional<FixedPointScale> computeFixedPointScale(double scale);

/// round_half_away(value * multiplier / 2^shift), exact in 64 bits; needs
/// |value| < 2^32 and 1 <= shift <= 62.
int64_t applyFixedPoint(int64_t value, int32_t multiplier, int32_t shift);

/// The smallest |value| > 0 at which value * multiplier / 2^shift is a tie
/// (an odd multiple of 1/2): 2^(shift - 1 - tz) with tz the multiplier's
/// trailing zero bits (every tie is an odd multiple of it); INT64_MAX when
/// there is none (multiplier 0, or beyond 2^62).
int64_t smallestTie(int32_t multiplier, int32_t shift);

/// round_half_up(value * multiplier / 2^shift) for shift >= 33 in i32
/// arithmetic around one signed 32 x 32 -> 64 multiply: (hi32(value *
/// multiplier) + 2^(shift-33)) >> (shift - 32), arithmetic shifts. Equal to
/// applyFixedPoint except at negative ties, so wherever |value| <
/// smallestTie (docs/numerics.md). The vector kernels compute it per lane.
int32_t applyHighWordHalfUp(int32_t value, int32_t multiplier, int32_t shift);

} // namespace prom
} // namespace mlir

#endif // PROM_UTILS_FIXEDPOINT_H
