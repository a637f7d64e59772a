//===- Golden.h - plain-loop golden model of prom's integer ops -*- C++ -*-===//
//
// Written from docs/numerics.md alone, with nothing shared with the
// lowering (not even the fixed-point helper), so that agreement between
// the two means something.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_UNITTESTS_NUMERICS_GOLDEN_H
#define PROM_UNITTESTS_NUMERICS_GOLDEN_H

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace golden {

struct Fixed {
  int64_t multiplier;
  int shift;
};

/// Section 1 of numerics.md for several scales sharing one shift.
std::vector<Fixed> fixedPointShared(const std::vector<double> &scales);
Fixed fixedPoint(double scale);
/// round_half_away(p * m / 2^s).
int64_t apply(int64_t p, const Fixed &f);
int8_t output(int64_t v, int32_t zp, int32_t lo, int32_t hi);

struct Conv {
  int n, h, w, ci, co, kh, kw, groups;
  std::array<int, 2> stride, dilation;
  std::array<int, 4> pad; // top, bottom, left, right
  int32_t inZp, outZp, lo = -128, hi = 127;
  float inScale, outScale;
  std::vector<float> weightScales;
  std::vector<int8_t> input;   // NHWC
  std::vector<int8_t> weights; // [co, kh, kw, ci / groups]
  std::optional<std::vector<int32_t>> bias;

  int outH() const;
  int outW() const;
};
std::vector<int8_t> conv2d(const Conv &c);

struct FullyConnected {
  int n, k, m;
  int32_t inZp, outZp, lo = -128, hi = 127;
  float inScale, outScale;
  std::vector<float> weightScales;
  std::vector<int8_t> input, weights; // [n, k], [m, k]
  std::optional<std::vector<int32_t>> bias;
};
std::vector<int8_t> fullyConnected(const FullyConnected &f);

struct Pool {
  int n, h, w, c, kh, kw;
  std::array<int, 2> stride;
  std::array<int, 4> pad;
  bool countIncludePad;
  int32_t inZp, outZp, lo = -128, hi = 127;
  float inScale, outScale;
  std::vector<int8_t> input;

  int outH() const;
  int outW() const;
};
std::vector<int8_t> avgPool2d(const Pool &p);

/// Rescale of a [rows, cols] tensor, per tensor or per column (axis 1).
struct Rescale {
  int rows, cols;
  bool i32Input;
  std::vector<int32_t> input; // i8 inputs are stored widened
  int32_t inZp, outZp, lo = -128, hi = 127;
  std::vector<double> scales; // 1 or cols
};
std::vector<int8_t> rescale(const Rescale &r);

struct Add {
  std::vector<int8_t> lhs, rhs;
  float lhsScale, rhsScale, outScale;
  int32_t lhsZp, rhsZp, outZp, lo = -128, hi = 127;
};
std::vector<int8_t> add(const Add &a);

/// f32 -> i8 and back, per tensor or per column of a [rows, cols] tensor.
std::vector<int8_t> quantize(const std::vector<float> &x, int cols,
                             const std::vector<float> &scales,
                             const std::vector<int32_t> &zps);
std::vector<float> dequantize(const std::vector<int8_t> &x, int cols,
                              const std::vector<float> &scales,
                              const std::vector<int32_t> &zps);

/// A float convolution with `c`'s geometry (groups 1; NHWC input, OHWI
/// weights, one bias per output channel): bias, then kh, kw, ci, each
/// product and each sum rounded to f32 on its own (what tosa.conv2d's
/// reference lowering computes).
std::vector<float> convF32(const Conv &c, const std::vector<float> &input,
                           const std::vector<float> &weights,
                           const std::vector<float> &bias);

/// A float depthwise convolution with `c`'s geometry (ci = co = groups;
/// NHWC input, [kh, kw, c] weights): per channel a sum from +0.0 over kh,
/// kw, each product and each sum rounded to f32 on its own, then bias +
/// sum (what tosa.depthwise_conv2d's reference lowering computes).
std::vector<float> depthwiseF32(const Conv &c, const std::vector<float> &input,
                                const std::vector<float> &weights,
                                const std::vector<float> &bias);

} // namespace golden

#endif // PROM_UNITTESTS_NUMERICS_GOLDEN_H
