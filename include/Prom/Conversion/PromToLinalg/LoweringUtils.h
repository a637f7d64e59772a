//===- LoweringUtils.h - pieces shared by the prom reference lowering -----===//
//
// The arithmetic of docs/numerics.md as IR: fixed-point constants, the
// rounding right shift, zero point and clamp. Each lowering pattern is then
// the loop structure of its op around these pieces.
//
//===----------------------------------------------------------------------===//

#ifndef PROM_CONVERSION_PROMTOLINALG_LOWERINGUTILS_H
#define PROM_CONVERSION_PROMTOLINALG_LOWERINGUTILS_H

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace prom {
namespace lowering {

/// arith.constant dense<values> : tensor<N x i32>.
Value createI32Tensor(ImplicitLocOpBuilder &b, ArrayRef<int32_t> values);

/// Per-entry multiplier and shift tensors (i32, one entry per scale), each
/// scale with its own shift; failure if a scale is out of range.
struct FixedPointTensors {
  Value multipliers;
  Value shifts;
};
FailureOr<FixedPointTensors> createFixedPointTensors(ImplicitLocOpBuilder &b,
                                                     ArrayRef<double> scales);

// The three numerics helpers below take scalars or vectors (elementwise,
// same shape throughout), so that vectorized kernels share the reference's
// arithmetic.

/// round_half_away(q / 2^s): `q` and `s` i64, 1 <= s <= 62.
Value roundingShiftRight(ImplicitLocOpBuilder &b, Value q, Value s);

/// round_half_away(p * m / 2^s): `p` i64, `m` and `s` i32; returns i64.
Value applyFixedPoint(ImplicitLocOpBuilder &b, Value p, Value m, Value s);

/// clamp(v + zp, lo, hi) truncated to i8; `v` i64 (or i32 where v + zp
/// cannot wrap).
Value addZeroPointAndClamp(ImplicitLocOpBuilder &b, Value v, int64_t zp,
                           int64_t lo, int64_t hi);

/// acc[n, ..., c] = bias[c] (or 0), as an i32 tensor of `shape`, whose
/// dynamic dimensions are `dynamicSizes`.
Value createAccumulator(ImplicitLocOpBuilder &b, ArrayRef<int64_t> shape,
                        Value bias, ValueRange dynamicSizes = {});

/// y = clamp(apply(acc, m[c], s[c]) + zy) as i8, with c the last dimension
/// and m, s the fixed-point form of input * weight[c] / output scale;
/// diagnoses a scale out of range on `op`.
FailureOr<Value> requantize(ImplicitLocOpBuilder &b, Operation *op, Value acc,
                            RankedTensorType outputType, float inputScale,
                            ArrayRef<float> weightScales, float outputScale,
                            int64_t outputZp,
                            std::pair<int32_t, int32_t> clamp);

/// The input pixels a 1x1 convolution with `stride` reads: `x` itself, or
/// every stride-th row and column (an extract_slice to `out`'s N, H, W).
Value keepStridedPixels(ImplicitLocOpBuilder &b, Value x, ArrayRef<int64_t> out,
                        ArrayRef<int64_t> stride);

/// A tensor.empty of `type`, with the dynamic sizes taken from `like`
/// (same shape).
Value createEmptyLike(ImplicitLocOpBuilder &b, RankedTensorType type,
                      Value like);

/// A tensor of `type` (`dynamicSizes`: its dynamic sizes) filled with
/// `value`, or with zeros when `value` is null.
Value createFilled(ImplicitLocOpBuilder &b, RankedTensorType type,
                   ValueRange dynamicSizes, Value value = Value());

/// linalg.generic over the iteration space of the result, all iterators
/// parallel; `maps` are the inputs' indexing maps (the result's is the
/// identity).
Value createElementwise(
    ImplicitLocOpBuilder &b, RankedTensorType resultType, Value init,
    ValueRange inputs, ArrayRef<AffineMap> maps,
    function_ref<Value(ImplicitLocOpBuilder &, ValueRange)> body);

/// The indexing map that selects dimension `axis` of a rank-`rank` space, or
/// the constant 0 when `axis` is absent (per-tensor parameters).
AffineMap perAxisMap(MLIRContext *ctx, int64_t rank,
                     std::optional<int64_t> axis);

/// Emits "'<op>' op cannot be lowered by convert-prom-to-linalg: <why>".
LogicalResult notLowerable(Operation *op, const Twine &why);

/// The ranked result type of a one-result op, or a diagnostic.
FailureOr<RankedTensorType> getRankedResultType(Operation *op);

/// A pattern that replaces an `OpTy` by the value `lower` builds; when
/// `lower` fails it has said why, and the op stays.
template <typename OpTy> struct LoweringPattern : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  virtual FailureOr<Value> lower(ImplicitLocOpBuilder &b, OpTy op) const = 0;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const final {
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    FailureOr<Value> result = lower(b, op);
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
};

} // namespace lowering
} // namespace prom
} // namespace mlir

#endif // PROM_CONVERSION_PROMTOLINALG_LOWERINGUTILS_H
