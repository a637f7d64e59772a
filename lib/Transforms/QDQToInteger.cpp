//===- QDQToInteger.cpp - QDQ float convs as prom integer convs -----------===//

#include "Prom/Transforms/Passes.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"

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

namespace {

/// dequantize(q) reached through layout ops (transpose, slice) that can as
/// well run on the int8 values.
struct DequantizedValue {
  DequantizeOp dequantize;
  SmallVector<Operation *> layoutOps; // from the dequantize towards the use
};

std::optional<DequantizedValue> findDequantized(Value v) {
  DequantizedValue found;
  while (true) {
    Operation *def = v.getDefiningOp();
    if (auto dq = dyn_cast_or_null<DequantizeOp>(def)) {
      found.dequantize = dq;
      std::reverse(found.layoutOps.begin(), found.layoutOps.end());
      return found;
    }
    if (!isa_and_nonnull<tosa::TransposeOp, tosa::SliceOp, tosa::ReshapeOp>(
            def))
      return std::nullopt;
    found.layoutOps.push_back(def);
    v = def->getOperand(0);
  }
}

/// Re-creates `ops` (a chain of layout ops) on `value`, with i8 results.
Value replayOnInt8(PatternRewriter &rewriter, Value value,
                   ArrayRef<Operation *> ops) {
  for (Operation *op : ops) {
    IRMapping mapping;
    mapping.map(op->getOperand(0), value);
    Operation *clone = rewriter.clone(*op, mapping);
    auto type = cast<RankedTensorType>(clone->getResult(0).getType());
    clone->getResult(0).setType(
        RankedTensorType::get(type.getShape(), rewriter.getI8Type()));
    value = clone->getResult(0);
  }
  return value;
}

/// round_half_away(v / scale) + zp, clamped to i8.
int32_t quantizeBound(double v, double scale, int32_t zp) {
  double q = std::round(v / scale) + zp;
  return int32_t(std::clamp(q, -128.0, 127.0));
}

/// What a per-tensor prom.quantize of a float op's result tells: the
/// producing op (seen through a tosa.clamp, which becomes integer clamp
/// bounds) and the output quantization.
struct QuantizedResult {
  Operation *producer = nullptr;
  float scale;
  int32_t zp;
  std::pair<int32_t, int32_t> clamp = {-128, 127};

  DenseI32ArrayAttr clampAttr(Builder &b) const {
    if (clamp == std::pair<int32_t, int32_t>{-128, 127})
      return nullptr;
    return b.getDenseI32ArrayAttr({clamp.first, clamp.second});
  }
};

std::optional<QuantizedResult> analyzeQuantize(QuantizeOp quantize) {
  if (quantize.getScales().size() != 1)
    return std::nullopt;
  QuantizedResult r;
  r.scale = quantize.getScales()[0];
  r.zp = quantize.getZeroPoints()[0];
  Value produced = quantize.getInput();
  if (auto c = produced.getDefiningOp<tosa::ClampOp>()) {
    auto lo = dyn_cast<FloatAttr>(c.getMinValAttr());
    auto hi = dyn_cast<FloatAttr>(c.getMaxValAttr());
    if (!lo || !hi)
      return std::nullopt;
    r.clamp = {quantizeBound(lo.getValueAsDouble(), r.scale, r.zp),
               quantizeBound(hi.getValueAsDouble(), r.scale, r.zp)};
    produced = c.getInput();
  }
  r.producer = produced.getDefiningOp();
  if (!r.producer)
    return std::nullopt;
  return r;
}

/// A per-tensor dequantized operand, as its int8 value (layout ops
/// replayed) with its scale and zero point.
struct Int8Operand {
  Value value;
  float scale;
  int32_t zp;
};

std::optional<Int8Operand> int8Operand(PatternRewriter &rewriter, Value v) {
  std::optional<DequantizedValue> dq = findDequantized(v);
  if (!dq || dq->dequantize.getScales().size() != 1)
    return std::nullopt;
  return Int8Operand{
      replayOnInt8(rewriter, dq->dequantize.getInput(), dq->layoutOps),
      dq->dequantize.getScales()[0], dq->dequantize.getZeroPoints()[0]};
}

/// Replaces `quantize` by `replacement`, which inherits its discardable
/// attributes (tags such as prom.point).
void replaceQuantize(PatternRewriter &rewriter, QuantizeOp quantize,
                     Operation *replacement) {
  for (NamedAttribute attr : quantize->getDiscardableAttrs())
    replacement->setAttr(attr.getName(), attr.getValue());
  rewriter.replaceOp(quantize, replacement);
}

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
  DequantizeOp dq = weights.dequantize;
  std::optional<SmallVector<int8_t>> values = getInt8Constant(dq.getInput());
  auto constType = cast<RankedTensorType>(dq.getInput().getType());
  auto seenType = cast<RankedTensorType>(conv->getOperand(1).getType());
  if (!values || !constType.hasStaticShape() || seenType.getRank() != 4 ||
      llvm::any_of(dq.getZeroPoints(), [](int32_t z) { return z != 0; }))
    return std::nullopt;

  TaggedTensor tagged{SmallVector<int64_t>(constType.getShape()),
                      std::move(*values),
                      SmallVector<int64_t>(constType.getNumElements(), 0)};
  if (std::optional<int64_t> axis = dq.getAxis()) {
    int64_t inner = 1;
    for (int64_t d = *axis + 1; d < constType.getRank(); ++d)
      inner *= constType.getDimSize(d);
    for (auto [e, tag] : llvm::enumerate(tagged.tags))
      tag = (int64_t(e) / inner) % constType.getDimSize(*axis);
  }
  FailureOr<TaggedTensor> seen = applyLayoutOps(tagged, weights.layoutOps);
  if (failed(seen) || ArrayRef(seen->shape) != seenType.getShape())
    return std::nullopt;

  ArrayRef<int64_t> s = seen->shape;
  int64_t outC = depthwise ? s[2] * s[3] : s[0];
  int64_t perChannel = seen->values.size() / outC;
  auto channelOf = [&](int64_t e) {
    return depthwise ? e % outC : e / perChannel;
  };
  ConvWeights w;
  SmallVector<int64_t> channelTag(outC, -1);
  for (auto [e, tag] : llvm::enumerate(seen->tags)) {
    int64_t &expected = channelTag[channelOf(e)];
    if (expected != -1 && expected != tag)
      return std::nullopt; // scale varies within an output channel
    expected = tag;
  }
  ArrayRef<float> scales = dq.getScales();
  for (int64_t tag : channelTag)
    w.scales.push_back(scales[scales.size() == 1 ? 0 : tag]);

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
    SmallVector<int32_t> biasI32;
    for (auto [b, ws] : llvm::zip(*bias, w->scales)) {
      double q = std::round(double(b) / (double(inScale) * double(ws)));
      biasI32.push_back(int32_t(std::clamp(q, -2147483648.0, 2147483647.0)));
    }

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
}
