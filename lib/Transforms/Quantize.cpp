//===- Quantize.cpp - planned float layers to quantized (QDQ) form
//---------===//
//
// Writes the plan out as QDQ: integer weight constants behind dequantize
// ops, and a quantize/dequantize pair on every quantization point. The
// result means exactly what an imported QDQ model means, so
// prom-qdq-to-integer takes it from there (docs/quantization.md).
//
//===----------------------------------------------------------------------===//

#include "Prom/Transforms/Passes.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"
#include "Prom/Transforms/LayerInfo.h"
#include "Prom/Transforms/QuantizationPoints.h"
#include "Prom/Utils/WeightQuantization.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <cmath>
#include <functional>

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMQUANTIZE
#include "Prom/Transforms/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;

namespace {

/// Asymmetric int8 parameters whose range covers `range` and zero (so that
/// zero padding is exact).
std::pair<float, int32_t> activationParameters(ActivationRange range) {
  double lo = std::min(double(range.min), 0.0);
  double hi = std::max(double(range.max), 0.0);
  double scale = (hi - lo) / 255.0;
  if (!(scale > 0) || !std::isfinite(float(scale)) || float(scale) == 0)
    return {1.0f, -128};
  double zp = std::round(-128.0 - lo / scale);
  return {float(scale), int32_t(std::clamp(zp, -128.0, 127.0))};
}

/// How a layer's weights are laid out per output channel, and the shape of
/// the integer constant that holds them (depthwise channels span the last
/// two dims [KH, KW, C, M]; the constant keeps them as one axis, for a
/// per-axis dequantize, and a reshape restores the layer's shape).
struct WeightLayout {
  int64_t channels;
  std::function<int64_t(int64_t)> channelOf;
  SmallVector<int64_t> constShape;
  int64_t axis;
};

WeightLayout getWeightLayout(Operation *layer, RankedTensorType type) {
  ArrayRef<int64_t> s = type.getShape();
  if (isa<tosa::DepthwiseConv2DOp>(layer)) {
    int64_t channels = s[2] * s[3];
    return {channels,
            [=](int64_t i) { return i % channels; },
            {s[0], s[1], channels},
            2};
  }
  if (isa<tosa::MatMulOp>(layer)) // [1, K, N]
    return {s[2], [=](int64_t i) { return i % s[2]; }, SmallVector<int64_t>(s),
            2};
  int64_t perChannel = type.getNumElements() / s[0]; // conv2d [O, KH, KW, I]
  return {s[0], [=](int64_t i) { return i / perChannel; },
          SmallVector<int64_t>(s), 0};
}

/// Replaces the float weights (operand 1) of `layer`, a TOSA conv2d,
/// depthwise_conv2d or matmul, by int8 or ternary constants behind a
/// per-output-channel dequantize.
LogicalResult quantizeWeights(Operation *layer, BitWidth plan) {
  Value weight = layer->getOperand(1);
  std::optional<SmallVector<float>> values = getFloatConstant(weight);
  auto type = cast<RankedTensorType>(weight.getType());
  if (!values || !type.hasStaticShape()) {
    layer->emitRemark(
        "weights are not a float constant; the layer stays float");
    return failure();
  }
  WeightLayout layout = getWeightLayout(layer, type);
  QuantizedWeights q =
      plan == BitWidth::Ternary
          ? ternarizeWeights(*values, layout.channels, layout.channelOf)
          : quantizeWeightsInt8(*values, layout.channels, layout.channelOf);

  ImplicitLocOpBuilder b(layer->getLoc(), layer);
  auto constType = RankedTensorType::get(layout.constShape, b.getI8Type());
  Value cst = createConstant(b, b.getLoc(), constType, ArrayRef(q.values));
  SmallVector<int32_t> zeros(layout.channels, 0);
  Value w = DequantizeOp::create(
      b, RankedTensorType::get(layout.constShape, b.getF32Type()), cst,
      b.getDenseF32ArrayAttr(q.scales), b.getDenseI32ArrayAttr(zeros),
      b.getI64IntegerAttr(layout.axis));
  if (constType.getShape() != type.getShape())
    w = tosa::ReshapeOp::create(b, type, w,
                                tosa::getTosaConstShape(b, type.getShape()));
  layer->setOperand(1, w);
  if (weight.use_empty())
    weight.getDefiningOp()->erase();
  return success();
}

struct QuantizePass : prom::impl::PromQuantizeBase<QuantizePass> {
  void runOnOperation() override {
    getOperation()->walk([&](func::FuncOp fn) {
      if (failed(quantize(fn)))
        signalPassFailure();
    });
  }

  LogicalResult quantize(func::FuncOp fn) {
    SmallVector<Value> points = collectQuantizationPoints(fn);
    fn.walk([&](Operation *op) {
      std::optional<BitWidth> plan = getPlannedBitWidth(op);
      if (!plan || *plan == BitWidth::Float)
        return;
      if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::MatMulOp>(op))
        (void)quantizeWeights(op, *plan);
      else
        op->emitRemark() << "prom-quantize does not quantize " << op->getName()
                         << " yet; the layer stays float";
    });

    int64_t unranged = 0;
    for (Value point : points) {
      FailureOr<std::optional<ActivationRange>> range = getRange(point);
      Location loc = point.getLoc();
      if (failed(range))
        return emitError(loc) << "malformed prom.range: expected "
                                 "array<f32: min, max> with min <= max";
      if (!*range) {
        ++unranged;
        continue;
      }
      auto [scale, zp] = activationParameters(**range);
      OpBuilder b(point.getContext());
      b.setInsertionPointAfterValue(point);
      auto type = cast<RankedTensorType>(point.getType());
      Value q = QuantizeOp::create(
          b, loc, RankedTensorType::get(type.getShape(), b.getI8Type()), point,
          b.getDenseF32ArrayAttr({scale}), b.getDenseI32ArrayAttr({zp}),
          /*axis=*/nullptr);
      Value dq =
          DequantizeOp::create(b, loc, type, q, b.getDenseF32ArrayAttr({scale}),
                               b.getDenseI32ArrayAttr({zp}), nullptr);
      if (Operation *def = point.getDefiningOp())
        if (Attribute tag = def->getAttr(kPointAttrName))
          q.getDefiningOp()->setAttr(kPointAttrName, tag);
      point.replaceAllUsesExcept(dq, q.getDefiningOp());
    }
    if (unranged)
      emitWarning(fn.getLoc())
          << unranged << " of " << points.size() << " activations of '"
          << fn.getName()
          << "' have no calibrated range (prom.range) and stay float; run "
             "prom-calibrate first";
    return success();
  }
};

} // namespace
