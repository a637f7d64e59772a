//===- LowerElementwise.cpp - quantize, rescale, add, clamp, table, concat ===//

#include "Prom/Conversion/PromToLinalg/PromToLinalg.h"

#include "Prom/Conversion/PromToLinalg/LoweringUtils.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Utils/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

Value createF32Tensor(ImplicitLocOpBuilder &b, ArrayRef<float> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    b.getF32Type());
  return arith::ConstantOp::create(b, DenseFPElementsAttr::get(type, values));
}

/// prom.quantize / prom.dequantize: an elementwise op whose body sees each
/// element with the scale and zero point of its index along the axis.
template <typename OpTy>
FailureOr<Value> lowerAffineQuantization(
    ImplicitLocOpBuilder &b, OpTy op,
    function_ref<Value(ImplicitLocOpBuilder &, Value x, Value scale, Value zp)>
        body) {
  FailureOr<RankedTensorType> type = getRankedResultType(op);
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  AffineMap param = perAxisMap(b.getContext(), rank, op.getAxis());
  return createElementwise(b, *type, createEmptyLike(b, *type, op.getInput()),
                           {op.getInput(), createF32Tensor(b, op.getScales()),
                            createI32Tensor(b, op.getZeroPoints())},
                           {b.getMultiDimIdentityMap(rank), param, param},
                           [&](ImplicitLocOpBuilder &b, ValueRange args) {
                             return body(b, args[0], args[1], args[2]);
                           });
}

struct LowerQuantize : LoweringPattern<QuantizeOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b,
                         QuantizeOp op) const override {
    return lowerAffineQuantization(
        b, op,
        [](ImplicitLocOpBuilder &b, Value x, Value scale, Value zp) -> Value {
          FloatType f32 = b.getF32Type();
          Value scaled =
              math::RoundEvenOp::create(b, arith::DivFOp::create(b, x, scale));
          Value shifted = arith::AddFOp::create(
              b, scaled, arith::SIToFPOp::create(b, f32, zp));
          // maxnumf/minnumf: NaN becomes the lower bound, -128.
          Value lo = arith::ConstantFloatOp::create(b, f32, APFloat(-128.0f));
          Value hi = arith::ConstantFloatOp::create(b, f32, APFloat(127.0f));
          Value clamped = arith::MinNumFOp::create(
              b, arith::MaxNumFOp::create(b, shifted, lo), hi);
          return arith::FPToSIOp::create(b, b.getI8Type(), clamped);
        });
  }
};

struct LowerDequantize : LoweringPattern<DequantizeOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b,
                         DequantizeOp op) const override {
    return lowerAffineQuantization(
        b, op,
        [](ImplicitLocOpBuilder &b, Value x, Value scale, Value zp) -> Value {
          Value centered = arith::SubIOp::create(
              b, arith::ExtSIOp::create(b, b.getI32Type(), x), zp);
          return arith::MulFOp::create(
              b, arith::SIToFPOp::create(b, b.getF32Type(), centered), scale);
        });
  }
};

struct LowerRescale : LoweringPattern<RescaleOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b, RescaleOp op) const override {
    FailureOr<RankedTensorType> type = getRankedResultType(op);
    if (failed(type))
      return failure();
    FailureOr<FixedPointTensors> fp =
        createFixedPointTensors(b, op.getScales());
    if (failed(fp))
      return notLowerable(op, "a scale is out of fixed-point range");
    int64_t rank = type->getRank();
    AffineMap param = perAxisMap(b.getContext(), rank, op.getAxis());
    int64_t inputZp = op.getInputZp(), outputZp = op.getOutputZp();
    std::pair<int32_t, int32_t> bounds = op.getClampBounds();
    int64_t lo = bounds.first, hi = bounds.second;
    Value result = createElementwise(
        b, *type, createEmptyLike(b, *type, op.getInput()),
        {op.getInput(), fp->multipliers, fp->shifts},
        {b.getMultiDimIdentityMap(rank), param, param},
        [&](ImplicitLocOpBuilder &b, ValueRange args) -> Value {
          Type i64 = b.getI64Type();
          Value centered = arith::SubIOp::create(
              b, arith::ExtSIOp::create(b, i64, args[0]),
              arith::ConstantIntOp::create(b, i64, inputZp));
          return addZeroPointAndClamp(
              b, applyFixedPoint(b, centered, args[1], args[2]), outputZp, lo,
              hi);
        });
    return result;
  }
};

struct LowerAdd : LoweringPattern<AddOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b, AddOp op) const override {
    FailureOr<RankedTensorType> type = getRankedResultType(op);
    if (failed(type))
      return failure();
    double outputScale = op.getOutputScale().convertToDouble();
    double ratios[] = {op.getLhsScale().convertToDouble() / outputScale,
                       op.getRhsScale().convertToDouble() / outputScale};
    std::optional<FixedPointScales> fp = computeFixedPointScales(ratios);
    if (!fp)
      return notLowerable(op, "input scale ratios out of fixed-point range");
    int64_t rank = type->getRank();
    AffineMap id = b.getMultiDimIdentityMap(rank);
    int64_t lhsZp = op.getLhsZp(), rhsZp = op.getRhsZp();
    int64_t outputZp = op.getOutputZp();
    std::pair<int32_t, int32_t> bounds = op.getClampBounds();
    int64_t lo = bounds.first, hi = bounds.second;
    Value result = createElementwise(
        b, *type, createEmptyLike(b, *type, op.getLhs()),
        {op.getLhs(), op.getRhs()}, {id, id},
        [&](ImplicitLocOpBuilder &b, ValueRange args) -> Value {
          Type i64 = b.getI64Type();
          auto term = [&](Value x, int64_t zp, int32_t m) -> Value {
            Value centered =
                arith::SubIOp::create(b, arith::ExtSIOp::create(b, i64, x),
                                      arith::ConstantIntOp::create(b, i64, zp));
            return arith::MulIOp::create(
                b, centered, arith::ConstantIntOp::create(b, i64, m));
          };
          Value sum =
              arith::AddIOp::create(b, term(args[0], lhsZp, fp->multipliers[0]),
                                    term(args[1], rhsZp, fp->multipliers[1]));
          Value shifted = roundingShiftRight(
              b, sum, arith::ConstantIntOp::create(b, i64, fp->shift));
          return addZeroPointAndClamp(b, shifted, outputZp, lo, hi);
        });
    return result;
  }
};

struct LowerClamp : LoweringPattern<ClampOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b, ClampOp op) const override {
    FailureOr<RankedTensorType> type = getRankedResultType(op);
    if (failed(type))
      return failure();
    int64_t lo = op.getMin(), hi = op.getMax();
    Value result = createElementwise(
        b, *type, createEmptyLike(b, *type, op.getInput()), {op.getInput()},
        {b.getMultiDimIdentityMap(type->getRank())},
        [&](ImplicitLocOpBuilder &b, ValueRange args) -> Value {
          Type i8 = b.getI8Type();
          return arith::MinSIOp::create(
              b,
              arith::MaxSIOp::create(b, args[0],
                                     arith::ConstantIntOp::create(b, i8, lo)),
              arith::ConstantIntOp::create(b, i8, hi));
        });
    return result;
  }
};

struct LowerTable : LoweringPattern<TableOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b, TableOp op) const override {
    FailureOr<RankedTensorType> type = getRankedResultType(op);
    if (failed(type))
      return failure();
    auto tableType = RankedTensorType::get({256}, b.getI8Type());
    Value table = arith::ConstantOp::create(
        b, DenseIntElementsAttr::get(tableType, op.getTable()));
    Value result = createElementwise(
        b, *type, createEmptyLike(b, *type, op.getInput()), {op.getInput()},
        {b.getMultiDimIdentityMap(type->getRank())},
        [&](ImplicitLocOpBuilder &b, ValueRange args) -> Value {
          Value offset = arith::AddIOp::create(
              b, arith::ExtSIOp::create(b, b.getI32Type(), args[0]),
              arith::ConstantIntOp::create(b, b.getI32Type(), 128));
          Value index = arith::IndexCastOp::create(b, b.getIndexType(), offset);
          return tensor::ExtractOp::create(b, table, index);
        });
    return result;
  }
};

/// x + y on index values, folded when both are constants.
OpFoldResult addIndices(ImplicitLocOpBuilder &b, OpFoldResult x,
                        OpFoldResult y) {
  std::optional<int64_t> cx = getConstantIntValue(x);
  std::optional<int64_t> cy = getConstantIntValue(y);
  if (cx && cy)
    return b.getIndexAttr(*cx + *cy);
  return arith::AddIOp::create(
             b, getValueOrCreateConstantIndexOp(b, b.getLoc(), x),
             getValueOrCreateConstantIndexOp(b, b.getLoc(), y))
      .getResult();
}

/// tensor.empty of the result, then one tensor.insert_slice per input at
/// its running offset along the axis.
struct LowerConcat : LoweringPattern<ConcatOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b, ConcatOp op) const override {
    FailureOr<RankedTensorType> type = getRankedResultType(op);
    if (failed(type))
      return failure();
    int64_t axis = op.getAxis();
    SmallVector<OpFoldResult> resultSizes =
        tensor::getMixedSizes(b, b.getLoc(), op.getInputs().front());
    SmallVector<SmallVector<OpFoldResult>> inputSizes;
    OpFoldResult total = b.getIndexAttr(0);
    for (Value input : op.getInputs()) {
      inputSizes.push_back(tensor::getMixedSizes(b, b.getLoc(), input));
      total = addIndices(b, total, inputSizes.back()[axis]);
    }
    resultSizes[axis] = total;
    Value result =
        tensor::EmptyOp::create(b, resultSizes, type->getElementType());
    SmallVector<OpFoldResult> offsets(type->getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(type->getRank(), b.getIndexAttr(1));
    for (auto [input, sizes] : llvm::zip(op.getInputs(), inputSizes)) {
      result = tensor::InsertSliceOp::create(b, input, result, offsets, sizes,
                                             strides);
      offsets[axis] = addIndices(b, offsets[axis], sizes[axis]);
    }
    // The empty op's type may be less static than the declared result.
    if (result.getType() != *type)
      result = tensor::CastOp::create(b, *type, result);
    return result;
  }
};

} // namespace

void mlir::prom::populateLowerPromElementwisePatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerQuantize, LowerDequantize, LowerRescale, LowerAdd,
               LowerClamp, LowerTable, LowerConcat>(patterns.getContext());
}
