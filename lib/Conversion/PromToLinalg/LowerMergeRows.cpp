//===- LowerMergeRows.cpp - merge_channels along a leading dimension ------===//
//
// Merging along a dimension other than the last (HASTE's HWCF filter slices)
// adds whole rows: every element after the merged dimension is contiguous,
// so a channel's row is added into its bucket's row as vectors, in
// increasing channel order. No gathers, unlike the last dimension
// (LowerHaste.cpp).
//
//===----------------------------------------------------------------------===//

#include "Prom/Conversion/PromToLinalg/PromToLinalg.h"

#include "LoweringUtils.h"
#include "VectorKernels.h"

#include "Prom/Dialect/Prom/IR/PromOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

/// Bits of the vectors the rows are added in (LLVM splits them for narrower
/// targets).
constexpr int64_t kVectorBits = 512;

struct LowerMergeRows : LoweringPattern<MergeChannelsOp> {
  using LoweringPattern::LoweringPattern;
  FailureOr<Value> lower(ImplicitLocOpBuilder &b,
                         MergeChannelsOp op) const override {
    int64_t merged = op.getMergedDimension();
    if (merged == 3)
      return failure(); // LowerMergeChannels
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
    Value out = linalg::FillOp::create(
                    b, zero,
                    tensor::EmptyOp::create(b, outType, dynamicOut).getResult())
                    .getResult(0);

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
                Value v = vector::TransferReadOp::create(
                    b, vector, from ? from : t[0], in, zero,
                    ArrayRef<bool>{false});
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
    Type i32 = b.getI32Type();
    Value counts =
        linalg::FillOp::create(
            b, arith::ConstantIntOp::create(b, i32, 0).getResult(),
            tensor::EmptyOp::create(b, ArrayRef<int64_t>{ShapedType::kDynamic},
                                    i32, ValueRange{n})
                .getResult())
            .getResult(0);
    counts =
        forLoop(b, sizes[merged], {counts},
                [&](ImplicitLocOpBuilder &b, Value c, ValueRange t) {
                  Value bucket = tensor::ExtractOp::create(b, buckets, c);
                  Value old = tensor::ExtractOp::create(b, t[0], bucket);
                  Value one = arith::ConstantIntOp::create(b, i32, 1);
                  return SmallVector<Value>{tensor::InsertOp::create(
                      b, arith::AddIOp::create(b, old, one), t[0], bucket)};
                })[0];
    return forEachRow(
        out, n,
        [&](ImplicitLocOpBuilder &b, SmallVector<Value> at, Value m, Value t) {
          at[merged] = m;
          Value count = tensor::ExtractOp::create(b, counts, m);
          Value divisor = count;
          if (isa<FloatType>(element))
            divisor = arith::SIToFPOp::create(b, element, count);
          else if (!element.isInteger(32))
            divisor = arith::TruncIOp::create(b, element, count);
          Value divisors = vector::BroadcastOp::create(b, vector, divisor);
          return eachVector(b, Value(), at, t, at,
                            [&](ImplicitLocOpBuilder &b, Value, Value v) {
                              return average(b, v, divisors);
                            });
        });
  }
};

} // namespace

void mlir::prom::populateLowerMergeRowsPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerMergeRows>(patterns.getContext());
}
