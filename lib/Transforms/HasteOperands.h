//===- HasteOperands.h - what a conv brings to its HASTE form ---*- C++ -*-===//
//
// prom-haste rewrites float and integer convolutions with the same patch
// loops; this is the part that differs: the operands in the element type the
// merged conv computes in, and how an accumulator becomes the output.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_LIB_TRANSFORMS_HASTEOPERANDS_H
#define PROM_LIB_TRANSFORMS_HASTEOPERANDS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <functional>

namespace mlir {
namespace prom {
namespace haste {

/// What a conv contributes to its HASTE form: the input and bias in the
/// element type the merged conv computes in (f32; or i32 with the input
/// zero point removed), the weights as HWCF filter slices (f32 or i8: the
/// merge widens them to `narrow` or i32), and how an accumulator tile
/// becomes an output tile (nothing for f32; the requantization for integer
/// convs).
struct ConvOperands {
  Value input, weights, bias;
  Type element;
  RankedTensorType outType;
  std::function<Value(ImplicitLocOpBuilder &, Value)> finish;
  /// i16 when every merged input and weight provably fits it (integer
  /// convs: |mean of x - zp| <= 255, and each output's |sum of a bucket's
  /// weights| <= sum of |w| <= 32767), so the merged conv can multiply
  /// i16 pairs; else null.
  Type narrow;
};

/// `v` with its elements truncated to `element` (a linalg.generic).
Value truncateElements(ImplicitLocOpBuilder &b, Value v, Type element);

/// The operands of `conv` (tosa.conv2d, prom.conv2d with groups 1, or
/// prom.ternary_conv2d), created before it. Integer convs compute in i32 on
/// (input - zero point), exactly as prom.conv2d accumulates, then requantize
/// with the conv's own per-channel rule (prom.rescale).
ConvOperands operandsOf(ImplicitLocOpBuilder &b, Operation *conv);

} // namespace haste
} // namespace prom
} // namespace mlir

#endif // PROM_LIB_TRANSFORMS_HASTEOPERANDS_H
