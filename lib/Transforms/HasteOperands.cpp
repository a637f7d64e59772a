//===- HasteOperands.cpp - what a conv brings to its HASTE form -----------===//

#include "HasteOperands.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"
#include "Prom/Utils/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace mlir::prom;

/// linalg.generic applying `fn` elementwise to `input` (any rank).
static Value mapElements(ImplicitLocOpBuilder &b, Value input, Type element,
                         function_ref<Value(OpBuilder &, Location, Value)> fn) {
  auto type = cast<RankedTensorType>(input.getType());
  auto resultType = RankedTensorType::get(type.getShape(), element);
  SmallVector<Value> dynamic;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamic.push_back(tensor::DimOp::create(b, input, d));
  Value empty = tensor::EmptyOp::create(b, resultType, dynamic);
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

/// `weights` (OHWI) as HWCF filter slices, so that merging input channels
/// adds whole rows: transposed here when the weights are constants (as in
/// a model), else by a linalg.generic. The merge widens integers, so the
/// slices keep the weights' 8 bits.
static Value filterSlices(ImplicitLocOpBuilder &b, Value weights) {
  auto type = cast<RankedTensorType>(weights.getType());
  Type element = type.getElementType();
  ArrayRef<int64_t> s = type.getShape();
  auto hwcf = RankedTensorType::get({s[1], s[2], s[3], s[0]}, element);
  auto transposed = [&](auto values, auto convert) {
    using T = decltype(convert(values[0]));
    SmallVector<T> out(values.size());
    for (int64_t o = 0; o < s[0]; ++o)
      for (int64_t i = 0; i < s[1] * s[2] * s[3]; ++i)
        out[i * s[0] + o] = convert(values[o * s[1] * s[2] * s[3] + i]);
    // A blob, as the importer stores weights (the printed IR stays short).
    return arith::ConstantOp::create(
        b,
        DenseResourceElementsAttr::get(
            hwcf, "prom_haste_filter",
            HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<T>(out))));
  };
  if (type.hasStaticShape()) {
    if (element.isF32())
      if (std::optional<SmallVector<float>> w = getFloatConstant(weights))
        return transposed(*w, [](float v) { return v; });
    if (std::optional<SmallVector<int8_t>> w = getInt8Constant(weights))
      return transposed(*w, [](int8_t v) { return v; });
  }
  SmallVector<Value> dynamic;
  for (int64_t d : {1, 2, 3, 0})
    if (type.isDynamicDim(d))
      dynamic.push_back(tensor::DimOp::create(b, weights, d));
  Value empty = tensor::EmptyOp::create(b, hwcf, dynamic);
  MLIRContext *ctx = b.getContext();
  AffineMap ohwi =
      AffineMap::get(4, 0,
                     {getAffineDimExpr(3, ctx), getAffineDimExpr(0, ctx),
                      getAffineDimExpr(1, ctx), getAffineDimExpr(2, ctx)},
                     ctx);
  return linalg::GenericOp::create(
             b, hwcf, ValueRange{weights}, ValueRange{empty},
             ArrayRef<AffineMap>{ohwi, b.getMultiDimIdentityMap(4)},
             SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
             [&](OpBuilder &nested, Location loc, ValueRange args) {
               linalg::YieldOp::create(nested, loc, args[0]);
             })
      .getResult(0);
}

/// The largest sum of |w| over one output's input channels (a row of the
/// OHWI weights' last dimension): a bound on any bucket's summed weight.
/// Without known weights, 128 per channel.
static int64_t weightSumBound(Value weights) {
  auto type = cast<RankedTensorType>(weights.getType());
  int64_t channels = type.getShape().back();
  std::optional<SmallVector<int8_t>> w = getInt8Constant(weights);
  if (!w)
    return 128 * channels;
  int64_t bound = 0;
  for (size_t row = 0; row < w->size(); row += channels) {
    int64_t sum = 0;
    for (int64_t c = 0; c < channels; ++c)
      sum += std::abs(int64_t((*w)[row + c]));
    bound = std::max(bound, sum);
  }
  return bound;
}

haste::ConvOperands haste::operandsOf(ImplicitLocOpBuilder &b,
                                      Operation *conv) {
  auto outType = cast<RankedTensorType>(conv->getResult(0).getType());
  if (auto f = dyn_cast<tosa::Conv2DOp>(conv))
    return {f.getInput(), filterSlices(b, f.getWeight()),
            f.getBias(),  b.getF32Type(),
            outType,      nullptr,
            Type(),       b.getF32FloatAttr(0.0f),
            nullptr};
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
  Type narrow = weightSumBound(conv->getOperand(1)) <= 32767
                    ? Type(b.getI16Type())
                    : Type();
  Type centered = narrow ? narrow : i32;
  auto centerMerged = [=](ImplicitLocOpBuilder &b, Value merged) {
    return mapElements(b, merged, centered,
                       [&](OpBuilder &nb, Location loc, Value v) -> Value {
                         Value zp =
                             arith::ConstantIntOp::create(nb, loc, i32, inZp);
                         Value c = arith::SubIOp::create(nb, loc, v, zp);
                         if (centered == i32)
                           return c;
                         return arith::TruncIOp::create(nb, loc, centered, c);
                       });
  };
  return {conv->getOperand(0),
          filterSlices(b, conv->getOperand(1)),
          bias,
          i32,
          outType,
          finish,
          narrow,
          b.getIntegerAttr(b.getI8Type(), inZp),
          centerMerged};
}
