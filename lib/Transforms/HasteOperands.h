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
  /// convs: |rounded mean of x - zp| <= 255, and each output's |sum of a
  /// bucket's weights| <= sum of |w| <= 32767), so the merged conv can
  /// multiply i16 pairs; else null.
  Type narrow;
  /// The input's padding value: 0.0, or the integer input's zero point.
  TypedAttr padding;
  /// Integer convs: the merged input (rounded means of the stored values,
  /// i32) less the zero point, in `narrow` when set; else null.
  std::function<Value(ImplicitLocOpBuilder &, Value)> centerMerged;
};

/// The operands of `conv` (tosa.conv2d, prom.conv2d with groups 1, or
/// prom.ternary_conv2d), created before it. Integer convs hash and merge
/// the stored int8 values; the merged conv computes in i32 on (merged input
/// - zero point), exactly as prom.conv2d accumulates, then requantizes with
/// the conv's own per-channel rule (prom.rescale).
ConvOperands operandsOf(ImplicitLocOpBuilder &b, Operation *conv);

} // namespace haste
} // namespace prom
} // namespace mlir

#endif // PROM_LIB_TRANSFORMS_HASTEOPERANDS_H
