//===- QuantizationPoints.h - activations that get quantized ----*- C++ -*-===//
//
// A quantization point is a float activation that `prom-quantize` turns
// into int8 (a quantize/dequantize pair): the input and the output of each
// layer planned int8 or ternary, and the outputs of residual adds and
// average pools whose inputs are quantized. `prom-calibrate` observes the
// same values, so the two passes share this one definition.
//
// A point's calibrated range lives in the IR: the attribute
// `prom.range = array<f32: min, max>` on the op that defines it, or the
// argument attribute of the same name for a function argument.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_TRANSFORMS_QUANTIZATIONPOINTS_H
#define PROM_TRANSFORMS_QUANTIZATIONPOINTS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <optional>
#include <utility>

namespace mlir {
namespace prom {

/// The points of `fn`, in a deterministic order (a walk of its body).
SmallVector<Value> collectQuantizationPoints(func::FuncOp fn);

/// A tag a tool may put on the op that defines a point (an integer id).
/// prom-quantize copies it onto the point's prom.quantize, and
/// prom-qdq-to-integer onto the integer op that replaces that quantize, so
/// the point's int8 value can be found again after rewriting.
inline constexpr StringLiteral kPointAttrName = "prom.point";

struct ActivationRange {
  float min, max;
};

/// The point's calibrated range: nullopt when it has none, failure when the
/// attribute is not two finite floats with min <= max.
FailureOr<std::optional<ActivationRange>> getRange(Value point);
void setRange(Value point, ActivationRange range);

} // namespace prom
} // namespace mlir

#endif // PROM_TRANSFORMS_QUANTIZATIONPOINTS_H
