//===- QDQMatch.cpp - reading QDQ chains for prom-qdq-to-integer ----------===//

#include "QDQMatch.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"

#include <cmath>

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::qdq;

std::optional<DequantizedValue> qdq::findDequantized(Value v) {
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

std::optional<TaggedTensor> qdq::readSymmetricInt8(const DequantizedValue &v) {
  DequantizeOp dq = v.dequantize;
  std::optional<SmallVector<int8_t>> values = getInt8Constant(dq.getInput());
  auto type = cast<RankedTensorType>(dq.getInput().getType());
  if (!values || !type.hasStaticShape() ||
      llvm::any_of(dq.getZeroPoints(), [](int32_t z) { return z != 0; }))
    return std::nullopt;
  TaggedTensor tagged{SmallVector<int64_t>(type.getShape()), std::move(*values),
                      SmallVector<int64_t>(type.getNumElements(), 0)};
  if (std::optional<int64_t> axis = dq.getAxis()) {
    int64_t inner = 1;
    for (int64_t d = *axis + 1; d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
    for (auto [e, tag] : llvm::enumerate(tagged.tags))
      tag = (int64_t(e) / inner) % type.getDimSize(*axis);
  }
  FailureOr<TaggedTensor> seen = applyLayoutOps(std::move(tagged), v.layoutOps);
  if (failed(seen))
    return std::nullopt;
  return std::move(*seen);
}

std::optional<SmallVector<float>>
qdq::perChannelScales(const TaggedTensor &weights, DequantizeOp dequantize,
                      int64_t channels,
                      function_ref<int64_t(int64_t)> channelOf) {
  SmallVector<int64_t> channelTag(channels, -1);
  for (auto [e, tag] : llvm::enumerate(weights.tags)) {
    int64_t &expected = channelTag[channelOf(e)];
    if (expected != -1 && expected != tag)
      return std::nullopt;
    expected = tag;
  }
  ArrayRef<float> scales = dequantize.getScales();
  SmallVector<float> result;
  for (int64_t tag : channelTag)
    result.push_back(scales[scales.size() == 1 ? 0 : tag]);
  return result;
}

/// Re-creates `ops` (a chain of layout ops) on `value`, with i8 results.
static Value replayOnInt8(PatternRewriter &rewriter, Value value,
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
static int32_t quantizeBound(double v, double scale, int32_t zp) {
  double q = std::round(v / scale) + zp;
  return int32_t(std::clamp(q, -128.0, 127.0));
}

DenseI32ArrayAttr qdq::QuantizedResult::clampAttr(Builder &b) const {
  if (clamp == std::pair<int32_t, int32_t>{-128, 127})
    return nullptr;
  return b.getDenseI32ArrayAttr({clamp.first, clamp.second});
}

std::optional<QuantizedResult> qdq::analyzeQuantize(QuantizeOp quantize) {
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

std::optional<Int8Operand> qdq::int8Operand(PatternRewriter &rewriter,
                                            Value v) {
  std::optional<DequantizedValue> dq = findDequantized(v);
  if (!dq || dq->dequantize.getScales().size() != 1)
    return std::nullopt;
  return Int8Operand{
      replayOnInt8(rewriter, dq->dequantize.getInput(), dq->layoutOps),
      dq->dequantize.getScales()[0], dq->dequantize.getZeroPoints()[0]};
}

void qdq::replaceQuantize(PatternRewriter &rewriter, QuantizeOp quantize,
                          Operation *replacement) {
  for (NamedAttribute attr : quantize->getDiscardableAttrs())
    replacement->setAttr(attr.getName(), attr.getValue());
  rewriter.replaceOp(quantize, replacement);
}

SmallVector<int32_t> qdq::biasToInt32(ArrayRef<float> bias, float inputScale,
                                      ArrayRef<float> weightScales) {
  SmallVector<int32_t> result;
  for (auto [b, ws] : llvm::zip(bias, weightScales)) {
    double q = std::round(double(b) / (double(inputScale) * double(ws)));
    result.push_back(int32_t(std::clamp(q, -2147483648.0, 2147483647.0)));
  }
  return result;
}
