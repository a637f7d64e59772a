//===- HasteOperands.cpp - what a conv brings to its HASTE form -----------===//

#include "HasteOperands.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Utils/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::prom;

/// linalg.generic applying `fn` elementwise to `input` (any rank).
static Value mapElements(ImplicitLocOpBuilder &b, Value input, Type element,
                         function_ref<Value(OpBuilder &, Location, Value)> fn) {
  auto type = cast<RankedTensorType>(input.getType());
  auto resultType = RankedTensorType::get(type.getShape(), element);
  Value empty = tensor::EmptyOp::create(b, resultType, ValueRange{});
  AffineMap id = b.getMultiDimIdentityMap(type.getRank());
  return linalg::GenericOp::create(
             b, resultType, ValueRange{input}, ValueRange{empty},
             ArrayRef<AffineMap>{id, id},
             SmallVector<utils::IteratorType>(type.getRank(),
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nested, Location loc, ValueRange args) {
               linalg::YieldOp::create(nested, loc, fn(nested, loc, args[0]));
             })
      .getResult(0);
}

haste::ConvOperands haste::operandsOf(ImplicitLocOpBuilder &b,
                                      Operation *conv) {
  auto outType = cast<RankedTensorType>(conv->getResult(0).getType());
  if (auto f = dyn_cast<tosa::Conv2DOp>(conv))
    return {f.getInput(),   f.getWeight(), f.getBias(),
            b.getF32Type(), outType,       nullptr};
  float inScale, outScale;
  int32_t inZp, outZp;
  ArrayRef<float> weightScales;
  std::optional<ArrayRef<int32_t>> clamp;
  Value bias;
  if (auto c = dyn_cast<Conv2DOp>(conv)) {
    inScale = c.getInputScale().convertToFloat(), inZp = c.getInputZp();
    outScale = c.getOutputScale().convertToFloat(), outZp = c.getOutputZp();
    weightScales = c.getWeightScales(), clamp = c.getClamp();
    bias = c.getBias();
  } else {
    auto t = cast<TernaryConv2DOp>(conv);
    inScale = t.getInputScale().convertToFloat(), inZp = t.getInputZp();
    outScale = t.getOutputScale().convertToFloat(), outZp = t.getOutputZp();
    weightScales = t.getWeightScales(), clamp = t.getClamp();
    bias = t.getBias();
  }
  Type i32 = b.getI32Type();
  Value x = mapElements(
      b, conv->getOperand(0), i32, [&](OpBuilder &nb, Location loc, Value v) {
        Value wide = arith::ExtSIOp::create(nb, loc, i32, v);
        Value zp = arith::ConstantIntOp::create(nb, loc, i32, inZp);
        return arith::SubIOp::create(nb, loc, wide, zp).getResult();
      });
  Value w = mapElements(
      b, conv->getOperand(1), i32, [&](OpBuilder &nb, Location loc, Value v) {
        return arith::ExtSIOp::create(nb, loc, i32, v).getResult();
      });
  SmallVector<double> scales;
  for (float ws : weightScales)
    scales.push_back(requantScale(inScale, ws, outScale));
  DenseI32ArrayAttr clampAttr =
      clamp ? b.getDenseI32ArrayAttr(*clamp) : DenseI32ArrayAttr();
  auto finish = [=](ImplicitLocOpBuilder &b, Value acc) -> Value {
    auto accType = cast<RankedTensorType>(acc.getType());
    return RescaleOp::create(
        b, RankedTensorType::get(accType.getShape(), b.getI8Type()), acc,
        b.getI32IntegerAttr(0), b.getDenseF64ArrayAttr(scales),
        b.getI64IntegerAttr(3), b.getI32IntegerAttr(outZp), clampAttr);
  };
  return {x, w, bias, i32, outType, finish};
}
