//===- Epilogue.cpp - ops a float kernel computes before its stores -------===//

#include "Prom/Codegen/CPU/Common/Epilogue.h"

#include "Prom/Codegen/CPU/Common/KernelSelection.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"

using namespace mlir;
using namespace mlir::prom;

/// The operand of `add` that is not `input` (its other operand).
static Value addendOf(tosa::AddOp add, Value input) {
  return add.getInput1() == input ? add.getInput2() : add.getInput1();
}

Value mlir::prom::epilogueInput(Operation *op) {
  if (auto clamp = dyn_cast<tosa::ClampOp>(op))
    return clamp.getInput();
  auto add = dyn_cast<tosa::AddOp>(op);
  if (!add)
    return Value();
  Operation *first = add.getInput1().getDefiningOp();
  Operation *second = add.getInput2().getDefiningOp();
  if (!second || (first && first->getBlock() == second->getBlock() &&
                  second->isBeforeInBlock(first)))
    return add.getInput1();
  return add.getInput2();
}

Operation *mlir::prom::getEpilogue(Operation *op) {
  if (op->getNumResults() != 1 || !op->getResult(0).hasOneUse())
    return nullptr;
  Operation *user = *op->getResult(0).getUsers().begin();
  if (!hasKernel(user, KernelKind::Epilogue) ||
      epilogueInput(user) != op->getResult(0))
    return nullptr;
  return user;
}

KernelAttr mlir::prom::chainKernel(Operation *op) {
  while (op && hasKernel(op, KernelKind::Epilogue)) {
    Value input = epilogueInput(op);
    op = input ? input.getDefiningOp() : nullptr;
  }
  return op ? getKernel(op) : KernelAttr();
}

bool mlir::prom::canBeEpilogue(Operation *op, Operation *producer,
                               int64_t lanes) {
  if (producer->getNumResults() != 1 || !producer->getResult(0).hasOneUse())
    return false;
  Value input = producer->getResult(0);
  auto type = dyn_cast<RankedTensorType>(input.getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isF32() ||
      op->getNumResults() != 1 || op->getResult(0).getType() != type)
    return false;
  if (auto clamp = dyn_cast<tosa::ClampOp>(op))
    return isa<FloatAttr>(clamp.getMinValAttr()) &&
           isa<FloatAttr>(clamp.getMaxValAttr()) &&
           clamp.getNanMode() == tosa::NanPropagationMode::PROPAGATE;
  if (auto add = dyn_cast<tosa::AddOp>(op))
    return add.getInput1() != add.getInput2() &&
           addendOf(add, input).getType() == type && lanes > 0 &&
           type.getShape().back() % lanes == 0;
  return false;
}

FailureOr<FloatEpilogue> FloatEpilogue::get(Operation *producer,
                                            int64_t lanes) {
  FloatEpilogue epilogue;
  for (Operation *op = getEpilogue(producer); op; op = getEpilogue(op)) {
    if (!canBeEpilogue(op, producer, lanes))
      return failure();
    Value input = producer->getResult(0);
    Step step{op, Value(), false};
    if (auto add = dyn_cast<tosa::AddOp>(op)) {
      step.chainIsFirst = add.getInput1() == input;
      step.addend = addendOf(add, input);
      epilogue.addendTensors.push_back(step.addend);
    }
    epilogue.steps.push_back(step);
    producer = op;
  }
  return epilogue;
}

Value FloatEpilogue::apply(ImplicitLocOpBuilder &b, Value v,
                           function_ref<Value(Value addend)> read) const {
  auto type = cast<VectorType>(v.getType());
  auto splat = [&](Attribute bound) -> Value {
    return arith::ConstantOp::create(
        b, DenseElementsAttr::get(type, cast<FloatAttr>(bound)));
  };
  for (const Step &step : steps) {
    if (auto clamp = dyn_cast<tosa::ClampOp>(step.op)) {
      v = tosa::clampFloatHelper(b.getLoc(), v, splat(clamp.getMinValAttr()),
                                 splat(clamp.getMaxValAttr()), b);
      continue;
    }
    Value addend = read(step.addend);
    v = step.chainIsFirst ? arith::AddFOp::create(b, v, addend)
                          : arith::AddFOp::create(b, addend, v);
  }
  return v;
}

void FloatEpilogue::replace(PatternRewriter &rewriter, Operation *producer,
                            Value result) const {
  if (steps.empty()) {
    rewriter.replaceOp(producer, result);
    return;
  }
  rewriter.replaceOp(steps.back().op, result);
  for (const Step &step : llvm::reverse(ArrayRef(steps).drop_back()))
    rewriter.eraseOp(step.op);
  rewriter.eraseOp(producer);
}
