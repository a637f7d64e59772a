//===- Epilogue.cpp - ops a float kernel computes before its stores -------===//

#include "Prom/Codegen/CPU/Common/Epilogue.h"

#include "Prom/Codegen/CPU/Common/KernelSelection.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"

using namespace mlir;
using namespace mlir::prom;

FailureOr<FloatEpilogue> FloatEpilogue::get(Operation *producer) {
  FloatEpilogue epilogue;
  for (Operation *op = getEpilogue(producer); op; op = getEpilogue(op)) {
    auto clamp = dyn_cast<tosa::ClampOp>(op);
    if (!clamp || !isa<FloatAttr>(clamp.getMinValAttr()) ||
        !isa<FloatAttr>(clamp.getMaxValAttr()) ||
        clamp.getNanMode() != tosa::NanPropagationMode::PROPAGATE)
      return failure();
    epilogue.clamps.push_back(clamp);
  }
  return epilogue;
}

Value FloatEpilogue::apply(ImplicitLocOpBuilder &b, Value v) const {
  auto type = cast<VectorType>(v.getType());
  auto splat = [&](Attribute bound) -> Value {
    return arith::ConstantOp::create(
        b, DenseElementsAttr::get(type, cast<FloatAttr>(bound)));
  };
  for (tosa::ClampOp clamp : clamps)
    v = tosa::clampFloatHelper(b.getLoc(), v, splat(clamp.getMinValAttr()),
                               splat(clamp.getMaxValAttr()), b);
  return v;
}

void FloatEpilogue::replace(PatternRewriter &rewriter, Operation *producer,
                            Value result) const {
  if (clamps.empty()) {
    rewriter.replaceOp(producer, result);
    return;
  }
  rewriter.replaceOp(clamps.back(), result);
  for (tosa::ClampOp clamp : llvm::reverse(ArrayRef(clamps).drop_back()))
    rewriter.eraseOp(clamp);
  rewriter.eraseOp(producer);
}
