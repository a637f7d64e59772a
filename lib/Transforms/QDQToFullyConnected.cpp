//===- QDQToFullyConnected.cpp - QDQ classifier as prom.fully_connected ---===//
//
// The ONNX importer turns Gemm / MatMul into tosa.matmul on [1, M, K] x
// [1, K, N], a reshape to [M, N] (or, for a sequence's rows, [1, M, N] as it
// is) and a bias add; quantized, that is
//   quantize((clamp) add((reshape) matmul(dq(x), dq(w)), bias))
// which becomes one prom.fully_connected on int8 values (and a reshape).
//
//===----------------------------------------------------------------------===//

#include "QDQMatch.h"

#include "Prom/Transforms/ConstantValues.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::qdq;

namespace {

/// Symmetric int8 weights of a [1, K, N] matmul operand as [N, K], with one
/// scale per output feature n.
struct FullyConnectedWeights {
  SmallVector<int8_t> values;
  SmallVector<float> scales;
};

std::optional<FullyConnectedWeights>
readWeights(const DequantizedValue &weights, ArrayRef<int64_t> seenShape) {
  std::optional<TaggedTensor> seen = readSymmetricInt8(weights);
  if (!seen || ArrayRef(seen->shape) != seenShape)
    return std::nullopt;

  int64_t k = seenShape[1], n = seenShape[2];
  std::optional<SmallVector<float>> scales = perChannelScales(
      *seen, weights.dequantize, n, [&](int64_t e) { return e % n; });
  if (!scales)
    return std::nullopt; // scale varies within an output feature
  FullyConnectedWeights w;
  w.scales = std::move(*scales);
  w.values.resize(k * n);
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < n; ++j)
      w.values[j * k + i] = seen->values[i * n + j];
  return w;
}

struct MatMulToFullyConnected : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    std::optional<QuantizedResult> r = analyzeQuantize(quantize);
    auto outType = cast<RankedTensorType>(quantize.getOutput().getType());
    if (!r || !outType.hasStaticShape() || outType.getRank() < 2)
      return rewriter.notifyMatchFailure(quantize, "not a matrix result");
    Operation *producer = r->producer;
    std::optional<SmallVector<float>> bias;
    if (auto add = dyn_cast<tosa::AddOp>(producer)) {
      if ((bias = getFloatConstant(add.getInput2())))
        producer = add.getInput1().getDefiningOp();
      else if ((bias = getFloatConstant(add.getInput1())))
        producer = add.getInput2().getDefiningOp();
      else
        return rewriter.notifyMatchFailure(add, "not a bias add");
    }
    // Rank-2 results come through a reshape; [1, M, N] ones (a sequence's
    // rows through a weight) directly.
    auto reshape = dyn_cast_or_null<tosa::ReshapeOp>(producer);
    auto matmul = reshape ? reshape.getInput1().getDefiningOp<tosa::MatMulOp>()
                          : dyn_cast_or_null<tosa::MatMulOp>(producer);
    if (!matmul)
      return rewriter.notifyMatchFailure(quantize, "not a classifier");
    auto aType = cast<RankedTensorType>(matmul.getA().getType());
    auto bType = cast<RankedTensorType>(matmul.getB().getType());
    if (!aType.hasStaticShape() || !bType.hasStaticShape() ||
        aType.getDimSize(0) != 1 || bType.getDimSize(0) != 1)
      return rewriter.notifyMatchFailure(matmul, "batched matmul");
    int64_t m = aType.getDimSize(1), k = aType.getDimSize(2),
            n = bType.getDimSize(2);
    if (outType.getNumElements() != m * n || outType.getShape().back() != n ||
        (bias && int64_t(bias->size()) != n))
      return rewriter.notifyMatchFailure(matmul, "unexpected shapes");

    std::optional<DequantizedValue> input = findDequantized(matmul.getA());
    std::optional<DequantizedValue> weights = findDequantized(matmul.getB());
    if (!input || !weights || input->dequantize.getScales().size() != 1)
      return rewriter.notifyMatchFailure(matmul, "not a QDQ matmul");
    std::optional<FullyConnectedWeights> w =
        readWeights(*weights, bType.getShape());
    if (!w)
      return rewriter.notifyMatchFailure(matmul, "unsupported weights");

    std::optional<Int8Operand> x = int8Operand(rewriter, matmul.getA());
    Location loc = matmul.getLoc();
    ImplicitLocOpBuilder b(loc, rewriter);
    Value x2d =
        tosa::ReshapeOp::create(b, RankedTensorType::get({m, k}, b.getI8Type()),
                                x->value, tosa::getTosaConstShape(b, {m, k}));
    Value wConst =
        createConstant(b, loc, RankedTensorType::get({n, k}, b.getI8Type()),
                       ArrayRef(w->values));
    Value biasConst;
    if (bias)
      biasConst =
          createConstant(b, loc, RankedTensorType::get({n}, b.getI32Type()),
                         ArrayRef(biasToInt32(*bias, x->scale, w->scales)));
    auto fcType = RankedTensorType::get({m, n}, outType.getElementType());
    auto fc = FullyConnectedOp::create(
        b, fcType, x2d, wConst, biasConst, b.getF32FloatAttr(x->scale),
        b.getI32IntegerAttr(x->zp), b.getDenseF32ArrayAttr(w->scales),
        b.getF32FloatAttr(r->scale), b.getI32IntegerAttr(r->zp),
        r->clampAttr(b));
    if (fcType == outType) {
      replaceQuantize(rewriter, quantize, fc);
      return success();
    }
    for (NamedAttribute attr : quantize->getDiscardableAttrs())
      fc->setAttr(attr.getName(), attr.getValue());
    rewriter.replaceOp(quantize,
                       tosa::ReshapeOp::create(
                           b, outType, fc.getResult(),
                           tosa::getTosaConstShape(b, outType.getShape())));
    return success();
  }
};

} // namespace

void qdq::populateQDQFullyConnectedPatterns(RewritePatternSet &patterns) {
  patterns.add<MatMulToFullyConnected>(patterns.getContext());
}
