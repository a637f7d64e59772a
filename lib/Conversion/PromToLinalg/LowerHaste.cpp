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
#include "VectorKernels.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

/// scf.for from 0 to `ub` carrying `init`; `body(b, iv, args)` returns the
/// values to yield.
ValueRange forLoop(
    ImplicitLocOpBuilder &b, Value ub, ValueRange init,
    function_ref<SmallVector<Value>(ImplicitLocOpBuilder &, Value, ValueRange)>
        body) {
  auto loop = scf::ForOp::create(
      b, indexConstant(b, 0), ub, indexConstant(b, 1), init,
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
    Value zero = indexConstant(b, 0), one = indexConstant(b, 1);
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
    auto empty = [&](ImplicitLocOpBuilder &b, Type element) -> Value {
      auto type = vectorType(element);
      return tensor::EmptyOp::create(
          b, type, type.isDynamicDim(0) ? ValueRange{c} : ValueRange{});
    };
    auto filled = [&](Value value) {
      return linalg::FillOp::create(b, value, empty(b, value.getType()))
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
    // Loops over the positions (h, w) threading `init`; `step` returns the
    // values after one position.
    auto overPositions =
        [&](ImplicitLocOpBuilder &b, ValueRange init,
            function_ref<SmallVector<Value>(ImplicitLocOpBuilder &, Value,
                                            Value, ValueRange)>
                step) {
          return forLoop(
              b, h, init,
              [&](ImplicitLocOpBuilder &b, Value i, ValueRange acc) {
                return llvm::to_vector(forLoop(
                    b, w, acc,
                    [&](ImplicitLocOpBuilder &b, Value j, ValueRange acc) {
                      return step(b, i, j, acc);
                    }));
              });
        };

    // mean[c] = (sum over positions of x[., c]) / (H * W).
    Value sums = overPositions(
        b, {filled(fzero)},
        [&](ImplicitLocOpBuilder &b, Value i, Value j, ValueRange acc) {
          return SmallVector<Value>{createElementwise(
              b, cast<RankedTensorType>(acc[0].getType()), acc[0],
              {pixel(b, i, j)}, {id},
              [&](ImplicitLocOpBuilder &b, ValueRange args) {
                return arith::AddFOp::create(b, args[1], asFloat(b, args[0]))
                    .getResult();
              })};
        })[0];
    Value means = createElementwise(
        b, cast<RankedTensorType>(sums.getType()), sums, {}, {},
        [&](ImplicitLocOpBuilder &b, ValueRange args) {
          return arith::DivFOp::create(b, args[0], count).getResult();
        });

    // dots[k, c] = sum over positions of plane k's entry times
    // x[., c] - mean[c]. Positions run outer: each centered row is computed
    // once and added to (or, for -1, subtracted from) the rows of the
    // planes that use the position; zero entries skip it. Every dot still
    // sums over positions in row-major order.
    // (Static sizes where known: the in-place updates of a row then match
    // their slices exactly and need no copy.)
    int64_t staticL = op.getHyperplanes().getType().getDimSize(0);
    auto dotsType = RankedTensorType::get({staticL, staticC}, f32);
    SmallVector<Value> dotsSizes;
    if (ShapedType::isDynamic(staticL))
      dotsSizes.push_back(l);
    if (ShapedType::isDynamic(staticC))
      dotsSizes.push_back(c);
    Value dots0 =
        linalg::FillOp::create(
            b, fzero,
            tensor::EmptyOp::create(b, dotsType, dotsSizes).getResult())
            .getResult(0);
    auto planeRow = [&](ImplicitLocOpBuilder &b, Value k) {
      SmallVector<OpFoldResult> offsets = {k, b.getIndexAttr(0)};
      SmallVector<OpFoldResult> sizes = {
          b.getIndexAttr(1), ShapedType::isDynamic(staticC)
                                 ? OpFoldResult(c)
                                 : OpFoldResult(b.getIndexAttr(staticC))};
      SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
      return std::make_tuple(offsets, sizes, strides);
    };
    // The planes' nonzero entries by position (column q of the planes):
    // entries[starts[q] .. starts[q + 1]) hold 2 * k + (entry < 0) for each
    // plane k that uses q, in increasing k. Built without branches (an
    // entry is always written, the count advances only for a nonzero), so
    // that the hashing loop below has none on the planes' random pattern.
    Type i32 = b.getI32Type();
    Value planeLength = tensor::DimOp::create(b, planes, 1);
    Value starts0 = tensor::EmptyOp::create(
        b, RankedTensorType::get({ShapedType::kDynamic}, b.getIndexType()),
        ValueRange{addIndex(b, planeLength, 1)});
    Value entries0 = tensor::EmptyOp::create(
        b, RankedTensorType::get({ShapedType::kDynamic}, i32),
        ValueRange{arith::MulIOp::create(b, l, planeLength)});
    ValueRange csr = forLoop(
        b, planeLength, {starts0, entries0, zero},
        [&](ImplicitLocOpBuilder &b, Value q, ValueRange acc) {
          Value starts = tensor::InsertOp::create(b, acc[2], acc[0], q);
          ValueRange inner = forLoop(
              b, l, {acc[1], acc[2]},
              [&](ImplicitLocOpBuilder &b, Value k, ValueRange it) {
                Value e =
                    tensor::ExtractOp::create(b, planes, ValueRange{k, q});
                Value negative = arith::ExtUIOp::create(
                    b, i32,
                    arith::CmpIOp::create(
                        b, arith::CmpIPredicate::slt, e,
                        arith::ConstantIntOp::create(b, i8, 0)));
                Value twiceK = arith::ShLIOp::create(
                    b, arith::IndexCastOp::create(b, i32, k),
                    arith::ConstantIntOp::create(b, i32, 1));
                Value entries = tensor::InsertOp::create(
                    b, arith::OrIOp::create(b, twiceK, negative), it[0], it[1]);
                Value used = arith::IndexCastOp::create(
                    b, b.getIndexType(),
                    arith::ExtUIOp::create(
                        b, i32,
                        arith::CmpIOp::create(
                            b, arith::CmpIPredicate::ne, e,
                            arith::ConstantIntOp::create(b, i8, 0))));
                return SmallVector<Value>{
                    entries, arith::AddIOp::create(b, it[1], used)};
              });
          return SmallVector<Value>{starts, inner[0], inner[1]};
        });
    Value starts = tensor::InsertOp::create(b, csr[2], csr[0], planeLength);
    Value entries = csr[1];

    // Per position: its centered row, then, for each plane that uses the
    // position, dots[k] += sign * row (an exact negation for -1). The
    // centered row's buffer is threaded through the loops, so that every
    // position reuses it.
    Value fone = arith::ConstantFloatOp::create(b, f32, APFloat(1.0f));
    Value fminus = arith::ConstantFloatOp::create(b, f32, APFloat(-1.0f));
    Value dots = overPositions(
        b, {dots0, empty(b, f32)},
        [&](ImplicitLocOpBuilder &b, Value i, Value j, ValueRange acc) {
          Value centered = createElementwise(
              b, vectorType(f32), acc[1], {pixel(b, i, j), means}, {id, id},
              [&](ImplicitLocOpBuilder &b, ValueRange args) {
                return arith::SubFOp::create(b, asFloat(b, args[0]), args[1])
                    .getResult();
              });
          Value q = arith::AddIOp::create(b, arith::MulIOp::create(b, i, w), j);
          Value first = tensor::ExtractOp::create(b, starts, q);
          Value last = tensor::ExtractOp::create(b, starts, addIndex(b, q, 1));
          auto loop = scf::ForOp::create(
              b, first, last, one, ValueRange{acc[0]},
              [&](OpBuilder &nested, Location loc, Value e, ValueRange d) {
                ImplicitLocOpBuilder nb(loc, nested);
                Value code = tensor::ExtractOp::create(nb, entries, e);
                Value k = arith::IndexCastOp::create(
                    nb, nb.getIndexType(),
                    arith::ShRUIOp::create(
                        nb, code, arith::ConstantIntOp::create(nb, i32, 1)));
                Value minus = arith::TruncIOp::create(nb, nb.getI1Type(), code);
                Value sign = arith::SelectOp::create(nb, minus, fminus, fone);
                auto [offsets, sizes, strides] = planeRow(nb, k);
                Value row = tensor::ExtractSliceOp::create(
                    nb, vectorType(f32), d[0], offsets, sizes, strides);
                Value next = createElementwise(
                    nb, vectorType(f32), row, {centered}, {id},
                    [&](ImplicitLocOpBuilder &b, ValueRange args) {
                      return arith::AddFOp::create(
                                 b, args[1],
                                 arith::MulFOp::create(b, sign, args[0]))
                          .getResult();
                    });
                scf::YieldOp::create(
                    nb, tensor::InsertSliceOp::create(nb, next, d[0], offsets,
                                                      sizes, strides)
                            .getResult());
              });
          return SmallVector<Value>{loop.getResult(0), centered};
        })[0];

    // code[c] |= (dots[k, c] > 0) << k.
    Value codes = forLoop(
        b, l, {filled(arith::ConstantIntOp::create(b, i64, 0))},
        [&](ImplicitLocOpBuilder &b, Value k, ValueRange acc) {
          auto [offsets, sizes, strides] = planeRow(b, k);
          Value dot = tensor::ExtractSliceOp::create(b, vectorType(f32), dots,
                                                     offsets, sizes, strides);
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

/// x + y in f32 or i32.
Value add(ImplicitLocOpBuilder &b, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::AddFOp::create(b, x, y);
  return arith::AddIOp::create(b, x, y);
}

/// sum / count: f32 division, or i32 rounded half away from zero. The
/// integer form divides in f64 and rounds with llvm.round (ties away): for
/// |sum| < 2^31 and count < 2^21 the f64 quotient is within 2^-22 of the
/// exact one, while an exact quotient that is not a multiple of 1/2 is at
/// least 1 / (2 * count) > 2^-22 from one, and one that is rounds exactly;
/// so the result is the exact one, and the division vectorizes (x86 has no
/// vector integer division).
Value average(ImplicitLocOpBuilder &b, Value sum, Value count) {
  Type element = sum.getType();
  if (isa<FloatType>(element))
    return arith::DivFOp::create(b, sum, count);
  Type f64 = b.getF64Type();
  Value quotient =
      arith::DivFOp::create(b, arith::SIToFPOp::create(b, f64, sum),
                            arith::SIToFPOp::create(b, f64, count));
  return arith::FPToSIOp::create(b, element,
                                 math::RoundOp::create(b, quotient));
}

struct LowerMergeChannels : LoweringPattern<MergeChannelsOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b,
                         MergeChannelsOp op) const override {
    Value x = op.getInput(), buckets = op.getBuckets(), n = op.getCount();
    RankedTensorType outType = op.getOutput().getType();
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
    // Every merged channel has a member, so every element gets written.
    Value out = tensor::EmptyOp::create(b, outType, dynamicOut);

    // The buckets' members: members[starts[m] .. starts[m + 1]) are the
    // channels of bucket m in increasing order.
    Value channels = tensor::DimOp::create(b, x, 3);
    Type element = outType.getElementType();
    Type index = b.getIndexType();
    Value c0 = indexConstant(b, 0), c1 = indexConstant(b, 1);
    auto indexVector = [&](Value size) {
      return tensor::EmptyOp::create(
                 b, RankedTensorType::get({ShapedType::kDynamic}, index),
                 ValueRange{size})
          .getResult();
    };
    Value counts = linalg::FillOp::create(b, c0, indexVector(n)).getResult(0);
    counts =
        forLoop(b, channels, {counts},
                [&](ImplicitLocOpBuilder &b, Value c, ValueRange acc) {
                  Value bucket = tensor::ExtractOp::create(b, buckets, c);
                  Value old = tensor::ExtractOp::create(b, acc[0], bucket);
                  return SmallVector<Value>{tensor::InsertOp::create(
                      b, arith::AddIOp::create(b, old, c1), acc[0], bucket)};
                })[0];
    ValueRange prefix =
        forLoop(b, n, {indexVector(addIndex(b, n, 1)), indexVector(n), c0},
                [&](ImplicitLocOpBuilder &b, Value m, ValueRange acc) {
                  Value starts = tensor::InsertOp::create(b, acc[2], acc[0], m);
                  Value cursor = tensor::InsertOp::create(b, acc[2], acc[1], m);
                  Value count = tensor::ExtractOp::create(b, counts, m);
                  return SmallVector<Value>{
                      starts, cursor, arith::AddIOp::create(b, acc[2], count)};
                });
    Value starts = tensor::InsertOp::create(b, prefix[2], prefix[0], n);
    Value members = forLoop(
        b, channels, {indexVector(channels), prefix[1]},
        [&](ImplicitLocOpBuilder &b, Value c, ValueRange acc) {
          Value bucket = tensor::ExtractOp::create(b, buckets, c);
          Value slot = tensor::ExtractOp::create(b, acc[1], bucket);
          return SmallVector<Value>{
              tensor::InsertOp::create(b, c, acc[0], slot),
              tensor::InsertOp::create(b, arith::AddIOp::create(b, slot, c1),
                                       acc[1], bucket)};
        })[0];

    // Row by row (every index but the channel's): out[row, m] = the sum of
    // x[row, c] over bucket m's channels in increasing order (the op's
    // order), from 0 and in a register, then the row's averages (a
    // vectorizable loop). The rows stay in L1 while they are summed.
    auto rows = [&](ImplicitLocOpBuilder &b, Value tensor,
                    function_ref<Value(ImplicitLocOpBuilder &, ValueRange,
                                       Value)>
                        body) {
      return forLoop(
          b, sizes[0], {tensor},
          [&](ImplicitLocOpBuilder &b, Value i, ValueRange t0) {
            return SmallVector<Value>{forLoop(
                b, sizes[1], t0,
                [&](ImplicitLocOpBuilder &b, Value j, ValueRange t1) {
                  return SmallVector<Value>{forLoop(
                      b, sizes[2], t1,
                      [&](ImplicitLocOpBuilder &b, Value k, ValueRange t2) {
                        return SmallVector<Value>{body(b, {i, j, k}, t2[0])};
                      })[0]};
                })[0]};
          })[0];
    };
    return rows(
        b, out, [&](ImplicitLocOpBuilder &b, ValueRange row, Value acc) {
          auto at = [&](Value channel) {
            SmallVector<Value> indices(row);
            indices.push_back(channel);
            return indices;
          };
          acc = forLoop(
              b, n, {acc}, [&](ImplicitLocOpBuilder &b, Value m, ValueRange t) {
                Value first = tensor::ExtractOp::create(b, starts, m);
                Value last =
                    tensor::ExtractOp::create(b, starts, addIndex(b, m, 1));
                Value sum =
                    scf::ForOp::create(
                        b, first, last, c1, ValueRange{zero},
                        [&](OpBuilder &nested, Location loc, Value e,
                            ValueRange s) {
                          ImplicitLocOpBuilder nb(loc, nested);
                          Value c = tensor::ExtractOp::create(nb, members, e);
                          Value v = tensor::ExtractOp::create(nb, x, at(c));
                          scf::YieldOp::create(nb, add(nb, s[0], v));
                        })
                        .getResult(0);
                return SmallVector<Value>{
                    tensor::InsertOp::create(b, sum, t[0], at(m))};
              })[0];
          if (!op.getAverage())
            return acc;
          return forLoop(
              b, n, {acc}, [&](ImplicitLocOpBuilder &b, Value m, ValueRange t) {
                Value sum = tensor::ExtractOp::create(b, t[0], at(m));
                Value count = arith::IndexCastOp::create(
                    b, b.getI32Type(), tensor::ExtractOp::create(b, counts, m));
                if (isa<FloatType>(element))
                  count = arith::SIToFPOp::create(b, element, count);
                return SmallVector<Value>{tensor::InsertOp::create(
                    b, average(b, sum, count), t[0], at(m))};
              })[0];
        });
  }
};

} // namespace

void mlir::prom::populateLowerPromHastePatterns(RewritePatternSet &patterns) {
  patterns.add<LowerHasteBuckets, LowerMergeChannels>(patterns.getContext());
}
