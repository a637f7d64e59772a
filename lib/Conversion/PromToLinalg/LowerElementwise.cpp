//===- LowerElementwise.cpp - quantize, rescale, add, clamp, table, concat ===//

#include "Prom/Conversion/PromToLinalg/PromToLinalg.h"

#include "LoweringUtils.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Utils/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

/// The ranked result type of `op`, or failure with a diagnostic.
FailureOr<RankedTensorType> rankedResult(Operation *op) {
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type)
    return notLowerable(op, "unranked tensors are not supported");
  return type;
}

Value createF32Tensor(ImplicitLocOpBuilder &b, ArrayRef<float> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    b.getF32Type());
  return arith::ConstantOp::create(b, DenseFPElementsAttr::get(type, values));
}

struct LowerQuantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = rankedResult(op);
    if (failed(type))
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    int64_t rank = type->getRank();
    AffineMap param = perAxisMap(b.getContext(), rank, op.getAxis());
    Value result = createElementwise(
        b, *type, createEmptyLike(b, *type, op.getInput()),
        {op.getInput(), createF32Tensor(b, op.getScales()),
         createI32Tensor(b, op.getZeroPoints())},
        {b.getMultiDimIdentityMap(rank), param, param},
        [](ImplicitLocOpBuilder &b, ValueRange args) -> Value {
          Type f32 = b.getF32Type();
          Value scaled = math::RoundEvenOp::create(
              b, arith::DivFOp::create(b, args[0], args[1]));
          Value shifted = arith::AddFOp::create(
              b, scaled, arith::SIToFPOp::create(b, f32, args[2]));
          // maxnumf/minnumf: NaN becomes the lower bound, -128.
          Value clamped = arith::MinNumFOp::create(
              b,
              arith::MaxNumFOp::create(
                  b, shifted, arith::ConstantFloatOp::create(
                                  b, b.getF32Type(), APFloat(-128.0f))),
              arith::ConstantFloatOp::create(b, b.getF32Type(),
                                             APFloat(127.0f)));
          return arith::FPToSIOp::create(b, b.getI8Type(), clamped);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerDequantize : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = rankedResult(op);
    if (failed(type))
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    int64_t rank = type->getRank();
    AffineMap param = perAxisMap(b.getContext(), rank, op.getAxis());
    Value result = createElementwise(
        b, *type, createEmptyLike(b, *type, op.getInput()),
        {op.getInput(), createF32Tensor(b, op.getScales()),
         createI32Tensor(b, op.getZeroPoints())},
        {b.getMultiDimIdentityMap(rank), param, param},
        [](ImplicitLocOpBuilder &b, ValueRange args) -> Value {
          Value centered = arith::SubIOp::create(
              b, arith::ExtSIOp::create(b, b.getI32Type(), args[0]), args[2]);
          return arith::MulFOp::create(
              b, arith::SIToFPOp::create(b, b.getF32Type(), centered), args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerRescale : OpRewritePattern<RescaleOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RescaleOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = rankedResult(op);
    if (failed(type))
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    FailureOr<FixedPointTensors> fp = createFixedPointTensors(b, op.getScales());
    if (failed(fp))
      return notLowerable(op, "a scale is out of fixed-point range");
    int64_t rank = type->getRank();
    AffineMap param = perAxisMap(b.getContext(), rank, op.getAxis());
    int64_t inputZp = op.getInputZp(), outputZp = op.getOutputZp();
    auto [lo, hi] = op.getClampBounds();
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
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerAdd : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = rankedResult(op);
    if (failed(type))
      return failure();
    double outputScale = op.getOutputScale().convertToDouble();
    double ratios[] = {op.getLhsScale().convertToDouble() / outputScale,
                       op.getRhsScale().convertToDouble() / outputScale};
    std::optional<FixedPointScales> fp = computeFixedPointScales(ratios);
    if (!fp)
      return notLowerable(op, "input scale ratios out of fixed-point range");
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    int64_t rank = type->getRank();
    AffineMap id = b.getMultiDimIdentityMap(rank);
    int64_t lhsZp = op.getLhsZp(), rhsZp = op.getRhsZp();
    int64_t outputZp = op.getOutputZp();
    auto [lo, hi] = op.getClampBounds();
    Value result = createElementwise(
        b, *type, createEmptyLike(b, *type, op.getLhs()),
        {op.getLhs(), op.getRhs()}, {id, id},
        [&](ImplicitLocOpBuilder &b, ValueRange args) -> Value {
          Type i64 = b.getI64Type();
          auto term = [&](Value x, int64_t zp, int32_t m) -> Value {
            Value centered = arith::SubIOp::create(
                b, arith::ExtSIOp::create(b, i64, x),
                arith::ConstantIntOp::create(b, i64, zp));
            return arith::MulIOp::create(
                b, centered, arith::ConstantIntOp::create(b, i64, m));
          };
          Value sum = arith::AddIOp::create(
              b, term(args[0], lhsZp, fp->multipliers[0]),
              term(args[1], rhsZp, fp->multipliers[1]));
          Value shifted = roundingShiftRight(
              b, sum, arith::ConstantIntOp::create(b, i64, fp->shift));
          return addZeroPointAndClamp(b, shifted, outputZp, lo, hi);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerClamp : OpRewritePattern<ClampOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ClampOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = rankedResult(op);
    if (failed(type))
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
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
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerTable : OpRewritePattern<TableOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TableOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = rankedResult(op);
    if (failed(type))
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
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
          Value index =
              arith::IndexCastOp::create(b, b.getIndexType(), offset);
          return tensor::ExtractOp::create(b, table, index);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerConcat : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = rankedResult(op);
    if (failed(type))
      return failure();
    auto concat = tensor::ConcatOp::create(rewriter, op.getLoc(), *type,
                                           op.getAxis(), op.getInputs());
    // Spelled out as tensor.empty + tensor.insert_slice, which bufferize.
    FailureOr<SmallVector<Value>> decomposed =
        concat.decomposeOperation(rewriter);
    if (failed(decomposed))
      return notLowerable(op, "tensor.concat could not be decomposed");
    rewriter.replaceOp(op, decomposed->front());
    rewriter.eraseOp(concat);
    return success();
  }
};

} // namespace

void mlir::prom::populateLowerPromElementwisePatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerQuantize, LowerDequantize, LowerRescale, LowerAdd,
               LowerClamp, LowerTable, LowerConcat>(patterns.getContext());
}
