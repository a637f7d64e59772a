//===- QDQMatch.h - reading QDQ chains for prom-qdq-to-integer --*- C++ -*-===//
//
// The patterns of prom-qdq-to-integer all look for
// `dequantize -> (layout ops) -> float op -> (clamp) -> quantize` and then
// build an integer op from the Q/DQ parameters; these helpers do the
// looking.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_LIB_TRANSFORMS_QDQMATCH_H
#define PROM_LIB_TRANSFORMS_QDQMATCH_H

#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"

#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir {
namespace prom {
namespace qdq {

/// dequantize(q) reached through layout ops (transpose, slice, reshape)
/// that can as well run on the int8 values.
struct DequantizedValue {
  DequantizeOp dequantize;
  SmallVector<Operation *> layoutOps; // from the dequantize towards the use
};

std::optional<DequantizedValue> findDequantized(Value v);

/// The int8 constant behind a symmetric (zero point 0) dequantize, as the
/// use sees it (layout ops applied); each element tagged with the index of
/// its scale.
std::optional<TaggedTensor> readSymmetricInt8(const DequantizedValue &v);

/// The scale of each of `channels` output channels of `weights` (read by
/// readSymmetricInt8 from `dequantize`), element e belonging to channel
/// `channelOf(e)`; nullopt if the scale varies within a channel.
std::optional<SmallVector<float>>
perChannelScales(const TaggedTensor &weights, DequantizeOp dequantize,
                 int64_t channels, function_ref<int64_t(int64_t)> channelOf);

/// What a per-tensor prom.quantize of a float op's result tells: the
/// producing op (seen through a tosa.clamp, which becomes integer clamp
/// bounds) and the output quantization.
struct QuantizedResult {
  Operation *producer = nullptr;
  float scale;
  int32_t zp;
  std::pair<int32_t, int32_t> clamp = {-128, 127};

  /// The clamp attribute of the integer op; null when it clamps nothing.
  DenseI32ArrayAttr clampAttr(Builder &b) const;
};

std::optional<QuantizedResult> analyzeQuantize(QuantizeOp quantize);

/// A per-tensor dequantized operand, as its int8 value (layout ops
/// replayed on it) with its scale and zero point.
struct Int8Operand {
  Value value;
  float scale;
  int32_t zp;
};

std::optional<Int8Operand> int8Operand(PatternRewriter &rewriter, Value v);

/// `bias[c] / (inputScale * weightScales[c])`, rounded half away from zero
/// and saturated to i32: a float bias in accumulator units.
SmallVector<int32_t> biasToInt32(ArrayRef<float> bias, float inputScale,
                                 ArrayRef<float> weightScales);

/// Replaces `quantize` by `replacement`, which inherits its discardable
/// attributes (tags such as prom.point).
void replaceQuantize(PatternRewriter &rewriter, QuantizeOp quantize,
                     Operation *replacement);

/// The classifier pattern (QDQToFullyConnected.cpp).
void populateQDQFullyConnectedPatterns(RewritePatternSet &patterns);

} // namespace qdq
} // namespace prom
} // namespace mlir

#endif // PROM_LIB_TRANSFORMS_QDQMATCH_H
