//===- LowerHaste.cpp - haste_buckets -------------------------------------===//
//
// The codes and buckets are data-dependent (which channel goes where is
// known only at run time), so the hashing lowers to scf loops over tensors
// rather than to linalg.generic; the loops keep the summation order the op
// defines, which is what makes the result reproducible (docs/haste.md).
// merge_channels: LowerMergeChannels.cpp.
//
//===----------------------------------------------------------------------===//

#include "Prom/Conversion/PromToLinalg/PromToLinalg.h"

#include "Prom/Conversion/PromToLinalg/LoweringUtils.h"
#include "Prom/Conversion/PromToLinalg/VectorKernels.h"

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

/// Planes projected at once: their accumulators stay in vector registers
/// over the position loop. All of them up to 16 (16 zmm of 16 f32 lanes,
/// plus the channel sums and the input), else groups of 8.
int64_t planeGroup(int64_t staticL) {
  return !ShapedType::isDynamic(staticL) && staticL <= 16 ? staticL : 8;
}
/// Channels per vector in the hashing loops.
constexpr int64_t kLanes = 16;

/// The hyperplanes transposed and widened: [P][L rounded up to a multiple
/// of `group`] f32, the added planes all zero; a constant for constant
/// planes, else built at run time.
Value transposedPlanes(ImplicitLocOpBuilder &b, Value planes, Value l,
                       Value padded, int64_t group) {
  auto type = cast<RankedTensorType>(planes.getType());
  DenseIntElementsAttr constant;
  if (type.hasStaticShape() && matchPattern(planes, m_Constant(&constant))) {
    int64_t rows = type.getDimSize(0), columns = type.getDimSize(1);
    int64_t width = llvm::alignTo(rows, group);
    SmallVector<int8_t> values = llvm::to_vector(constant.getValues<int8_t>());
    SmallVector<float> t(columns * width, 0.0f);
    for (int64_t k = 0; k < rows; ++k)
      for (int64_t q = 0; q < columns; ++q)
        t[q * width + k] = float(values[k * columns + q]);
    auto tType = RankedTensorType::get({columns, width}, b.getF32Type());
    return arith::ConstantOp::create(
        b, DenseElementsAttr::get(tType, ArrayRef<float>(t)));
  }
  Value columns = tensor::DimOp::create(b, planes, 1);
  auto tType = RankedTensorType::get(
      {ShapedType::kDynamic, ShapedType::kDynamic}, b.getF32Type());
  Value t = createFilled(b, tType, {columns, padded});
  return forLoop(
      b, l, {t}, [&](ImplicitLocOpBuilder &b, Value k, ValueRange acc) {
        return llvm::to_vector(forLoop(
            b, columns, acc,
            [&](ImplicitLocOpBuilder &b, Value q, ValueRange acc) {
              Value e = tensor::ExtractOp::create(b, planes, ValueRange{k, q});
              Value f = arith::SIToFPOp::create(b, b.getF32Type(), e);
              return SmallVector<Value>{
                  tensor::InsertOp::create(b, f, acc[0], ValueRange{q, k})};
            }));
      })[0];
}

/// dots[k, c] = the projection of x's centered channel c on plane k,
/// computed as S[k, c] - mean[c] * R[k] with S[k, c] = sum over positions
/// of plane k's entry times x[., c] and R[k] = the sum of plane k's
/// entries, every sum from 0 over the positions in row-major order
/// (docs/haste.md), so that the map is read once per group of planes.
/// Channels go 16 to a vector, planeGroup planes at a time, their
/// accumulators in registers over the positions; an entry multiplies
/// (fma: exact for entries in {-1, 0, +1}). Result: [L rounded up, C] f32.
Value centeredProjections(ImplicitLocOpBuilder &b, Value x, Value planes) {
  auto inType = cast<RankedTensorType>(x.getType());
  FloatType f32 = b.getF32Type();
  Type element = inType.getElementType();
  Value h = tensor::DimOp::create(b, x, 1), w = tensor::DimOp::create(b, x, 2);
  Value c = tensor::DimOp::create(b, x, 3);
  Value l = tensor::DimOp::create(b, planes, 0);
  int64_t staticL = cast<RankedTensorType>(planes.getType()).getDimSize(0);
  int64_t groupSize = planeGroup(staticL);
  Value group = indexConstant(b, groupSize), lanes = indexConstant(b, kLanes);
  Value groups = arith::CeilDivUIOp::create(b, l, group);
  Value padded = arith::MulIOp::create(b, groups, group);
  Value t = transposedPlanes(b, planes, l, padded, groupSize);
  int64_t staticPadded = ShapedType::isDynamic(staticL)
                             ? ShapedType::kDynamic
                             : llvm::alignTo(staticL, groupSize);
  int64_t staticC = inType.getDimSize(3);
  auto vec = VectorType::get({kLanes}, f32);
  Value fzero = arith::ConstantFloatOp::create(b, f32, APFloat(0.0f));
  auto sType = RankedTensorType::get({staticPadded, staticC}, f32);
  SmallVector<Value> sSizes;
  if (sType.isDynamicDim(0))
    sSizes.push_back(padded);
  if (sType.isDynamicDim(1))
    sSizes.push_back(c);
  auto rowType = RankedTensorType::get({staticC}, f32);
  auto rType = RankedTensorType::get({staticPadded}, f32);

  // R: one vector of a group's planes per position.
  auto groupVec = VectorType::get({groupSize}, f32);
  Value r = forLoop(
      b, groups,
      {createFilled(b, rType,
                    rType.isDynamicDim(0) ? ValueRange{padded} : ValueRange{})},
      [&](ImplicitLocOpBuilder &b, Value g, ValueRange acc) {
        Value k0 = arith::MulIOp::create(b, g, group);
        Value init = arith::ConstantOp::create(
            b, DenseElementsAttr::get(groupVec, b.getF32FloatAttr(0.0f)));
        Value sum = forLoop(
            b, arith::MulIOp::create(b, h, w), {init},
            [&](ImplicitLocOpBuilder &b, Value q, ValueRange v) {
              Value entries = readVector(b, groupVec, t, ValueRange{q, k0});
              return SmallVector<Value>{
                  arith::AddFOp::create(b, v[0], entries)};
            })[0];
        return SmallVector<Value>{
            vector::TransferWriteOp::create(b, sum, acc[0], ValueRange{k0},
                                            ArrayRef<bool>{true})
                .getResult()};
      })[0];

  // S and the channel sums, input row by input row (the row stays in L1
  // while every chunk of channels and group of planes reads it), each
  // accumulator loaded from its tensor before the row and stored after,
  // so that every sum still runs over the positions in order.
  Value chunks = arith::CeilDivUIOp::create(b, c, lanes);
  auto readX = [&](ImplicitLocOpBuilder &b, Value i, Value j, Value c0) {
    Value pad = arith::ConstantOp::create(b, b.getZeroAttr(element));
    Value xv = vector::TransferReadOp::create(
        b, VectorType::get({kLanes}, element), x,
        ValueRange{indexConstant(b, 0), i, j, c0}, pad, ArrayRef<bool>{false});
    return isa<FloatType>(element)
               ? xv
               : arith::SIToFPOp::create(b, vec, xv).getResult();
  };
  auto read = [&](ImplicitLocOpBuilder &b, Value tensor, ValueRange at) {
    return vector::TransferReadOp::create(b, vec, tensor, at, fzero,
                                          ArrayRef<bool>{false})
        .getResult();
  };
  auto write = [&](ImplicitLocOpBuilder &b, Value v, Value tensor,
                   ValueRange at) {
    return vector::TransferWriteOp::create(b, v, tensor, at,
                                           ArrayRef<bool>{false})
        .getResult();
  };
  ValueRange sAndSums = forLoop(
      b, h,
      {createFilled(b, sType, sSizes),
       createFilled(b, rowType,
                    rowType.isDynamicDim(0) ? ValueRange{c} : ValueRange{})},
      [&](ImplicitLocOpBuilder &b, Value i, ValueRange outer) {
        return llvm::to_vector(forLoop(
            b, groups, outer,
            [&](ImplicitLocOpBuilder &b, Value g, ValueRange gs) {
              Value k0 = arith::MulIOp::create(b, g, group);
              // The channel sums ride along as one more accumulator; only
              // the first group's are kept.
              Value first = arith::CmpIOp::create(b, arith::CmpIPredicate::eq,
                                                  g, indexConstant(b, 0));
              return llvm::to_vector(forLoop(
                  b, chunks, gs,
                  [&](ImplicitLocOpBuilder &b, Value chunk, ValueRange cs) {
                    Value c0 = arith::MulIOp::create(b, chunk, lanes);
                    SmallVector<Value> init;
                    for (int64_t k = 0; k < groupSize; ++k)
                      init.push_back(read(b, cs[0], {addIndex(b, k0, k), c0}));
                    Value oldSum = read(b, cs[1], {c0});
                    init.push_back(oldSum);
                    Value rowStart = arith::MulIOp::create(b, i, w);
                    ValueRange acc = forLoop(
                        b, w, init,
                        [&](ImplicitLocOpBuilder &b, Value j, ValueRange acc) {
                          Value xv = readX(b, i, j, c0);
                          Value q = arith::AddIOp::create(b, rowStart, j);
                          SmallVector<Value> next;
                          for (int64_t k = 0; k < groupSize; ++k) {
                            Value e = tensor::ExtractOp::create(
                                b, t, ValueRange{q, addIndex(b, k0, k)});
                            Value ev = vector::BroadcastOp::create(b, vec, e);
                            next.push_back(
                                math::FmaOp::create(b, ev, xv, acc[k]));
                          }
                          next.push_back(
                              arith::AddFOp::create(b, acc[groupSize], xv));
                          return next;
                        });
                    Value sRows = cs[0];
                    for (int64_t k = 0; k < groupSize; ++k)
                      sRows = write(b, acc[k], sRows, {addIndex(b, k0, k), c0});
                    Value sum = arith::SelectOp::create(b, first,
                                                        acc[groupSize], oldSum);
                    return SmallVector<Value>{sRows,
                                              write(b, sum, cs[1], {c0})};
                  }));
            }));
      });

  Value count = arith::SIToFPOp::create(
      b, f32,
      arith::IndexCastOp::create(b, b.getI64Type(),
                                 arith::MulIOp::create(b, h, w)));
  Value means = createElementwise(
      b, rowType, sAndSums[1], {}, {},
      [&](ImplicitLocOpBuilder &b, ValueRange args) {
        return arith::DivFOp::create(b, args[0], count).getResult();
      });
  MLIRContext *ctx = b.getContext();
  return createElementwise(
      b, sType, sAndSums[0], {means, r},
      {AffineMap::get(2, 0, getAffineDimExpr(1, ctx)),
       AffineMap::get(2, 0, getAffineDimExpr(0, ctx))},
      [&](ImplicitLocOpBuilder &b, ValueRange args) {
        return arith::SubFOp::create(b, args[2],
                                     arith::MulFOp::create(b, args[0], args[1]))
            .getResult();
      });
}

/// The projections (centeredProjections), their signs as codes, and the
/// buckets in order of first channel.
struct LowerHasteBuckets : OpRewritePattern<HasteBucketsOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(HasteBucketsOp op,
                                PatternRewriter &rewriter) const override {
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    Value x = op.getInput(), planes = op.getHyperplanes();
    Value zero = indexConstant(b, 0), one = indexConstant(b, 1);
    Value c = tensor::DimOp::create(b, x, 3);
    Value l = tensor::DimOp::create(b, planes, 0);
    FloatType f32 = b.getF32Type();
    Type i64 = b.getI64Type();
    Value fzero = arith::ConstantFloatOp::create(b, f32, APFloat(0.0f));
    int64_t staticC = op.getInput().getType().getDimSize(3);
    auto vectorType = [&](Type element) {
      return RankedTensorType::get({staticC}, element);
    };
    auto filled = [&](Value value) {
      auto type = vectorType(value.getType());
      return createFilled(
          b, type, type.isDynamicDim(0) ? ValueRange{c} : ValueRange{}, value);
    };
    AffineMap id = b.getMultiDimIdentityMap(1);
    auto planeRow = [&](ImplicitLocOpBuilder &b, Value k) {
      SmallVector<OpFoldResult> offsets = {k, b.getIndexAttr(0)};
      SmallVector<OpFoldResult> sizes = {
          b.getIndexAttr(1), ShapedType::isDynamic(staticC)
                                 ? OpFoldResult(c)
                                 : OpFoldResult(b.getIndexAttr(staticC))};
      SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
      return std::make_tuple(offsets, sizes, strides);
    };
    Value dots = centeredProjections(b, x, planes);

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

} // namespace

void mlir::prom::populateLowerPromHastePatterns(RewritePatternSet &patterns) {
  patterns.add<LowerHasteBuckets>(patterns.getContext());
  populateLowerMergeChannelsPatterns(patterns);
}
