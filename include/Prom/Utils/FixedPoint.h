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
#include <utility>

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

/// clamp(applyFixedPoint(v, m, s) + zeroPoint) as
/// clamp((v * multiplier + addend) >> shift) in i32 arithmetic (one 32-bit
/// multiply, one add, one arithmetic shift per lane).
struct NarrowFixedPoint {
  int32_t multiplier, addend, shift;
};

/// Most steps (distinct values of the reference over its
/// narrowSearchWindow) findNarrowFixedPoint checks: an i8 output takes at
/// most 256.
inline constexpr int64_t kMaxNarrowSteps = int64_t(1) << 12;

/// The accumulators of [lo, hi] that findNarrowFixedPoint checks: from the
/// last value the reference clamps to clampLo to the first it clamps to
/// clampHi (the reference and the narrow form are both monotone in v, so
/// these two bound every value beyond them); [lo, hi] itself when
/// multiplier <= 0 or clampLo >= clampHi. Needs |lo|, |hi| < 2^31.
std::pair<int64_t, int64_t>
narrowSearchWindow(int32_t multiplier, int32_t shift, int64_t lo, int64_t hi,
                   int32_t zeroPoint, int32_t clampLo, int32_t clampHi);

/// A NarrowFixedPoint equal to clamp(applyFixedPoint(v, multiplier, shift) +
/// zeroPoint, clampLo, clampHi) for every v in [lo, hi], with no step
/// leaving i32; nullopt when none is found, the multiplier is negative or
/// the reference takes more than kMaxNarrowSteps values over the range's
/// narrowSearchWindow. Checked step by step of the reference over that
/// window (the ends of each step bound the rest of it), for the most
/// precise shifts whose products stay in i32 (docs/numerics.md, "A 32-bit
/// multiply where the accumulators are few"), also for any value up to
/// `reach` in magnitude (a kernel that multiplies v minus an offset, folded
/// into its addend), with m' at most `maxMultiplier` (a kernel that
/// multiplies in i16, as vpmaddwd does).
std::optional<NarrowFixedPoint>
findNarrowFixedPoint(int32_t multiplier, int32_t shift, int64_t lo, int64_t hi,
                     int32_t zeroPoint, int32_t clampLo, int32_t clampHi,
                     int64_t reach = 0, int32_t maxMultiplier = INT32_MAX);

/// prom.add's rule, clamp(round_half_away(((a - za) * ma + (b - zb) * mb) /
/// 2^s) + zy, lo, hi) (docs/numerics.md), for every pair of int8 inputs a
/// and b, as clamp((a * lhs + b * rhs + addend) >> shift, lo, hi) in i32
/// arithmetic: two 32-bit multiplies, two adds and a shift per lane.
struct NarrowAddForm {
  int32_t lhsMultiplier, rhsMultiplier, addend, shift;
};

/// A NarrowAddForm equal to prom.add's rule with these multipliers, shift,
/// zero points and clamp on all 65536 input pairs (each checked), for the
/// most precise shifts whose sums stay in i32; nullopt when none is.
std::optional<NarrowAddForm>
findNarrowAddForm(int32_t lhsMultiplier, int32_t rhsMultiplier, int32_t shift,
                  int32_t lhsZp, int32_t rhsZp, int32_t outputZp,
                  int32_t clampLo, int32_t clampHi);

} // namespace prom
} // namespace mlir

#endif // PROM_UTILS_FIXEDPOINT_H
