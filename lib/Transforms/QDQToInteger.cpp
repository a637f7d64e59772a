//===- QDQToInteger.cpp - QDQ float convs as prom integer convs -----------===//

#include "Prom/Transforms/Passes.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"

#include "QDQMatch.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cfloat>
#include <cmath>

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMQDQTOINTEGER
#include "Prom/Transforms/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::qdq;

namespace {

/// quantize(add(dequantize(a), dequantize(b))) -> prom.add.
struct AddToInteger : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    std::optional<QuantizedResult> r = analyzeQuantize(quantize);
    auto add = r ? dyn_cast<tosa::AddOp>(r->producer) : tosa::AddOp();
    if (!add || add.getInput1().getType() != add.getInput2().getType() ||
        !findDequantized(add.getInput1()) || !findDequantized(add.getInput2()))
      return rewriter.notifyMatchFailure(quantize, "not a QDQ add");
    std::optional<Int8Operand> lhs = int8Operand(rewriter, add.getInput1());
    std::optional<Int8Operand> rhs = int8Operand(rewriter, add.getInput2());
    if (!lhs || !rhs)
      return failure();
    auto sum = AddOp::create(
        rewriter, quantize.getLoc(), quantize.getOutput().getType(), lhs->value,
        rhs->value, rewriter.getF32FloatAttr(lhs->scale),
        rewriter.getI32IntegerAttr(lhs->zp),
        rewriter.getF32FloatAttr(rhs->scale),
        rewriter.getI32IntegerAttr(rhs->zp), rewriter.getF32FloatAttr(r->scale),
        rewriter.getI32IntegerAttr(r->zp), r->clampAttr(rewriter));
    replaceQuantize(rewriter, quantize, sum);
    return success();
  }
};

/// quantize(avg_pool2d(dequantize(x))) -> prom.avg_pool2d (TOSA's divisor,
/// like ONNX's default, counts only positions inside the input).
struct AvgPoolToInteger : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    std::optional<QuantizedResult> r = analyzeQuantize(quantize);
    auto pool =
        r ? dyn_cast<tosa::AvgPool2dOp>(r->producer) : tosa::AvgPool2dOp();
    if (!pool || !findDequantized(pool.getInput()))
      return rewriter.notifyMatchFailure(quantize, "not a QDQ average pool");
    std::optional<Int8Operand> x = int8Operand(rewriter, pool.getInput());
    if (!x)
      return failure();
    auto avg = AvgPool2DOp::create(
        rewriter, quantize.getLoc(), quantize.getOutput().getType(), x->value,
        pool.getKernelAttr(), pool.getStrideAttr(), pool.getPadAttr(),
        /*count_include_pad=*/nullptr, rewriter.getF32FloatAttr(x->scale),
        rewriter.getI32IntegerAttr(x->zp), rewriter.getF32FloatAttr(r->scale),
        rewriter.getI32IntegerAttr(r->zp), r->clampAttr(rewriter));
    replaceQuantize(rewriter, quantize, avg);
    return success();
  }
};

/// A conv's int8 weights in prom's layout (OHWI; depthwise [C*M, KH, KW, 1])
/// with one scale per output channel.
struct ConvWeights {
  RankedTensorType type;
  SmallVector<int8_t> values;
  SmallVector<float> scales;
};

/// Reads the symmetric int8 weights behind `weights` as the conv sees them
/// (TOSA: conv2d [O, KH, KW, I], depthwise [KH, KW, C, M]), whatever the
/// layout of the constant and the axis of its dequantize, as long as the
/// scale is uniform over each output channel.
std::optional<ConvWeights> readConvWeights(const DequantizedValue &weights,
                                           Operation *conv, bool depthwise) {
  auto seenType = cast<RankedTensorType>(conv->getOperand(1).getType());
  std::optional<TaggedTensor> seen = readSymmetricInt8(weights);
  if (!seen || seenType.getRank() != 4 ||
      ArrayRef(seen->shape) != seenType.getShape())
    return std::nullopt;
  ArrayRef<int64_t> s = seen->shape;
  int64_t outC = depthwise ? s[2] * s[3] : s[0];
  int64_t perChannel = seen->values.size() / outC;
  std::optional<SmallVector<float>> scales =
      perChannelScales(*seen, weights.dequantize, outC, [&](int64_t e) {
        return depthwise ? e % outC : e / perChannel;
      });
  if (!scales)
    return std::nullopt; // scale varies within an output channel
  ConvWeights w;
  w.scales = std::move(*scales);

  Type i8 = IntegerType::get(conv->getContext(), 8);
  if (!depthwise) {
    w.type = RankedTensorType::get(s, i8);
    w.values = std::move(seen->values);
    return w;
  }
  // [KH, KW, C, M] -> [C*M, KH, KW, 1].
  int64_t kernel = s[0] * s[1];
  w.type = RankedTensorType::get({outC, s[0], s[1], 1}, i8);
  w.values.resize(seen->values.size());
  for (int64_t k = 0; k < kernel; ++k)
    for (int64_t c = 0; c < outC; ++c)
      w.values[c * kernel + k] = seen->values[k * outC + c];
  return w;
}

struct ConvToInteger : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    std::optional<QuantizedResult> r = analyzeQuantize(quantize);
    if (!r)
      return rewriter.notifyMatchFailure(quantize, "not a per-tensor result");
    float outScale = r->scale;
    int32_t outZp = r->zp;
    Operation *conv = r->producer;
    if (!isa_and_nonnull<tosa::Conv2DOp, tosa::DepthwiseConv2DOp>(conv))
      return rewriter.notifyMatchFailure(quantize, "not a conv");
    bool depthwise = isa<tosa::DepthwiseConv2DOp>(conv);

    std::optional<DequantizedValue> input =
        findDequantized(conv->getOperand(0));
    std::optional<DequantizedValue> weights =
        findDequantized(conv->getOperand(1));
    std::optional<SmallVector<float>> bias =
        getFloatConstant(conv->getOperand(2));
    if (!input || !weights || !bias)
      return rewriter.notifyMatchFailure(conv, "not a QDQ conv");
    std::optional<ConvWeights> w = readConvWeights(*weights, conv, depthwise);
    if (input->dequantize.getScales().size() != 1 || !w)
      return rewriter.notifyMatchFailure(conv, "unsupported QDQ form");
    int64_t outC = w->scales.size();
    if (int64_t(bias->size()) != outC)
      return failure();

    std::optional<Int8Operand> x = int8Operand(rewriter, conv->getOperand(0));
    float inScale = x->scale;
    int32_t inZp = x->zp;
    SmallVector<int32_t> biasI32 = biasToInt32(*bias, inScale, w->scales);

    Location loc = conv->getLoc();
    Value wConst =
        createConstant(rewriter, loc, w->type, ArrayRef<int8_t>(w->values));
    auto biasType = RankedTensorType::get({outC}, rewriter.getI32Type());
    Value b = createConstant(rewriter, loc, biasType, ArrayRef(biasI32));
    int64_t kh = w->type.getDimSize(1), kw = w->type.getDimSize(2);
    SmallVector<float> &weightScales = w->scales;

    auto outType = cast<RankedTensorType>(quantize.getOutput().getType());
    auto convPad = conv->getAttrOfType<DenseI64ArrayAttr>("pad");
    auto stride = conv->getAttrOfType<DenseI64ArrayAttr>("stride");
    auto dilation = conv->getAttrOfType<DenseI64ArrayAttr>("dilation");
    DenseI32ArrayAttr clampAttr = r->clampAttr(rewriter);
    bool ternary =
        !depthwise && kh == 1 && kw == 1 &&
        llvm::all_of(w->values, [](int8_t v) { return v >= -1 && v <= 1; }) &&
        llvm::all_of(convPad.asArrayRef(), [](int64_t p) { return p == 0; }) &&
        llvm::all_of(dilation.asArrayRef(), [](int64_t d) { return d == 1; });
    Operation *result;
    if (ternary) {
      result = TernaryConv2DOp::create(
          rewriter, loc, outType, x->value, wConst, b, stride,
          rewriter.getF32FloatAttr(inScale), rewriter.getI32IntegerAttr(inZp),
          rewriter.getDenseF32ArrayAttr(weightScales),
          rewriter.getF32FloatAttr(outScale), rewriter.getI32IntegerAttr(outZp),
          clampAttr);
    } else {
      int64_t groups =
          depthwise ? cast<RankedTensorType>(x->value.getType()).getDimSize(3)
                    : 1;
      result = Conv2DOp::create(
          rewriter, loc, outType, x->value, wConst, b, stride, convPad,
          dilation, rewriter.getI64IntegerAttr(groups),
          rewriter.getF32FloatAttr(inScale), rewriter.getI32IntegerAttr(inZp),
          rewriter.getDenseF32ArrayAttr(weightScales),
          rewriter.getF32FloatAttr(outScale), rewriter.getI32IntegerAttr(outZp),
          clampAttr);
    }
    replaceQuantize(rewriter, quantize, result);
    return success();
  }
};

struct QDQToIntegerPass : prom::impl::PromQDQToIntegerBase<QDQToIntegerPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateQDQToIntegerPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::prom::populateQDQToIntegerPatterns(RewritePatternSet &patterns) {
  patterns.add<AddToInteger, AvgPoolToInteger, ConvToInteger>(
      patterns.getContext());
  populateQDQFullyConnectedPatterns(patterns);
}
