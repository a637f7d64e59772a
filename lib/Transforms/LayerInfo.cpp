//===- LayerInfo.cpp - what kind of CNN layer an op is --------------------===//

#include "Prom/Transforms/LayerInfo.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::prom;

StringRef mlir::prom::stringifyLayerKind(LayerKind kind) {
  switch (kind) {
  case LayerKind::PointwiseConv:
    return "pointwise";
  case LayerKind::Conv:
    return "conv";
  case LayerKind::DepthwiseConv:
    return "depthwise";
  case LayerKind::MatMul:
    return "matmul";
  }
  llvm_unreachable("unknown LayerKind");
}

/// Pointwise when the two kernel dimensions of `filter` are statically 1.
static LayerKind classifyDense(Value filter, unsigned khDim, unsigned kwDim) {
  auto type = dyn_cast<ShapedType>(filter.getType());
  if (type && type.hasRank() && type.getDimSize(khDim) == 1 &&
      type.getDimSize(kwDim) == 1)
    return LayerKind::PointwiseConv;
  return LayerKind::Conv;
}

std::optional<LayerKind> mlir::prom::classifyFloatLayer(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<LayerKind>>(op)
      // TOSA conv2d weights are [O, KH, KW, I].
      .Case([](tosa::Conv2DOp conv) {
        return classifyDense(conv.getWeight(), 1, 2);
      })
      .Case([](linalg::Conv2DNhwcFhwcOp conv) {
        return classifyDense(conv.getDpsInputs()[1], 1, 2);
      })
      .Case([](linalg::Conv2DNhwcHwcfOp conv) {
        return classifyDense(conv.getDpsInputs()[1], 0, 1);
      })
      .Case<tosa::DepthwiseConv2DOp, linalg::DepthwiseConv2DNhwcHwcOp,
            linalg::DepthwiseConv2DNhwcHwcmOp>(
          [](Operation *) { return LayerKind::DepthwiseConv; })
      .Case<tosa::MatMulOp, linalg::MatmulOp>(
          [](Operation *) { return LayerKind::MatMul; })
      .Default([](Operation *) { return std::nullopt; });
}

std::string mlir::prom::getLayerName(Operation *op) {
  std::string name;
  op->getLoc()->walk([&](Location loc) {
    if (auto named = dyn_cast<NameLoc>(loc)) {
      name = named.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return name;
}

std::optional<BitWidth> mlir::prom::getPlannedBitWidth(Operation *op) {
  if (auto attr = op->getAttrOfType<BitWidthAttr>(kBitWidthAttrName))
    return attr.getValue();
  return std::nullopt;
}

std::optional<int64_t> mlir::prom::getWeightStorageBytes(Operation *layer,
                                                         BitWidth bitWidth) {
  // Every layer kind takes its weights as operand 1 (TOSA and linalg alike)
  // and has its output channels last (NHWC, [M, N]).
  if (layer->getNumOperands() < 2 || layer->getNumResults() != 1)
    return std::nullopt;
  auto weights = dyn_cast<ShapedType>(layer->getOperand(1).getType());
  auto result = dyn_cast<ShapedType>(layer->getResult(0).getType());
  if (!weights || !result || !weights.hasStaticShape() ||
      !result.hasStaticShape() || result.getRank() == 0)
    return std::nullopt;
  int64_t count = weights.getNumElements();
  int64_t scales = 4 * result.getShape().back();
  switch (bitWidth) {
  case BitWidth::Float:
    return 4 * count;
  case BitWidth::Int8:
    return count + scales;
  case BitWidth::Ternary:
    return (count + 3) / 4 + scales;
  }
  llvm_unreachable("unknown BitWidth");
}
