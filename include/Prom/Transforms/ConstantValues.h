//===- ConstantValues.h - read and build constant tensors -------*- C++ -*-===//
//
// Quantization reads weights out of `tosa.const` (dense or dense_resource)
// and writes quantized ones back; these helpers do both, and follow a
// constant through the layout ops (transpose, reshape) between it and its
// use, so that a pass sees the weights in the layout the layer sees them.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_TRANSFORMS_CONSTANTVALUES_H
#define PROM_TRANSFORMS_CONSTANTVALUES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Value.h"

#include <optional>

namespace mlir {
namespace prom {

/// The f32 values of a `tosa.const` or `arith.constant`, or nullopt.
std::optional<SmallVector<float>> getFloatConstant(Value v);

/// The f32 values of `v` when they are known at compile time: a constant,
/// a reshape of known values (row-major order is kept), or the
/// prom.dequantize of an int8 constant (a QDQ model's weights), computed
/// with the op's own rule (docs/numerics.md: f32(x - z) * s, one rounding).
std::optional<SmallVector<float>> getKnownFloats(Value v);

/// Whether `v` is a constant whose every element is 0.0.
bool isZeroConstant(Value v);

/// The i8 values of a `tosa.const` or `arith.constant`, or nullopt.
std::optional<SmallVector<int8_t>> getInt8Constant(Value v);

/// The i32 values of a `tosa.const` or `arith.constant`, or nullopt.
std::optional<SmallVector<int32_t>> getInt32Constant(Value v);

/// The values of an i8 elements attribute (dense or dense_resource), or
/// nullopt.
std::optional<SmallVector<int8_t>> getInt8Elements(ElementsAttr values);

/// A `tosa.const` of `type` holding `values` (dense_resource when large, so
/// that printed IR stays readable).
template <typename T>
Value createConstant(OpBuilder &b, Location loc, RankedTensorType type,
                     ArrayRef<T> values);

/// Elements of a constant carried through layout ops, each with a tag (an
/// index into per-channel parameters) that moves with it.
struct TaggedTensor {
  SmallVector<int64_t> shape;
  SmallVector<int8_t> values;
  SmallVector<int64_t> tags;
};

/// Applies `layoutOps` (tosa.transpose / tosa.reshape, in order) to
/// `tensor`; fails on any other op.
FailureOr<TaggedTensor> applyLayoutOps(TaggedTensor tensor,
                                       ArrayRef<Operation *> layoutOps);

} // namespace prom
} // namespace mlir

#endif // PROM_TRANSFORMS_CONSTANTVALUES_H
