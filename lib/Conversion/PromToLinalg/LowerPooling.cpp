//===- LowerPooling.cpp - avg_pool2d --------------------------------------===//
//
// A window sum of (x - zx) into i32 over the zero-point-padded input, then
// a requantization whose fixed-point constant depends on how many window
// positions fall inside the input: known per output position at compile
// time, so it is a [Ho, Wo] constant table.
//
//===----------------------------------------------------------------------===//

#include "Prom/Conversion/PromToLinalg/PromToLinalg.h"

#include "Prom/Conversion/PromToLinalg/LoweringUtils.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/Padding.h"
#include "Prom/Utils/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

/// How many of a window's `kernel` positions starting at `start` (in padded
/// coordinates minus the low pad) lie in [0, size).
int64_t countInside(int64_t start, int64_t kernel, int64_t size) {
  int64_t lo = std::max<int64_t>(start, 0);
  int64_t hi = std::min<int64_t>(start + kernel, size);
  return std::max<int64_t>(hi - lo, 0);
}

struct LowerAvgPool2D : LoweringPattern<AvgPool2DOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b,
                         AvgPool2DOp op) const override {
    RankedTensorType inType = op.getInput().getType();
    RankedTensorType outType = op.getOutput().getType();
    if (!inType.hasStaticShape() || !outType.hasStaticShape())
      return notLowerable(op, "dynamic shapes are not supported");
    ArrayRef<int64_t> in = inType.getShape(), out = outType.getShape();
    ArrayRef<int64_t> kernel = op.getKernel(), stride = op.getStride(),
                      pad = op.getPad();
    int64_t inputZp = op.getInputZp();

    Value input = padFeatureMap(b, b.getLoc(), op.getInput(), pad,
                                b.getI8IntegerAttr(inputZp));

    // Loops (n, oh, ow, kh, kw, c): channels innermost, so that each window
    // position adds a contiguous row of channels (vectorizable) instead of
    // one channel's values a row apart. The window operand only gives kh
    // and kw their extent, as linalg's pooling ops do.
    MLIRContext *ctx = b.getContext();
    AffineExpr n, oh, ow, kh, kw, c;
    bindDims(ctx, n, oh, ow, kh, kw, c);
    Value window = tensor::EmptyOp::create(b, kernel, b.getI8Type());
    auto sumType = RankedTensorType::get(out, b.getI32Type());
    Value zero = arith::ConstantIntOp::create(b, b.getI32Type(), 0);
    Value empty = tensor::EmptyOp::create(b, out, b.getI32Type());
    Value init = linalg::FillOp::create(b, zero, empty).getResult(0);
    using utils::IteratorType;
    SmallVector<IteratorType> iterators(3, IteratorType::parallel);
    iterators.append(2, IteratorType::reduction);
    iterators.push_back(IteratorType::parallel);
    auto sum = linalg::GenericOp::create(
        b, sumType, ValueRange{input, window}, init,
        ArrayRef<AffineMap>{
            AffineMap::get(
                6, 0, {n, oh * stride[0] + kh, ow * stride[1] + kw, c}, ctx),
            AffineMap::get(6, 0, {kh, kw}, ctx),
            AffineMap::get(6, 0, {n, oh, ow, c}, ctx)},
        iterators, [&](OpBuilder &nested, Location loc, ValueRange args) {
          ImplicitLocOpBuilder ib(loc, nested);
          Type i32 = ib.getI32Type();
          Value centered = arith::SubIOp::create(
              ib, arith::ExtSIOp::create(ib, i32, args[0]),
              arith::ConstantIntOp::create(ib, i32, inputZp));
          Value next = arith::AddIOp::create(ib, args[2], centered);
          linalg::YieldOp::create(ib, next);
        });

    // One fixed-point constant per output position, from its divisor.
    double inputScale = op.getInputScale().convertToDouble();
    double outputScale = op.getOutputScale().convertToDouble();
    SmallVector<int32_t> multipliers, shifts;
    for (int64_t y = 0; y < out[1]; ++y) {
      for (int64_t x = 0; x < out[2]; ++x) {
        int64_t count =
            op.getCountIncludePad()
                ? kernel[0] * kernel[1]
                : countInside(y * stride[0] - pad[0], kernel[0], in[1]) *
                      countInside(x * stride[1] - pad[2], kernel[1], in[2]);
        if (count == 0)
          return notLowerable(op, "a window lies entirely in the padding");
        std::optional<FixedPointScale> fp =
            computeFixedPointScale(inputScale / (count * outputScale));
        if (!fp)
          return notLowerable(op, "a requantization scale is out of range");
        multipliers.push_back(fp->multiplier);
        shifts.push_back(fp->shift);
      }
    }
    auto tableType = RankedTensorType::get({out[1], out[2]}, b.getI32Type());
    Value m = arith::ConstantOp::create(
        b, DenseIntElementsAttr::get(tableType, ArrayRef(multipliers)));
    Value s = arith::ConstantOp::create(
        b, DenseIntElementsAttr::get(tableType, ArrayRef(shifts)));
    AffineMap position = AffineMap::get(4, 0, {oh, ow}, ctx);
    int64_t outputZp = op.getOutputZp();
    std::pair<int32_t, int32_t> bounds = op.getClampBounds();
    int64_t lo = bounds.first, hi = bounds.second;
    return createElementwise(
        b, outType, tensor::EmptyOp::create(b, out, b.getI8Type()),
        {sum.getResult(0), m, s},
        {b.getMultiDimIdentityMap(4), position, position},
        [&](ImplicitLocOpBuilder &b, ValueRange args) -> Value {
          Value acc64 = arith::ExtSIOp::create(b, b.getI64Type(), args[0]);
          return addZeroPointAndClamp(
              b, applyFixedPoint(b, acc64, args[1], args[2]), outputZp, lo, hi);
        });
  }
};

} // namespace

void mlir::prom::populateLowerPromPoolingPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerAvgPool2D>(patterns.getContext());
}
