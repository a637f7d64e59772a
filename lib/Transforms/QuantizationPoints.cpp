//===- QuantizationPoints.cpp - activations that get quantized ------------===//

#include "Prom/Transforms/QuantizationPoints.h"

#include "Prom/Transforms/LayerInfo.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "llvm/ADT/SetVector.h"

#include <cmath>

using namespace mlir;
using namespace mlir::prom;

static constexpr StringLiteral kRangeAttrName = "prom.range";

static bool isStaticF32Tensor(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.hasStaticShape() && type.getElementType().isF32();
}

/// A layer's result after the activation fused into it: a tosa.clamp that
/// is its only user (ReLU, ReLU6) becomes integer clamp bounds.
static Value activated(Value result) {
  if (result.hasOneUse())
    if (auto clamp = dyn_cast<tosa::ClampOp>(*result.getUsers().begin()))
      return clamp.getOutput();
  return result;
}

/// A classifier's result: the importer writes Gemm as tosa.matmul on
/// [1, M, K] x [1, K, N], a reshape to [M, N] and a bias add.
static Value classifierResult(Value matmul) {
  if (!matmul.hasOneUse())
    return matmul;
  auto reshape = dyn_cast<tosa::ReshapeOp>(*matmul.getUsers().begin());
  if (!reshape)
    return matmul;
  Value result = reshape.getOutput();
  if (result.hasOneUse())
    if (auto add = dyn_cast<tosa::AddOp>(*result.getUsers().begin()))
      if (add.getInput1().getDefiningOp<tosa::ConstOp>() ||
          add.getInput2().getDefiningOp<tosa::ConstOp>())
        return add.getOutput();
  return result;
}

SmallVector<Value> mlir::prom::collectQuantizationPoints(func::FuncOp fn) {
  llvm::SetVector<Value> points;
  auto add = [&](Value v) {
    if (isStaticF32Tensor(v))
      points.insert(v);
  };
  fn.walk([&](Operation *op) {
    if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp>(op)) {
      std::optional<BitWidth> plan = getPlannedBitWidth(op);
      if (!plan || *plan == BitWidth::Float)
        return;
      add(op->getOperand(0));
      add(activated(op->getResult(0)));
    } else if (isa<tosa::MatMulOp>(op)) {
      std::optional<BitWidth> plan = getPlannedBitWidth(op);
      if (!plan || *plan == BitWidth::Float)
        return;
      add(op->getOperand(0));
      add(activated(classifierResult(op->getResult(0))));
    } else if (auto sum = dyn_cast<tosa::AddOp>(op)) {
      if (points.contains(sum.getInput1()) &&
          points.contains(sum.getInput2()) &&
          sum.getInput1().getType() == sum.getInput2().getType())
        add(activated(sum.getOutput()));
    } else if (auto pool = dyn_cast<tosa::AvgPool2dOp>(op)) {
      if (points.contains(pool.getInput()))
        add(activated(pool.getOutput()));
    }
  });
  return points.takeVector();
}

FailureOr<std::optional<ActivationRange>> mlir::prom::getRange(Value point) {
  Attribute attr;
  if (auto arg = dyn_cast<BlockArgument>(point)) {
    if (auto fn = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp()))
      attr = fn.getArgAttr(arg.getArgNumber(), kRangeAttrName);
  } else if (cast<OpResult>(point).getResultNumber() == 0) {
    attr = point.getDefiningOp()->getAttr(kRangeAttrName);
  }
  if (!attr)
    return std::optional<ActivationRange>();
  auto values = dyn_cast<DenseF32ArrayAttr>(attr);
  if (!values || values.size() != 2 || !std::isfinite(values[0]) ||
      !std::isfinite(values[1]) || !(values[0] <= values[1]))
    return failure();
  return std::optional<ActivationRange>(ActivationRange{values[0], values[1]});
}

void mlir::prom::setRange(Value point, ActivationRange range) {
  auto attr =
      DenseF32ArrayAttr::get(point.getContext(), {range.min, range.max});
  if (auto arg = dyn_cast<BlockArgument>(point)) {
    if (auto fn = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp()))
      fn.setArgAttr(arg.getArgNumber(), kRangeAttrName, attr);
    return;
  }
  assert(cast<OpResult>(point).getResultNumber() == 0 &&
         "quantization points are the first result of their op");
  point.getDefiningOp()->setAttr(kRangeAttrName, attr);
}
