//===- LowerHaste.cpp - haste_buckets and merge_channels ------------------===//
//
// Both ops have data-dependent structure (which channel goes where is known
// only at run time), so they lower to scf loops over tensors rather than to
// linalg.generic; the loops keep the summation order the ops define, which
// is what makes the result reproducible (docs/haste.md).
//
//===----------------------------------------------------------------------===//

#include "Prom/Conversion/PromToLinalg/PromToLinalg.h"

#include "LoweringUtils.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

Value indexConst(ImplicitLocOpBuilder &b, int64_t v) {
  return arith::ConstantIndexOp::create(b, v);
}

/// scf.for from 0 to `ub` carrying `init`; `body(b, iv, args)` returns the
/// values to yield.
ValueRange forLoop(
    ImplicitLocOpBuilder &b, Value ub, ValueRange init,
    function_ref<SmallVector<Value>(ImplicitLocOpBuilder &, Value, ValueRange)>
        body) {
  auto loop = scf::ForOp::create(
      b, indexConst(b, 0), ub, indexConst(b, 1), init,
      [&](OpBuilder &nested, Location loc, Value iv, ValueRange args) {
        ImplicitLocOpBuilder nb(loc, nested);
        scf::YieldOp::create(nb, body(nb, iv, args));
      });
  return loop.getResults();
}

/// Positions run in the outer loops and channels in the inner, contiguous
/// one (NHWC), so the channel loops vectorize; each channel's sums still
/// run over positions in row-major order, as the op defines them, so the
/// result is the same bit for bit as channel-by-channel loops.
struct LowerHasteBuckets : OpRewritePattern<HasteBucketsOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(HasteBucketsOp op,
                                PatternRewriter &rewriter) const override {
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    Value x = op.getInput(), planes = op.getHyperplanes();
    Value zero = indexConst(b, 0), one = indexConst(b, 1);
    Value h = tensor::DimOp::create(b, x, 1),
          w = tensor::DimOp::create(b, x, 2);
    Value c = tensor::DimOp::create(b, x, 3);
    Value l = tensor::DimOp::create(b, planes, 0);
    FloatType f32 = b.getF32Type();
    Type i64 = b.getI64Type(), i8 = b.getI8Type();
    Value positions =
        arith::IndexCastOp::create(b, i64, arith::MulIOp::create(b, h, w));
    Value count = arith::SIToFPOp::create(b, f32, positions);
    Value fzero = arith::ConstantFloatOp::create(b, f32, APFloat(0.0f));

    // Per-channel vectors: [C] of `element`, and x's channels at (i, j).
    int64_t staticC = op.getInput().getType().getDimSize(3);
    Type element = op.getInput().getType().getElementType();
    // i32 inputs (the integer rewrite's zero-point-free values) hash as f32.
    auto asFloat = [&](ImplicitLocOpBuilder &b, Value v) -> Value {
      return isa<FloatType>(v.getType()) ? v
                                         : arith::SIToFPOp::create(b, f32, v);
    };
    auto vectorType = [&](Type element) {
      return RankedTensorType::get({staticC}, element);
    };
    auto filled = [&](Value value) {
      auto type = vectorType(value.getType());
      SmallVector<Value> dynamic;
      if (type.isDynamicDim(0))
        dynamic.push_back(c);
      return linalg::FillOp::create(
                 b, value,
                 tensor::EmptyOp::create(b, type, dynamic).getResult())
          .getResult(0);
    };
    auto pixel = [&](ImplicitLocOpBuilder &b, Value i, Value j) {
      SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0), i, j,
                                           b.getIndexAttr(0)};
      OpFoldResult channels = ShapedType::isDynamic(staticC)
                                  ? OpFoldResult(c)
                                  : OpFoldResult(b.getIndexAttr(staticC));
      SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1), b.getIndexAttr(1),
                                         b.getIndexAttr(1), channels};
      SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
      return tensor::ExtractSliceOp::create(b, vectorType(element), x, offsets,
                                            sizes, strides)
          .getResult();
    };
    AffineMap id = b.getMultiDimIdentityMap(1);
    auto overPositions =
        [&](ImplicitLocOpBuilder &b, Value init,
            function_ref<Value(ImplicitLocOpBuilder &, Value, Value, Value)>
                step) {
          return forLoop(
              b, h, init,
              [&](ImplicitLocOpBuilder &b, Value i, ValueRange acc) {
                return SmallVector<Value>{forLoop(
                    b, w, acc,
                    [&](ImplicitLocOpBuilder &b, Value j, ValueRange acc) {
                      return SmallVector<Value>{step(b, i, j, acc[0])};
                    })[0]};
              })[0];
        };

    // mean[c] = (sum over positions of x[., c]) / (H * W).
    Value sums = overPositions(
        b, filled(fzero),
        [&](ImplicitLocOpBuilder &b, Value i, Value j, Value acc) {
          return createElementwise(
              b, cast<RankedTensorType>(acc.getType()), acc, {pixel(b, i, j)},
              {id}, [&](ImplicitLocOpBuilder &b, ValueRange args) {
                return arith::AddFOp::create(b, args[1], asFloat(b, args[0]))
                    .getResult();
              });
        });
    Value means = createElementwise(
        b, cast<RankedTensorType>(sums.getType()), sums, {}, {},
        [&](ImplicitLocOpBuilder &b, ValueRange args) {
          return arith::DivFOp::create(b, args[0], count).getResult();
        });

    // code[c] |= (dot(plane k, x[., c] - mean[c]) > 0) << k; a zero entry
    // skips the position, -1 subtracts.
    Value codes = forLoop(
        b, l, {filled(arith::ConstantIntOp::create(b, i64, 0))},
        [&](ImplicitLocOpBuilder &b, Value k, ValueRange acc) {
          Value dot = overPositions(
              b, filled(fzero),
              [&](ImplicitLocOpBuilder &b, Value i, Value j, Value d) {
                Value p =
                    arith::AddIOp::create(b, arith::MulIOp::create(b, i, w), j);
                Value e =
                    tensor::ExtractOp::create(b, planes, ValueRange{k, p});
                Value used = arith::CmpIOp::create(
                    b, arith::CmpIPredicate::ne, e,
                    arith::ConstantIntOp::create(b, i8, 0));
                Value minus = arith::CmpIOp::create(
                    b, arith::CmpIPredicate::eq, e,
                    arith::ConstantIntOp::create(b, i8, -1));
                auto update = scf::IfOp::create(
                    b, used,
                    [&](OpBuilder &nested, Location loc) {
                      ImplicitLocOpBuilder nb(loc, nested);
                      Value next = createElementwise(
                          nb, cast<RankedTensorType>(d.getType()), d,
                          {pixel(nb, i, j), means}, {id, id},
                          [&](ImplicitLocOpBuilder &b, ValueRange args) {
                            Value v = arith::SubFOp::create(
                                b, asFloat(b, args[0]), args[1]);
                            Value added = arith::AddFOp::create(b, args[2], v);
                            Value subtracted =
                                arith::SubFOp::create(b, args[2], v);
                            return arith::SelectOp::create(b, minus, subtracted,
                                                           added)
                                .getResult();
                          });
                      scf::YieldOp::create(nb, next);
                    },
                    [&](OpBuilder &nested, Location loc) {
                      scf::YieldOp::create(nested, loc, d);
                    });
                return update.getResult(0);
              });
          Value shift = arith::IndexCastOp::create(b, i64, k);
          return SmallVector<Value>{createElementwise(
              b, cast<RankedTensorType>(acc[0].getType()), acc[0], {dot}, {id},
              [&](ImplicitLocOpBuilder &b, ValueRange args) {
                Value bit = arith::ExtUIOp::create(
                    b, i64,
                    arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, args[0],
                                          fzero));
                return arith::OrIOp::create(
                           b, args[1], arith::ShLIOp::create(b, bit, shift))
                    .getResult();
              })};
        })[0];

    auto bucketsType = op.getBuckets().getType();
    SmallVector<Value> dynamicC;
    if (bucketsType.isDynamicDim(0))
      dynamicC.push_back(c);
    Value buckets0 = tensor::EmptyOp::create(b, bucketsType, dynamicC);
    Value seen0 = tensor::EmptyOp::create(
        b, RankedTensorType::get({ShapedType::kDynamic}, i64), ValueRange{c});

    // Buckets in order of first channel: a linear search over the codes
    // seen so far.
    ValueRange result = forLoop(
        b, c, {buckets0, seen0, zero},
        [&](ImplicitLocOpBuilder &b, Value ch, ValueRange args) {
          Value buckets = args[0], seen = args[1], n = args[2];
          Value code = tensor::ExtractOp::create(b, codes, ch);
          auto search = scf::WhileOp::create(
              b, TypeRange{b.getIndexType()}, ValueRange{zero},
              [&](OpBuilder &nested, Location loc, ValueRange args) {
                ImplicitLocOpBuilder nb(loc, nested);
                Value j = args[0];
                Value inRange =
                    arith::CmpIOp::create(nb, arith::CmpIPredicate::ult, j, n);
                Value safe = arith::SelectOp::create(nb, inRange, j, zero);
                Value other = tensor::ExtractOp::create(nb, seen, safe);
                Value differs = arith::CmpIOp::create(
                    nb, arith::CmpIPredicate::ne, other, code);
                scf::ConditionOp::create(
                    nb, arith::AndIOp::create(nb, inRange, differs), args);
              },
              [&](OpBuilder &nested, Location loc, ValueRange args) {
                ImplicitLocOpBuilder nb(loc, nested);
                scf::YieldOp::create(
                    nb, ValueRange{arith::AddIOp::create(nb, args[0], one)});
              });
          Value j = search.getResult(0);
          Value isNew =
              arith::CmpIOp::create(b, arith::CmpIPredicate::eq, j, n);
          auto record = scf::IfOp::create(
              b, isNew,
              [&](OpBuilder &nested, Location loc) {
                ImplicitLocOpBuilder nb(loc, nested);
                scf::YieldOp::create(
                    nb, ValueRange{tensor::InsertOp::create(nb, code, seen, n)
                                       .getResult()});
              },
              [&](OpBuilder &nested, Location loc) {
                scf::YieldOp::create(nested, loc, seen);
              });
          Value newN = arith::SelectOp::create(
              b, isNew, arith::AddIOp::create(b, n, one), n);
          Value newBuckets = tensor::InsertOp::create(b, j, buckets, ch);
          return SmallVector<Value>{newBuckets, record.getResult(0), newN};
        });
    rewriter.replaceOp(op, {result[0], result[2]});
    return success();
  }
};

struct LowerMergeChannels : LoweringPattern<MergeChannelsOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b,
                         MergeChannelsOp op) const override {
    Value x = op.getInput(), buckets = op.getBuckets(), n = op.getCount();
    RankedTensorType outType = op.getOutput().getType();
    bool isInteger = outType.getElementType().isInteger(32);
    SmallVector<Value> sizes;
    SmallVector<Value> dynamicOut;
    for (int64_t d = 0; d < 3; ++d) {
      sizes.push_back(tensor::DimOp::create(b, x, d));
      if (outType.isDynamicDim(d))
        dynamicOut.push_back(sizes.back());
    }
    dynamicOut.push_back(n);
    Value zero =
        arith::ConstantOp::create(b, b.getZeroAttr(outType.getElementType()));
    Value out = linalg::FillOp::create(
                    b, zero,
                    tensor::EmptyOp::create(b, outType, dynamicOut).getResult())
                    .getResult(0);

    // out[..., buckets[c]] += x[..., c], channel by channel.
    Value channels = tensor::DimOp::create(b, x, 3);
    auto sliceSizes = [&] {
      SmallVector<OpFoldResult> s(sizes.begin(), sizes.end());
      s.push_back(b.getIndexAttr(1));
      return s;
    };
    auto sliceAt = [&](Value channel) {
      SmallVector<OpFoldResult> offsets(3, b.getIndexAttr(0));
      offsets.push_back(channel);
      return offsets;
    };
    SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
    out = forLoop(
        b, channels, {out},
        [&](ImplicitLocOpBuilder &b, Value c, ValueRange acc) {
          Value bucket = tensor::ExtractOp::create(b, buckets, c);
          Value src = tensor::ExtractSliceOp::create(b, x, sliceAt(c),
                                                     sliceSizes(), strides);
          Value dst = tensor::ExtractSliceOp::create(b, acc[0], sliceAt(bucket),
                                                     sliceSizes(), strides);
          auto sliceType = cast<RankedTensorType>(dst.getType());
          Value sum = createElementwise(
              b, sliceType, dst, {src}, {b.getMultiDimIdentityMap(4)},
              [&](ImplicitLocOpBuilder &b, ValueRange args) {
                return isInteger ? arith::AddIOp::create(b, args[1], args[0])
                                       .getResult()
                                 : arith::AddFOp::create(b, args[1], args[0])
                                       .getResult();
              });
          return SmallVector<Value>{tensor::InsertSliceOp::create(
              b, sum, acc[0], sliceAt(bucket), sliceSizes(), strides)};
        })[0];
    if (!op.getAverage())
      return out;

    // Divide each merged channel by the number of channels it holds: f32
    // division, or i32 rounded half away from zero.
    Type element = outType.getElementType();
    auto countsType = RankedTensorType::get({ShapedType::kDynamic}, element);
    Value counts =
        linalg::FillOp::create(
            b, zero, tensor::EmptyOp::create(b, countsType, n).getResult())
            .getResult(0);
    Value unit = isInteger ? Value(arith::ConstantIntOp::create(b, element, 1))
                           : Value(arith::ConstantFloatOp::create(
                                 b, b.getF32Type(), APFloat(1.0f)));
    counts =
        forLoop(b, channels, {counts},
                [&](ImplicitLocOpBuilder &b, Value c, ValueRange acc) {
                  Value bucket = tensor::ExtractOp::create(b, buckets, c);
                  Value old = tensor::ExtractOp::create(b, acc[0], bucket);
                  Value inc =
                      isInteger
                          ? arith::AddIOp::create(b, old, unit).getResult()
                          : arith::AddFOp::create(b, old, unit).getResult();
                  return SmallVector<Value>{
                      tensor::InsertOp::create(b, inc, acc[0], bucket)};
                })[0];
    MLIRContext *ctx = b.getContext();
    AffineMap lastDim = AffineMap::get(4, 0, getAffineDimExpr(3, ctx), ctx);
    return createElementwise(
        b, outType, out, {counts}, {lastDim},
        [&](ImplicitLocOpBuilder &b, ValueRange args) -> Value {
          Value sum = args[1], count = args[0];
          if (!isInteger)
            return arith::DivFOp::create(b, sum, count);
          // q = trunc(sum / count), plus sign(sum) when |2 * rem| >= count.
          Value q = arith::DivSIOp::create(b, sum, count);
          Value r = arith::RemSIOp::create(b, sum, count);
          Value zero = arith::ConstantIntOp::create(b, element, 0);
          Value twiceR = arith::AddIOp::create(b, r, r);
          Value absTwiceR = arith::SelectOp::create(
              b,
              arith::CmpIOp::create(b, arith::CmpIPredicate::slt, twiceR, zero),
              arith::SubIOp::create(b, zero, twiceR), twiceR);
          Value away = arith::CmpIOp::create(b, arith::CmpIPredicate::sge,
                                             absTwiceR, count);
          Value negative =
              arith::CmpIOp::create(b, arith::CmpIPredicate::slt, sum, zero);
          Value step = arith::SelectOp::create(
              b, negative, arith::ConstantIntOp::create(b, element, -1),
              arith::ConstantIntOp::create(b, element, 1));
          return arith::SelectOp::create(b, away,
                                         arith::AddIOp::create(b, q, step), q);
        });
  }
};

} // namespace

void mlir::prom::populateLowerPromHastePatterns(RewritePatternSet &patterns) {
  patterns.add<LowerHasteBuckets, LowerMergeChannels>(patterns.getContext());
}
