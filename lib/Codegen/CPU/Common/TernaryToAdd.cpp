//===- TernaryToAdd.cpp - ternary 1x1 convolutions as adds and subtracts --===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Conversion/PromToLinalg/LoweringUtils.h"
#include "Prom/Conversion/PromToLinalg/VectorKernels.h"

#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMTERNARYTOADD
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

/// The int8 values of any constant op (arith.constant, tosa.const).
std::optional<SmallVector<int8_t>> constantInt8s(Value v) {
  ElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  return getInt8Elements(attr);
}

/// Per output channel, the input channels with weight +1 (or -1): channel
/// o's entries are index[offsets[o] .. offsets[o + 1]).
struct ChannelLists {
  SmallVector<int32_t> offsets = {0};
  SmallVector<int32_t> index;
};

/// sum over channel o's list of x[n, h, w, i], added (or subtracted) to
/// `acc`: an scf.for of loads, widenings and adds.
Value accumulateList(ImplicitLocOpBuilder &b, Value acc, Value x,
                     ValueRange pixel, Value channel, Value offsets,
                     Value index, bool subtract) {
  Type indexType = b.getIndexType();
  auto toIndex = [&](Value i32) {
    return arith::IndexCastOp::create(b, indexType, i32);
  };
  Value one = arith::ConstantIndexOp::create(b, 1);
  Value begin = toIndex(tensor::ExtractOp::create(b, offsets, channel));
  Value end = toIndex(tensor::ExtractOp::create(
      b, offsets, ValueRange{arith::AddIOp::create(b, channel, one)}));
  auto loop = scf::ForOp::create(
      b, begin, end, one, ValueRange{acc},
      [&](OpBuilder &nested, Location loc, Value k, ValueRange iterArgs) {
        ImplicitLocOpBuilder ib(loc, nested);
        Value ci = arith::IndexCastOp::create(
            ib, indexType, tensor::ExtractOp::create(ib, index, k));
        SmallVector<Value> at(pixel);
        at.push_back(ci);
        Value v = arith::ExtSIOp::create(ib, ib.getI32Type(),
                                         tensor::ExtractOp::create(ib, x, at));
        Value next = subtract
                         ? Value(arith::SubIOp::create(ib, iterArgs[0], v))
                         : Value(arith::AddIOp::create(ib, iterArgs[0], v));
        scf::YieldOp::create(ib, next);
      });
  return loop.getResult(0);
}

/// Vectorized: V pixels at a time over the channel-major input.
///   xt = transpose(collapse(x)) : [Cin, P]
///   for p0 in 0..P step V, for o in 0..Cout:
///     v = broadcast(init[o]); v += ext(xt[i, p0:p0+V]) for i in plus(o);
///     v -= ... for i in minus(o); acc[o, p0:p0+V] = v
/// then acc [Cout, P] back to NHWC.
Value accumulateVectorized(ImplicitLocOpBuilder &b, Value x,
                           ArrayRef<int64_t> out, Value channelInit,
                           ArrayRef<Value> plus, ArrayRef<Value> minus,
                           int64_t width) {
  int64_t cin = cast<RankedTensorType>(x.getType()).getDimSize(3);
  int64_t cout = out[3], pixels = out[0] * out[1] * out[2];
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  Value flat = tensor::CollapseShapeOp::create(
      b, RankedTensorType::get({pixels, cin}, i8), x,
      ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  Value xt = linalg::TransposeOp::create(
                 b, flat, tensor::EmptyOp::create(b, {cin, pixels}, i8),
                 ArrayRef<int64_t>{1, 0})
                 .getResult()[0];
  auto vector8 = VectorType::get({width}, i8);
  auto vector32 = VectorType::get({width}, i32);
  Value zero8 = arith::ConstantIntOp::create(b, i8, 0);
  Value c0 = arith::ConstantIndexOp::create(b, 0);
  Value c1 = arith::ConstantIndexOp::create(b, 1);
  Value acc = tensor::EmptyOp::create(b, {cout, pixels}, i32);

  auto sumList = [&](ImplicitLocOpBuilder &ib, Value v, Value p0, Value o,
                     ArrayRef<Value> list, bool subtract) {
    Type index = ib.getIndexType();
    Value begin = arith::IndexCastOp::create(
        ib, index, tensor::ExtractOp::create(ib, list[0], o));
    Value end = arith::IndexCastOp::create(
        ib, index,
        tensor::ExtractOp::create(
            ib, list[0], ValueRange{arith::AddIOp::create(ib, o, c1)}));
    return scf::ForOp::create(
               ib, begin, end, c1, ValueRange{v},
               [&](OpBuilder &nested, Location loc, Value k, ValueRange it) {
                 ImplicitLocOpBuilder kb(loc, nested);
                 Value ci = arith::IndexCastOp::create(
                     kb, index, tensor::ExtractOp::create(kb, list[1], k));
                 Value xv = vector::TransferReadOp::create(
                     kb, vector8, xt, ValueRange{ci, p0}, zero8);
                 Value wide = arith::ExtSIOp::create(kb, vector32, xv);
                 Value next =
                     subtract ? Value(arith::SubIOp::create(kb, it[0], wide))
                              : Value(arith::AddIOp::create(kb, it[0], wide));
                 scf::YieldOp::create(kb, next);
               })
        .getResult(0);
  };

  Value step = arith::ConstantIndexOp::create(b, width);
  Value total = arith::ConstantIndexOp::create(b, pixels);
  Value channels = arith::ConstantIndexOp::create(b, cout);
  Value result =
      scf::ForOp::create(
          b, c0, total, step, ValueRange{acc},
          [&](OpBuilder &nested, Location loc, Value p0, ValueRange outer) {
            ImplicitLocOpBuilder pb(loc, nested);
            Value tile =
                scf::ForOp::create(
                    pb, c0, channels, c1, ValueRange{outer[0]},
                    [&](OpBuilder &nested, Location loc, Value o,
                        ValueRange inner) {
                      ImplicitLocOpBuilder ob(loc, nested);
                      Value v = vector::BroadcastOp::create(
                          ob, vector32,
                          tensor::ExtractOp::create(ob, channelInit, o));
                      v = sumList(ob, v, p0, o, plus, /*subtract=*/false);
                      v = sumList(ob, v, p0, o, minus, /*subtract=*/true);
                      Value written = vector::TransferWriteOp::create(
                                          ob, v, inner[0], ValueRange{o, p0})
                                          .getResult();
                      scf::YieldOp::create(ob, written);
                    })
                    .getResult(0);
            scf::YieldOp::create(pb, tile);
          })
          .getResult(0);

  Value back = linalg::TransposeOp::create(
                   b, result, tensor::EmptyOp::create(b, {pixels, cout}, i32),
                   ArrayRef<int64_t>{1, 0})
                   .getResult()[0];
  return tensor::ExpandShapeOp::create(
      b, RankedTensorType::get(out, i32), back,
      ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
}

struct TernaryConvToAdd : LoweringPattern<TernaryConv2DOp> {
  using LoweringPattern::LoweringPattern;

  FailureOr<Value> lower(ImplicitLocOpBuilder &b,
                         TernaryConv2DOp op) const override {
    KernelAttr kernel = getKernel(op, KernelKind::TernaryAdd);
    if (!kernel)
      return failure();
    int64_t vectorWidth = kernel.getLanes();
    RankedTensorType outType = op.getOutput().getType();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    std::optional<SmallVector<int8_t>> weights = constantInt8s(op.getWeights());
    if (!weights || !inType.hasStaticShape() || !outType.hasStaticShape())
      return failure();
    ArrayRef<int64_t> in = inType.getShape(), out = outType.getShape();
    int64_t cin = in[3], cout = out[3];

    ChannelLists plus, minus;
    for (int64_t o = 0; o < cout; ++o) {
      for (int64_t i = 0; i < cin; ++i) {
        int8_t w = (*weights)[o * cin + i];
        if (w > 0)
          plus.index.push_back(i);
        else if (w < 0)
          minus.index.push_back(i);
      }
      plus.offsets.push_back(plus.index.size());
      minus.offsets.push_back(minus.index.size());
    }
    // -zp * (|plus(o)| - |minus(o)|): the row sum of ternary weights.
    SmallVector<int32_t> correction =
        zeroPointTerms(*weights, cout, op.getInputZp());

    // Stride: keep every stride-th pixel first, so that p indexes outputs.
    Value x = keepStridedPixels(b, op.getInput(), out, op.getStride());

    Value plusOffsets = createI32Tensor(b, plus.offsets);
    Value plusIndex = createI32Tensor(b, plus.index);
    Value minusOffsets = createI32Tensor(b, minus.offsets);
    Value minusIndex = createI32Tensor(b, minus.index);
    Value corrections = createI32Tensor(b, correction);
    if (vectorWidth > 1) {
      // bias[o] + correction[o], one i32 per output channel.
      Value channelInit = corrections;
      if (Value bias = op.getBias())
        channelInit = createElementwise(
            b, cast<RankedTensorType>(corrections.getType()),
            tensor::EmptyOp::create(b, {cout}, b.getI32Type()),
            {bias, corrections},
            {b.getMultiDimIdentityMap(1), b.getMultiDimIdentityMap(1)},
            [](ImplicitLocOpBuilder &ib, ValueRange args) -> Value {
              return arith::AddIOp::create(ib, args[0], args[1]);
            });
      Value acc =
          accumulateVectorized(b, x, out, channelInit, {plusOffsets, plusIndex},
                               {minusOffsets, minusIndex}, vectorWidth);
      return requantize(
          b, op, acc, outType, op.getInputScale().convertToFloat(),
          op.getWeightScales(), op.getOutputScale().convertToFloat(),
          op.getOutputZp(), op.getClampBounds());
    }
    Value init = createAccumulator(b, out, op.getBias());
    AffineMap channel = AffineMap::get(4, 0, b.getAffineDimExpr(3));
    auto accType = RankedTensorType::get(out, b.getI32Type());
    Value empty = tensor::EmptyOp::create(b, out, b.getI32Type());
    Value acc = createElementwise(
        b, accType, empty, {init, corrections},
        {b.getMultiDimIdentityMap(4), channel},
        [&](ImplicitLocOpBuilder &ib, ValueRange args) -> Value {
          SmallVector<Value> pixel;
          for (int64_t d = 0; d < 3; ++d)
            pixel.push_back(linalg::IndexOp::create(ib, d));
          Value o = linalg::IndexOp::create(ib, 3);
          Value sum = arith::AddIOp::create(ib, args[0], args[1]);
          sum = accumulateList(ib, sum, x, pixel, o, plusOffsets, plusIndex,
                               /*subtract=*/false);
          return accumulateList(ib, sum, x, pixel, o, minusOffsets, minusIndex,
                                /*subtract=*/true);
        });
    return requantize(b, op, acc, outType, op.getInputScale().convertToFloat(),
                      op.getWeightScales(),
                      op.getOutputScale().convertToFloat(), op.getOutputZp(),
                      op.getClampBounds());
  }
};

struct TernaryToAddPass : prom::impl::PromTernaryToAddBase<TernaryToAddPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<TernaryConvToAdd>(&getContext());
    if (failed(applyKernelPatterns(getOperation(), std::move(patterns),
                                   KernelKind::TernaryAdd,
                                   "prom-ternary-to-add")))
      signalPassFailure();
  }
};

} // namespace
