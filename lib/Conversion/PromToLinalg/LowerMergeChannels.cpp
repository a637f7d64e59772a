//===- LowerMergeChannels.cpp - merge_channels ----------------------------===//
//
// Which channel goes to which bucket is known only at run time, so the
// merge lowers to scf loops over tensors, in the summation order the op
// defines (increasing channel, from 0), which keeps f32 results the
// reference's bit for bit.
//
// - Along the last dimension (HASTE's NHWC input): 16 positions at a time,
//   each 16 x 16 block of positions x channels is transposed in registers,
//   so that a channel of 16 positions is one vector, added into its
//   bucket's row of a small accumulator table; the table's rows are then
//   averaged, transposed back and stored. The cost does not depend on how
//   the channels fall into buckets (gathers did, and were slow: docs/haste.md).
// - Along a leading dimension (HASTE's HWCF filter slices): every element
//   after the merged dimension is contiguous, so a channel's row is added
//   into its bucket's row as vectors.
//
//===----------------------------------------------------------------------===//

#include "Prom/Conversion/PromToLinalg/PromToLinalg.h"

#include "Prom/Conversion/PromToLinalg/LoweringUtils.h"
#include "Prom/Conversion/PromToLinalg/VectorKernels.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

/// Bits of the vectors the rows are added in (LLVM splits them for narrower
/// targets).
constexpr int64_t kVectorBits = 512;

/// Positions, and channels, of one transposed block.
constexpr int64_t kBlock = 16;

/// `rows` (kBlock vectors of kBlock elements) transposed: result[j][i] =
/// rows[i][j]. Four rounds of two-source shuffles, each swapping the
/// off-diagonal h x h blocks of every 2h x 2h block (h = 8, 4, 2, 1).
SmallVector<Value> transposeBlock(ImplicitLocOpBuilder &b,
                                  SmallVector<Value> rows) {
  for (int64_t h = kBlock / 2; h >= 1; h /= 2) {
    SmallVector<int64_t> upper, lower;
    for (int64_t col = 0; col < kBlock; ++col) {
      upper.push_back(col & h ? kBlock + col - h : col);
      lower.push_back(col & h ? kBlock + col : col + h);
    }
    SmallVector<Value> next(rows);
    for (int64_t i = 0; i < kBlock; ++i)
      if (!(i & h)) {
        next[i] = vector::ShuffleOp::create(b, rows[i], rows[i + h], upper);
        next[i + h] = vector::ShuffleOp::create(b, rows[i], rows[i + h], lower);
      }
    rows = std::move(next);
  }
  return rows;
}

/// A vector of `type`'s length read from `source` at `at` (0 past its end),
/// sign-extended to `type` where the source's integers are narrower.
Value readWidened(ImplicitLocOpBuilder &b, VectorType type, Value source,
                  ValueRange at) {
  Type element = getElementTypeOrSelf(source.getType());
  Value v = vector::TransferReadOp::create(
      b, type.clone(element), source, at,
      arith::ConstantOp::create(b, b.getZeroAttr(element)),
      ArrayRef<bool>{false});
  return element == type.getElementType()
             ? v
             : arith::ExtSIOp::create(b, type, v).getResult();
}

/// i32 counts of each bucket's members, `size` entries (0 past the count).
Value bucketCounts(ImplicitLocOpBuilder &b, Value buckets, Value channels,
                   Value size) {
  Type i32 = b.getI32Type();
  Value counts = createFilled(
      b, RankedTensorType::get({ShapedType::kDynamic}, i32), {size});
  return forLoop(b, channels, {counts},
                 [&](ImplicitLocOpBuilder &b, Value c, ValueRange t) {
                   Value bucket = tensor::ExtractOp::create(b, buckets, c);
                   Value old = tensor::ExtractOp::create(b, t[0], bucket);
                   Value one = arith::ConstantIntOp::create(b, i32, 1);
                   return SmallVector<Value>{tensor::InsertOp::create(
                       b, arith::AddIOp::create(b, old, one), t[0], bucket)};
                 })[0];
}

/// `count` (i32) as the divisor of an average in `element`, in every lane
/// of `type`; a count of 0 (a lane past the last bucket) divides by 1.
Value divisors(ImplicitLocOpBuilder &b, VectorType type, Value count) {
  Type element = type.getElementType();
  count = arith::MaxSIOp::create(
      b, count, arith::ConstantIntOp::create(b, b.getI32Type(), 1));
  if (isa<FloatType>(element))
    count = arith::SIToFPOp::create(b, element, count);
  else if (!element.isInteger(32))
    count = arith::TruncIOp::create(b, element, count);
  return vector::BroadcastOp::create(b, type, count);
}

struct LowerMergeChannels : LoweringPattern<MergeChannelsOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b,
                         MergeChannelsOp op) const override {
    if (op.getMergedDimension() != 3)
      return failure(); // LowerMergeRows
    Value x = op.getInput(), buckets = op.getBuckets(), n = op.getCount();
    RankedTensorType outType = op.getOutput().getType();
    Type element = outType.getElementType();
    auto vector = VectorType::get({kBlock}, element);
    SmallVector<Value> sizes, dynamicOut;
    for (int64_t d = 0; d < 4; ++d) {
      sizes.push_back(tensor::DimOp::create(b, x, d));
      if (d == 3)
        dynamicOut.push_back(n);
      else if (outType.isDynamicDim(d))
        dynamicOut.push_back(sizes.back());
    }
    Value c0 = indexConstant(b, 0), c1 = indexConstant(b, 1);
    Value block = indexConstant(b, kBlock);
    Value channels = sizes[3];
    Value positions = arith::MulIOp::create(b, sizes[1], sizes[2]);
    Value channelBlocks = arith::CeilDivUIOp::create(b, channels, block);
    Value bucketBlocks = arith::CeilDivUIOp::create(b, n, block);
    Value zeros = arith::ConstantOp::create(
        b, DenseElementsAttr::get(vector, b.getZeroAttr(element)));

    // The bucket of each channel of whole blocks: past the last channel
    // (read as 0), the table's spare row n.
    Value padded = arith::MulIOp::create(b, channelBlocks, block);
    Value lastChannel = arith::SubIOp::create(b, channels, c1);
    Value bucketOf = forLoop(
        b, padded,
        {tensor::EmptyOp::create(b, ArrayRef<int64_t>{ShapedType::kDynamic},
                                 b.getIndexType(), ValueRange{padded})
             .getResult()},
        [&](ImplicitLocOpBuilder &b, Value c, ValueRange t) {
          Value inside =
              arith::CmpIOp::create(b, arith::CmpIPredicate::ult, c, channels);
          Value bucket = tensor::ExtractOp::create(
              b, buckets,
              ValueRange{arith::MinUIOp::create(b, c, lastChannel)});
          return SmallVector<Value>{tensor::InsertOp::create(
              b, arith::SelectOp::create(b, inside, bucket, n), t[0], c)};
        })[0];
    Value counts;
    if (op.getAverage())
      counts = bucketCounts(b, buckets, channels,
                            arith::MulIOp::create(b, bucketBlocks, block));
    // Per bucket, its sums for the block's 16 positions (a row of the
    // table); whole blocks of buckets plus the spare row.
    Value tableRows =
        addIndex(b, arith::MulIOp::create(b, bucketBlocks, block), 1);
    Value table = createFilled(
        b, RankedTensorType::get({ShapedType::kDynamic, kBlock}, element),
        {tableRows});
    Value out = tensor::EmptyOp::create(b, outType, dynamicOut);

    Value lastPosition = arith::SubIOp::create(b, positions, c1);
    ValueRange done = forLoop(
        b, arith::CeilDivUIOp::create(b, positions, block), {out, table},
        [&](ImplicitLocOpBuilder &b, Value pb, ValueRange t) {
          // The block's positions; past the last one, the last again (its
          // results are the same values, stored twice).
          Value p0 = arith::MulIOp::create(b, pb, block);
          SmallVector<Value> hs, ws;
          for (int64_t i = 0; i < kBlock; ++i) {
            Value p =
                arith::MinUIOp::create(b, addIndex(b, p0, i), lastPosition);
            hs.push_back(arith::DivUIOp::create(b, p, sizes[2]));
            ws.push_back(arith::RemUIOp::create(b, p, sizes[2]));
          }
          Value sums =
              forLoop(b, channelBlocks, {t[1]},
                      [&](ImplicitLocOpBuilder &b, Value k, ValueRange s) {
                        Value first = arith::MulIOp::create(b, k, block);
                        SmallVector<Value> rows;
                        for (int64_t i = 0; i < kBlock; ++i)
                          rows.push_back(readWidened(
                              b, vector, x, {c0, hs[i], ws[i], first}));
                        SmallVector<Value> columns = transposeBlock(b, rows);
                        Value acc = s[0];
                        for (int64_t j = 0; j < kBlock; ++j) {
                          Value row = tensor::ExtractOp::create(
                              b, bucketOf, ValueRange{addIndex(b, first, j)});
                          Value old = readVector(b, vector, acc, {row, c0});
                          acc = vector::TransferWriteOp::create(
                                    b, add(b, old, columns[j]), acc,
                                    ValueRange{row, c0}, ArrayRef<bool>{true})
                                    .getResult();
                        }
                        return SmallVector<Value>{acc};
                      })[0];
          // Each block of 16 buckets: averaged, transposed back to one
          // vector per position, stored (masked past the count); the
          // table's rows are cleared for the next positions.
          ValueRange stored = forLoop(
              b, bucketBlocks, {t[0], sums},
              [&](ImplicitLocOpBuilder &b, Value q, ValueRange s) {
                Value first = arith::MulIOp::create(b, q, block);
                Value acc = s[1];
                SmallVector<Value> rows;
                for (int64_t r = 0; r < kBlock; ++r) {
                  Value row = addIndex(b, first, r);
                  Value v = readVector(b, vector, acc, {row, c0});
                  if (op.getAverage())
                    v = average(b, v,
                                divisors(b, vector,
                                         tensor::ExtractOp::create(
                                             b, counts, ValueRange{row})));
                  rows.push_back(v);
                  acc = vector::TransferWriteOp::create(b, zeros, acc,
                                                        ValueRange{row, c0},
                                                        ArrayRef<bool>{true})
                            .getResult();
                }
                SmallVector<Value> merged = transposeBlock(b, rows);
                Value result = s[0];
                for (int64_t i = 0; i < kBlock; ++i)
                  result = vector::TransferWriteOp::create(
                               b, merged[i], result,
                               ValueRange{c0, hs[i], ws[i], first},
                               ArrayRef<bool>{false})
                               .getResult();
                return SmallVector<Value>{result, acc};
              });
          return SmallVector<Value>{stored[0], stored[1]};
        });
    return done[0];
  }
};

struct LowerMergeRows : LoweringPattern<MergeChannelsOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b,
                         MergeChannelsOp op) const override {
    int64_t merged = op.getMergedDimension();
    if (merged == 3)
      return failure(); // LowerMergeChannels (the last dimension)
    Value x = op.getInput(), buckets = op.getBuckets(), n = op.getCount();
    RankedTensorType outType = op.getOutput().getType();
    Type element = outType.getElementType();
    SmallVector<Value> sizes, dynamicOut;
    for (int64_t d = 0; d < 4; ++d) {
      sizes.push_back(tensor::DimOp::create(b, x, d));
      if (d == merged)
        dynamicOut.push_back(n);
      else if (outType.isDynamicDim(d))
        dynamicOut.push_back(sizes.back());
    }
    Value zero = arith::ConstantOp::create(b, b.getZeroAttr(element));
    Value out = createFilled(b, outType, dynamicOut);

    int64_t lanes = kVectorBits / element.getIntOrFloatBitWidth();
    auto vector = VectorType::get({lanes}, element);
    Value chunks =
        arith::CeilDivUIOp::create(b, sizes[3], indexConstant(b, lanes));
    SmallVector<int64_t> outer;
    for (int64_t d = 0; d < 3; ++d)
      if (d != merged)
        outer.push_back(d);
    // For each row: `row(b, at, t)` updates `t`, `at` the row's indices with
    // the merged dimension and the last still to set.
    auto forEachRow = [&](Value init, Value count,
                          function_ref<Value(ImplicitLocOpBuilder &,
                                             SmallVector<Value>, Value, Value)>
                              row) {
      return forLoop(
          b, sizes[outer[0]], {init},
          [&](ImplicitLocOpBuilder &b, Value i, ValueRange t) {
            return SmallVector<Value>{forLoop(
                b, sizes[outer[1]], {t[0]},
                [&](ImplicitLocOpBuilder &b, Value j, ValueRange t) {
                  return SmallVector<Value>{forLoop(
                      b, count, {t[0]},
                      [&](ImplicitLocOpBuilder &b, Value c, ValueRange t) {
                        SmallVector<Value> at(4);
                        at[outer[0]] = i;
                        at[outer[1]] = j;
                        return SmallVector<Value>{row(b, at, c, t[0])};
                      })[0]};
                })[0]};
          })[0];
    };
    // fn(b, acc, v) of each vector v of `from`'s row at `in` (`to`'s own
    // without `from`) and acc of `to`'s at `at`, stored there; the last
    // vector is masked past the row's end.
    auto eachVector =
        [&](ImplicitLocOpBuilder &b, Value from, SmallVector<Value> in,
            Value to, SmallVector<Value> at,
            function_ref<Value(ImplicitLocOpBuilder &, Value, Value)> fn) {
          return forLoop(
              b, chunks, {to},
              [&](ImplicitLocOpBuilder &b, Value k, ValueRange t) {
                Value j = arith::MulIOp::create(b, k, indexConstant(b, lanes));
                in[3] = at[3] = j;
                Value v = readWidened(b, vector, from ? from : t[0], in);
                Value acc = vector::TransferReadOp::create(
                    b, vector, t[0], at, zero, ArrayRef<bool>{false});
                return SmallVector<Value>{
                    vector::TransferWriteOp::create(b, fn(b, acc, v), t[0], at,
                                                    ArrayRef<bool>{false})
                        .getResult()};
              })[0];
        };
    out = forEachRow(
        out, sizes[merged],
        [&](ImplicitLocOpBuilder &b, SmallVector<Value> at, Value c, Value t) {
          SmallVector<Value> in(at);
          in[merged] = c;
          at[merged] = tensor::ExtractOp::create(b, buckets, c);
          return eachVector(b, x, in, t, at,
                            [](ImplicitLocOpBuilder &b, Value acc, Value v) {
                              return add(b, acc, v);
                            });
        });
    if (!op.getAverage())
      return out;

    // Members per bucket, then each row divided by its bucket's.
    Value counts = bucketCounts(b, buckets, sizes[merged], n);
    return forEachRow(
        out, n,
        [&](ImplicitLocOpBuilder &b, SmallVector<Value> at, Value m, Value t) {
          at[merged] = m;
          Value divisor =
              divisors(b, vector, tensor::ExtractOp::create(b, counts, m));
          return eachVector(b, Value(), at, t, at,
                            [&](ImplicitLocOpBuilder &b, Value, Value v) {
                              return average(b, v, divisor);
                            });
        });
  }
};

} // namespace

void mlir::prom::populateLowerMergeChannelsPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerMergeChannels, LowerMergeRows>(patterns.getContext());
}
