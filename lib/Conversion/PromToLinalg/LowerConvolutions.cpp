//===- LowerConvolutions.cpp - conv2d, ternary_conv2d, fully_connected ----===//
//
// Each op becomes: (pad the input with its zero point), an i32 accumulator
// initialized with the bias, one linalg.generic reduction of
// (x - zx) * w straight from docs/numerics.md, and an elementwise
// requantization with per-channel fixed-point constants.
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

/// What the shared lowering needs from any prom convolution.
struct ConvParams {
  Value input, weights, bias;
  RankedTensorType outputType;
  ArrayRef<int64_t> stride, pad, dilation;
  int64_t groups;
  int64_t inputZp, outputZp;
  float inputScale, outputScale;
  ArrayRef<float> weightScales;
  std::pair<int32_t, int32_t> clamp;
};

bool allStatic(ArrayRef<Value> values) {
  return llvm::all_of(values, [](Value v) {
    return !v || cast<ShapedType>(v.getType()).hasStaticShape();
  });
}

/// The reduction body: acc + (x - zx) * w, in wrapping i32.
Value multiplyAccumulate(ImplicitLocOpBuilder &b, ValueRange args,
                         int64_t inputZp) {
  Type i32 = b.getI32Type();
  Value x =
      arith::SubIOp::create(b, arith::ExtSIOp::create(b, i32, args[0]),
                            arith::ConstantIntOp::create(b, i32, inputZp));
  Value w = arith::ExtSIOp::create(b, i32, args[1]);
  return arith::AddIOp::create(b, args[2], arith::MulIOp::create(b, x, w));
}

/// The output's dynamic batch, height and width, from the input's.
SmallVector<Value> outputDynamicSizes(ImplicitLocOpBuilder &b,
                                      const ConvParams &p,
                                      ArrayRef<int64_t> weights) {
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < 3; ++d) {
    if (!p.outputType.isDynamicDim(d))
      continue;
    Value in = tensor::DimOp::create(b, p.input, d);
    if (d == 0) {
      sizes.push_back(in);
      continue;
    }
    int64_t window = p.dilation[d - 1] * (weights[d] - 1) + 1;
    int64_t padded = p.pad[2 * (d - 1)] + p.pad[2 * (d - 1) + 1];
    auto constant = [&](int64_t v) {
      return arith::ConstantIndexOp::create(b, v);
    };
    Value reach = arith::AddIOp::create(b, in, constant(padded - window));
    Value steps = arith::DivUIOp::create(b, reach, constant(p.stride[d - 1]));
    sizes.push_back(arith::AddIOp::create(b, steps, constant(1)));
  }
  return sizes;
}

FailureOr<Value> lowerConv(ImplicitLocOpBuilder &b, Operation *op,
                           const ConvParams &p) {
  // Batch, height and width may be dynamic (tiles of a tiled convolution).
  if (!allStatic({p.weights, p.bias}) ||
      ShapedType::isDynamic(p.outputType.getDimSize(3)) ||
      cast<RankedTensorType>(p.input.getType()).isDynamicDim(3))
    return notLowerable(op, "dynamic channels or weights are not supported");
  ArrayRef<int64_t> w = cast<RankedTensorType>(p.weights.getType()).getShape();
  ArrayRef<int64_t> out = p.outputType.getShape();
  int64_t outC = w[0], inCPerGroup = w[3], outCPerGroup = outC / p.groups;

  // Padding holds the real value 0, i.e. the stored zero point.
  Value input = padFeatureMap(b, b.getLoc(), p.input, p.pad,
                              b.getI8IntegerAttr(p.inputZp));

  // Loops (n, oh, ow, co, kh, kw, ci); ci runs over one group's channels.
  MLIRContext *ctx = b.getContext();
  AffineExpr n, oh, ow, co, kh, kw, ci;
  bindDims(ctx, n, oh, ow, co, kh, kw, ci);
  AffineExpr channel =
      p.groups == 1 ? ci : co.floorDiv(outCPerGroup) * inCPerGroup + ci;
  AffineMap inputMap =
      AffineMap::get(7, 0,
                     {n, oh * p.stride[0] + kh * p.dilation[0],
                      ow * p.stride[1] + kw * p.dilation[1], channel},
                     ctx);
  AffineMap weightMap = AffineMap::get(7, 0, {co, kh, kw, ci}, ctx);
  AffineMap accMap = AffineMap::get(7, 0, {n, oh, ow, co}, ctx);
  using utils::IteratorType;
  SmallVector<IteratorType> iterators(4, IteratorType::parallel);
  iterators.append(3, IteratorType::reduction);

  Value acc = createAccumulator(b, out, p.bias, outputDynamicSizes(b, p, w));
  auto conv = linalg::GenericOp::create(
      b, acc.getType(), ValueRange{input, p.weights}, acc,
      ArrayRef<AffineMap>{inputMap, weightMap, accMap}, iterators,
      [&](OpBuilder &nested, Location loc, ValueRange args) {
        ImplicitLocOpBuilder ib(loc, nested);
        linalg::YieldOp::create(ib, multiplyAccumulate(ib, args, p.inputZp));
      });
  return requantize(b, op, conv.getResult(0), p.outputType, p.inputScale,
                    p.weightScales, p.outputScale, p.outputZp, p.clamp);
}

struct LowerConv2D : LoweringPattern<Conv2DOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b, Conv2DOp op) const override {
    return lowerConv(b, op,
                     {op.getInput(), op.getWeights(), op.getBias(),
                      op.getOutput().getType(), op.getStride(), op.getPad(),
                      op.getDilation(), op.getGroups(), op.getInputZp(),
                      op.getOutputZp(), op.getInputScale().convertToFloat(),
                      op.getOutputScale().convertToFloat(),
                      op.getWeightScales(), op.getClampBounds()});
  }
};

struct LowerTernaryConv2D : LoweringPattern<TernaryConv2DOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b,
                         TernaryConv2DOp op) const override {
    static constexpr int64_t kNoPad[] = {0, 0, 0, 0};
    static constexpr int64_t kNoDilation[] = {1, 1};
    // The reference meaning of a ternary conv is the int8 formula with
    // weights in {-1, 0, +1}; prom-ternary-to-add is the add-only form.
    return lowerConv(b, op,
                     {op.getInput(), op.getWeights(), op.getBias(),
                      op.getOutput().getType(), op.getStride(), kNoPad,
                      kNoDilation, /*groups=*/1, op.getInputZp(),
                      op.getOutputZp(), op.getInputScale().convertToFloat(),
                      op.getOutputScale().convertToFloat(),
                      op.getWeightScales(), op.getClampBounds()});
  }
};

struct LowerFullyConnected : LoweringPattern<FullyConnectedOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b,
                         FullyConnectedOp op) const override {
    RankedTensorType outputType = op.getOutput().getType();
    if (!allStatic({op.getInput(), op.getWeights(), op.getBias()}) ||
        !outputType.hasStaticShape())
      return notLowerable(op, "dynamic shapes are not supported");
    MLIRContext *ctx = b.getContext();
    AffineExpr n, c, k;
    bindDims(ctx, n, c, k);
    using utils::IteratorType;
    Value acc = createAccumulator(b, outputType.getShape(), op.getBias());
    int64_t inputZp = op.getInputZp();
    auto matmul = linalg::GenericOp::create(
        b, acc.getType(), ValueRange{op.getInput(), op.getWeights()}, acc,
        ArrayRef<AffineMap>{AffineMap::get(3, 0, {n, k}, ctx),
                            AffineMap::get(3, 0, {c, k}, ctx),
                            AffineMap::get(3, 0, {n, c}, ctx)},
        ArrayRef<IteratorType>{IteratorType::parallel, IteratorType::parallel,
                               IteratorType::reduction},
        [&](OpBuilder &nested, Location loc, ValueRange args) {
          ImplicitLocOpBuilder ib(loc, nested);
          linalg::YieldOp::create(ib, multiplyAccumulate(ib, args, inputZp));
        });
    return requantize(b, op, matmul.getResult(0), outputType,
                      op.getInputScale().convertToFloat(), op.getWeightScales(),
                      op.getOutputScale().convertToFloat(), op.getOutputZp(),
                      op.getClampBounds());
  }
};

} // namespace

void mlir::prom::populateLowerPromConvolutionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerConv2D, LowerTernaryConv2D, LowerFullyConnected>(
      patterns.getContext());
}
