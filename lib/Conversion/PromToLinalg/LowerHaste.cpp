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
#include "mlir/Dialect/Vector/IR/VectorOps.h"

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

/// The hyperplanes' nonzero entries by position (column q of `planes`, an
/// [L, P] i8 tensor with L = `l`): entries[starts[q] .. starts[q + 1])
/// hold 2 * k + (entry < 0) for each plane k that uses q, in increasing k.
/// Constants for constant planes; otherwise built at run time without
/// branches (an entry is always written, the count advances only for a
/// nonzero), so that the hashing loop has none on the planes' random
/// pattern.
std::pair<Value, Value> planeEntries(ImplicitLocOpBuilder &b, Value planes,
                                     Value l) {
  Type i32 = b.getI32Type(), i8 = b.getI8Type();
  DenseIntElementsAttr constant;
  if (matchPattern(planes, m_Constant(&constant))) {
    auto type = cast<RankedTensorType>(planes.getType());
    int64_t rows = type.getDimSize(0), columns = type.getDimSize(1);
    SmallVector<int8_t> values = llvm::to_vector(constant.getValues<int8_t>());
    SmallVector<int64_t> starts = {0};
    SmallVector<int32_t> entries;
    for (int64_t q = 0; q < columns; ++q) {
      for (int64_t k = 0; k < rows; ++k)
        if (int8_t e = values[k * columns + q])
          entries.push_back(int32_t(2 * k + (e < 0)));
      starts.push_back(int64_t(entries.size()));
    }
    auto startsType = RankedTensorType::get({columns + 1}, b.getIndexType());
    auto entriesType = RankedTensorType::get({int64_t(entries.size())}, i32);
    return {arith::ConstantOp::create(
                b, DenseElementsAttr::get(startsType, ArrayRef(starts))),
            arith::ConstantOp::create(
                b, DenseElementsAttr::get(entriesType, ArrayRef(entries)))};
  }
  Value zero = indexConstant(b, 0);
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
              Value e = tensor::ExtractOp::create(b, planes, ValueRange{k, q});
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
              return SmallVector<Value>{entries,
                                        arith::AddIOp::create(b, it[1], used)};
            });
        return SmallVector<Value>{starts, inner[0], inner[1]};
      });
  return {tensor::InsertOp::create(b, csr[2], csr[0], planeLength), csr[1]};
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
    Type i64 = b.getI64Type();
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
    // plane k that uses q, in increasing k. Constants when the planes are
    // (as prom-haste makes them), else built at run time.
    Type i32 = b.getI32Type();
    Value starts, entries;
    std::tie(starts, entries) = planeEntries(b, planes, l);

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

/// Buckets merged at once, one per lane.
constexpr int64_t kLanes = 16;

/// x + y in f32 or i32 (or vectors of them).
Value add(ImplicitLocOpBuilder &b, Value x, Value y) {
  if (isa<FloatType>(getElementTypeOrSelf(x.getType())))
    return arith::AddFOp::create(b, x, y);
  return arith::AddIOp::create(b, x, y);
}

/// sum / count on vectors: f32 division, or i32 rounded half away from
/// zero. The
/// integer form divides in f64 and rounds with llvm.round (ties away): for
/// |sum| < 2^31 and count < 2^21 the f64 quotient is within 2^-22 of the
/// exact one, while an exact quotient that is not a multiple of 1/2 is at
/// least 1 / (2 * count) > 2^-22 from one, and one that is rounds exactly;
/// so the result is the exact one, and the division vectorizes (x86 has no
/// vector integer division).
Value average(ImplicitLocOpBuilder &b, Value sum, Value count) {
  Type element = sum.getType();
  if (isa<FloatType>(getElementTypeOrSelf(element)))
    return arith::DivFOp::create(b, sum, count);
  auto f64 = cast<VectorType>(element).clone(b.getF64Type());
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
    // Every merged channel has a member, so every element gets written.
    Value out = tensor::EmptyOp::create(b, outType, dynamicOut);

    // The buckets' members, laid out for gathers: buckets in chunks of
    // kLanes (one vector), chunk q holding as many slots as its largest
    // bucket. table[start[q] + s * kLanes + lane] is the s-th channel (in
    // increasing order) of bucket q * kLanes + lane; slots past a bucket's
    // count are 0 and masked off. The table has sum over chunks of their
    // largest count <= C slots of kLanes entries.
    Value channels = tensor::DimOp::create(b, x, 3);
    Type element = outType.getElementType();
    Type index = b.getIndexType(), i32 = b.getI32Type();
    Value c0 = indexConstant(b, 0), c1 = indexConstant(b, 1);
    Value lanes = indexConstant(b, kLanes);
    auto vectorOf = [&](Type type, Value size) {
      return tensor::EmptyOp::create(
                 b, RankedTensorType::get({ShapedType::kDynamic}, type),
                 ValueRange{size})
          .getResult();
    };
    auto zeros = [&](Type type, Value size) {
      Value zero = arith::ConstantOp::create(b, b.getZeroAttr(type));
      return linalg::FillOp::create(b, zero, vectorOf(type, size)).getResult(0);
    };
    Value chunks = arith::CeilDivUIOp::create(b, n, lanes);
    Value counts =
        forLoop(b, channels, {zeros(i32, n)},
                [&](ImplicitLocOpBuilder &b, Value c, ValueRange acc) {
                  Value bucket = tensor::ExtractOp::create(b, buckets, c);
                  Value old = tensor::ExtractOp::create(b, acc[0], bucket);
                  return SmallVector<Value>{tensor::InsertOp::create(
                      b,
                      arith::AddIOp::create(
                          b, old, arith::ConstantIntOp::create(b, i32, 1)),
                      acc[0], bucket)};
                })[0];
    Value largest =
        forLoop(b, n, {zeros(i32, chunks)},
                [&](ImplicitLocOpBuilder &b, Value m, ValueRange acc) {
                  Value q = arith::DivUIOp::create(b, m, lanes);
                  Value old = tensor::ExtractOp::create(b, acc[0], q);
                  Value count = tensor::ExtractOp::create(b, counts, m);
                  return SmallVector<Value>{tensor::InsertOp::create(
                      b, arith::MaxSIOp::create(b, old, count), acc[0], q)};
                })[0];
    // starts[q] (index) and the table's length.
    ValueRange prefix = forLoop(
        b, chunks, {vectorOf(index, addIndex(b, chunks, 1)), c0},
        [&](ImplicitLocOpBuilder &b, Value q, ValueRange acc) {
          Value starts = tensor::InsertOp::create(b, acc[1], acc[0], q);
          Value slots = arith::IndexCastOp::create(
              b, index, tensor::ExtractOp::create(b, largest, q));
          return SmallVector<Value>{
              starts, arith::AddIOp::create(
                          b, acc[1], arith::MulIOp::create(b, slots, lanes))};
        });
    Value starts = tensor::InsertOp::create(b, prefix[1], prefix[0], chunks);
    Value table =
        forLoop(b, channels, {zeros(i32, prefix[1]), zeros(index, n)},
                [&](ImplicitLocOpBuilder &b, Value c, ValueRange acc) {
                  Value bucket = tensor::ExtractOp::create(b, buckets, c);
                  Value slot = tensor::ExtractOp::create(b, acc[1], bucket);
                  Value q = arith::DivUIOp::create(b, bucket, lanes);
                  Value lane = arith::RemUIOp::create(b, bucket, lanes);
                  Value at = arith::AddIOp::create(
                      b, tensor::ExtractOp::create(b, starts, q),
                      arith::AddIOp::create(
                          b, arith::MulIOp::create(b, slot, lanes), lane));
                  return SmallVector<Value>{
                      tensor::InsertOp::create(
                          b, arith::IndexCastOp::create(b, i32, c), acc[0], at),
                      tensor::InsertOp::create(b, addIndex(b, slot, 1), acc[1],
                                               bucket)};
                })[0];

    // Row by row (every index but the channel's), a chunk of buckets at a
    // time: lane m sums x[row, c] over bucket m's channels, slot by slot
    // (increasing c, the op's order) from 0, then averages. Masked-off
    // slots add an exact 0 (a sum from 0 is never -0), lanes past n are
    // not stored.
    auto lanesOf = [&](Type type) { return VectorType::get({kLanes}, type); };
    Value zeroVector = arith::ConstantOp::create(
        b, DenseElementsAttr::get(lanesOf(element), b.getZeroAttr(element)));
    Value one32 = arith::ConstantOp::create(
        b, DenseElementsAttr::get(lanesOf(i32), b.getI32IntegerAttr(1)));
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
          return forLoop(
              b, chunks, {acc},
              [&](ImplicitLocOpBuilder &b, Value q, ValueRange t) {
                Value m0 = arith::MulIOp::create(b, q, lanes);
                // Lanes past n read a count of 0: no slot is live there.
                Value count = vector::TransferReadOp::create(
                    b, lanesOf(i32), counts, ValueRange{m0},
                    arith::ConstantIntOp::create(b, i32, 0),
                    ArrayRef<bool>{false});
                Value first = tensor::ExtractOp::create(b, starts, q);
                Value slots = arith::IndexCastOp::create(
                    b, index, tensor::ExtractOp::create(b, largest, q));
                SmallVector<Value> base(row);
                base.push_back(c0);
                Value sum =
                    scf::ForOp::create(
                        b, c0, slots, c1, ValueRange{zeroVector},
                        [&](OpBuilder &nested, Location loc, Value slot,
                            ValueRange s) {
                          ImplicitLocOpBuilder nb(loc, nested);
                          Value at = arith::AddIOp::create(
                              nb, first,
                              arith::MulIOp::create(nb, slot, lanes));
                          Value members = readVector(nb, lanesOf(i32), table,
                                                     ValueRange{at});
                          Value live = arith::CmpIOp::create(
                              nb, arith::CmpIPredicate::sgt, count,
                              vector::BroadcastOp::create(
                                  nb, lanesOf(i32),
                                  arith::IndexCastOp::create(nb, i32, slot)));
                          Value v = vector::GatherOp::create(
                              nb, lanesOf(element), x, base, members, live,
                              zeroVector);
                          scf::YieldOp::create(nb, add(nb, s[0], v));
                        })
                        .getResult(0);
                if (op.getAverage()) {
                  // Lanes past n divide by 1, not 0 (an i32 NaN is poison).
                  Value divisor = arith::MaxSIOp::create(b, count, one32);
                  if (isa<FloatType>(element))
                    divisor =
                        arith::SIToFPOp::create(b, lanesOf(element), divisor);
                  sum = average(b, sum, divisor);
                }
                SmallVector<Value> at(row);
                at.push_back(m0);
                return SmallVector<Value>{
                    vector::TransferWriteOp::create(b, sum, t[0], at,
                                                    ArrayRef<bool>{false})
                        .getResult()};
              })[0];
        });
  }
};

} // namespace

void mlir::prom::populateLowerPromHastePatterns(RewritePatternSet &patterns) {
  patterns.add<LowerHasteBuckets, LowerMergeChannels>(patterns.getContext());
}
