//===- LoweringUtils.cpp - pieces shared by the prom reference lowering ---===//

#include "Prom/Conversion/PromToLinalg/LoweringUtils.h"

#include "Prom/Utils/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

Value lowering::createI32Tensor(ImplicitLocOpBuilder &b,
                                ArrayRef<int32_t> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    b.getI32Type());
  return arith::ConstantOp::create(b, DenseIntElementsAttr::get(type, values));
}

FailureOr<FixedPointTensors>
lowering::createFixedPointTensors(ImplicitLocOpBuilder &b,
                                  ArrayRef<double> scales) {
  SmallVector<int32_t> multipliers, shifts;
  for (double scale : scales) {
    std::optional<FixedPointScale> fp = computeFixedPointScale(scale);
    if (!fp)
      return failure();
    multipliers.push_back(fp->multiplier);
    shifts.push_back(fp->shift);
  }
  return FixedPointTensors{createI32Tensor(b, multipliers),
                           createI32Tensor(b, shifts)};
}

/// `type`'s shape (scalar or vector) with element type `element`.
static Type withElementType(Type type, Type element) {
  if (auto vector = dyn_cast<VectorType>(type))
    return vector.clone(element);
  return element;
}

/// An i64 constant shaped like `like` (a splat for vectors).
static Value i64Like(ImplicitLocOpBuilder &b, Value like, int64_t value) {
  return createScalarOrSplatConstant(
      b, b.getLoc(), withElementType(like.getType(), b.getI64Type()), value);
}

/// A constant of `like`'s type (a splat for vectors).
static Value constantLike(ImplicitLocOpBuilder &b, Value like, int64_t value) {
  return createScalarOrSplatConstant(b, b.getLoc(), like.getType(), value);
}

Value lowering::roundingShiftRight(ImplicitLocOpBuilder &b, Value q, Value s) {
  Value one = i64Like(b, q, 1);
  Value half = arith::ShLIOp::create(b, one, arith::SubIOp::create(b, s, one));
  // Ties away from zero: a negative value loses one before the shift.
  Value zero = i64Like(b, q, 0);
  Value negative = arith::CmpIOp::create(b, arith::CmpIPredicate::slt, q, zero);
  Value bias = arith::SubIOp::create(
      b, half, arith::ExtUIOp::create(b, q.getType(), negative));
  return arith::ShRSIOp::create(b, arith::AddIOp::create(b, q, bias), s);
}

Value lowering::applyFixedPoint(ImplicitLocOpBuilder &b, Value p, Value m,
                                Value s) {
  Type i64 = p.getType();
  Value product =
      arith::MulIOp::create(b, p, arith::ExtSIOp::create(b, i64, m));
  return roundingShiftRight(b, product, arith::ExtSIOp::create(b, i64, s));
}

Value lowering::addZeroPointAndClamp(ImplicitLocOpBuilder &b, Value v,
                                     int64_t zp, int64_t lo, int64_t hi) {
  Value shifted = arith::AddIOp::create(b, v, constantLike(b, v, zp));
  Value clamped = arith::MinSIOp::create(
      b, arith::MaxSIOp::create(b, shifted, constantLike(b, v, lo)),
      constantLike(b, v, hi));
  return arith::TruncIOp::create(b, withElementType(v.getType(), b.getI8Type()),
                                 clamped);
}

Value lowering::createAccumulator(ImplicitLocOpBuilder &b,
                                  ArrayRef<int64_t> shape, Value bias,
                                  ValueRange dynamicSizes) {
  auto accType = RankedTensorType::get(shape, b.getI32Type());
  Value empty = tensor::EmptyOp::create(b, accType, dynamicSizes);
  if (!bias) {
    Value zero = arith::ConstantIntOp::create(b, b.getI32Type(), 0);
    return linalg::FillOp::create(b, zero, empty).getResult(0);
  }
  int64_t rank = shape.size();
  return createElementwise(
      b, accType, empty, {bias},
      {AffineMap::get(rank, 0, b.getAffineDimExpr(rank - 1))},
      [](ImplicitLocOpBuilder &, ValueRange args) { return args[0]; });
}

FailureOr<Value> lowering::requantize(ImplicitLocOpBuilder &b, Operation *op,
                                      Value acc, RankedTensorType outputType,
                                      float inputScale,
                                      ArrayRef<float> weightScales,
                                      float outputScale, int64_t outputZp,
                                      std::pair<int32_t, int32_t> clamp) {
  SmallVector<double> scales;
  for (float weightScale : weightScales)
    scales.push_back(requantScale(inputScale, weightScale, outputScale));
  FailureOr<FixedPointTensors> fp = createFixedPointTensors(b, scales);
  if (failed(fp))
    return notLowerable(op, "a requantization scale is out of range");
  int64_t rank = outputType.getRank();
  AffineMap channel = AffineMap::get(rank, 0, b.getAffineDimExpr(rank - 1));
  Value empty = createEmptyLike(b, outputType, acc);
  return createElementwise(
      b, outputType, empty, {acc, fp->multipliers, fp->shifts},
      {b.getMultiDimIdentityMap(rank), channel, channel},
      [&](ImplicitLocOpBuilder &b, ValueRange args) -> Value {
        Value acc64 = arith::ExtSIOp::create(b, b.getI64Type(), args[0]);
        return addZeroPointAndClamp(b,
                                    applyFixedPoint(b, acc64, args[1], args[2]),
                                    outputZp, clamp.first, clamp.second);
      });
}

Value lowering::keepStridedPixels(ImplicitLocOpBuilder &b, Value x,
                                  ArrayRef<int64_t> out,
                                  ArrayRef<int64_t> stride) {
  if (stride[0] == 1 && stride[1] == 1)
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> sizes = {out[0], out[1], out[2], type.getDimSize(3)};
  return tensor::ExtractSliceOp::create(
      b, RankedTensorType::get(sizes, type.getElementType()), x, ValueRange{},
      ValueRange{}, ValueRange{}, b.getDenseI64ArrayAttr({0, 0, 0, 0}),
      b.getDenseI64ArrayAttr(sizes),
      b.getDenseI64ArrayAttr({1, stride[0], stride[1], 1}));
}

Value lowering::createEmptyLike(ImplicitLocOpBuilder &b, RankedTensorType type,
                                Value like) {
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(tensor::DimOp::create(b, like, d));
  return tensor::EmptyOp::create(b, type.getShape(), type.getElementType(),
                                 dynamicSizes);
}

Value lowering::createFilled(ImplicitLocOpBuilder &b, RankedTensorType type,
                             ValueRange dynamicSizes, Value value) {
  if (!value)
    value = arith::ConstantOp::create(b, b.getZeroAttr(type.getElementType()));
  Value empty = tensor::EmptyOp::create(b, type, dynamicSizes);
  return linalg::FillOp::create(b, value, empty).getResult(0);
}

Value lowering::createElementwise(
    ImplicitLocOpBuilder &b, RankedTensorType resultType, Value init,
    ValueRange inputs, ArrayRef<AffineMap> maps,
    function_ref<Value(ImplicitLocOpBuilder &, ValueRange)> body) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> indexingMaps(maps);
  indexingMaps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, resultType, inputs, init, indexingMaps, iterators,
      [&](OpBuilder &nested, Location loc, ValueRange args) {
        ImplicitLocOpBuilder ib(loc, nested);
        linalg::YieldOp::create(ib, body(ib, args));
      });
  return generic.getResult(0);
}

AffineMap lowering::perAxisMap(MLIRContext *ctx, int64_t rank,
                               std::optional<int64_t> axis) {
  if (axis)
    return AffineMap::get(rank, 0, getAffineDimExpr(*axis, ctx));
  return AffineMap::get(rank, 0, getAffineConstantExpr(0, ctx));
}

LogicalResult lowering::notLowerable(Operation *op, const Twine &why) {
  return op->emitOpError() << "cannot be lowered by convert-prom-to-linalg: "
                           << why;
}

FailureOr<RankedTensorType> lowering::getRankedResultType(Operation *op) {
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type)
    return notLowerable(op, "unranked tensors are not supported");
  return type;
}
