//===- MergedConvVector.cpp - HASTE's merged convolutions as vector kernels
//===//
//
// See the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Conversion/PromToLinalg/VectorKernels.h"

#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Codegen/CPU/Common/RegisterTile.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Dialect/PromX86/IR/PromX86Ops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMMERGEDCONVVECTOR
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

/// What one convolution's tiles share.
struct MergedKernel {
  int64_t lanes, cout, kh, kw;
  SmallVector<int64_t> stride, dilation;
  VectorType vector; // `lanes` accumulators' type
  /// i16 operands multiplied in channel pairs (vpmaddwd), else one channel
  /// per step in the accumulator's type.
  bool pairs;
  Value x;        // [1, H, W, C]
  Value weights;  // [KH, KW, C, cout], or pairs: [KH, KW, ceil(C / 2),
                  // blocks * lanes * 2], zero-padded
  Value init;     // [1, OH, OW, cout]: the accumulators' start
  Value channels; // C
  Value outW;     // OW
  /// A requantization fused into the stores (an i8 result): the channels'
  /// constants, whose `init` (the bias) replaces `init`.
  std::optional<ChannelConstants> requant;
  int64_t outputZp = 0;
  std::pair<int32_t, int32_t> clamp;
};

/// acc + a * b in the element type's arithmetic: a multiply and a separate
/// add, so that f32 rounds twice per term, as the reference loops do.
Value multiplyAdd(ImplicitLocOpBuilder &b, Value acc, Value x, Value w) {
  if (isa<FloatType>(getElementTypeOrSelf(acc)))
    return arith::AddFOp::create(b, acc, arith::MulFOp::create(b, x, w));
  return arith::AddIOp::create(b, acc, arith::MulIOp::create(b, x, w));
}

/// The vector of `lanes` accumulators at `at` (0, oh, ow, channel); masked
/// where the block reaches past the last channel.
Value readInit(ImplicitLocOpBuilder &b, const MergedKernel &k, ValueRange at) {
  if (k.cout % k.lanes == 0)
    return readVector(b, k.vector, k.init, at);
  Value pad =
      arith::ConstantOp::create(b, b.getZeroAttr(k.vector.getElementType()));
  return vector::TransferReadOp::create(b, k.vector, k.init, at, pad,
                                        ArrayRef<bool>{false});
}

/// The weights of the block at `channel` for reduction step `at` (kh, kw,
/// channel or pair), widened to the accumulator's type where they are
/// narrower and taken one channel at a time.
Value readWeights(ImplicitLocOpBuilder &b, const MergedKernel &k,
                  ArrayRef<Value> at, Value channel) {
  Type element = cast<RankedTensorType>(k.weights.getType()).getElementType();
  SmallVector<Value> indices(at);
  if (k.pairs) {
    indices.push_back(arith::MulIOp::create(b, channel, indexConstant(b, 2)));
    return readVector(b, VectorType::get({2 * k.lanes}, element), k.weights,
                      indices);
  }
  indices.push_back(channel);
  auto type = VectorType::get({k.lanes}, element);
  // Masked (0 past cout) where the last block is partial.
  Value w = k.cout % k.lanes == 0
                ? readVector(b, type, k.weights, indices)
                : vector::TransferReadOp::create(
                      b, type, k.weights, indices,
                      arith::ConstantOp::create(b, b.getZeroAttr(element)),
                      ArrayRef<bool>{false})
                      .getResult();
  if (element == k.vector.getElementType())
    return w;
  return arith::ExtSIOp::create(b, k.vector, w);
}

/// x at `at`, widened to the accumulator's type, in every lane.
Value broadcastInput(ImplicitLocOpBuilder &b, const MergedKernel &k,
                     ValueRange at) {
  Value v = tensor::ExtractOp::create(b, k.x, at);
  Type element = k.vector.getElementType();
  if (v.getType() != element)
    v = arith::ExtSIOp::create(b, element, v);
  return vector::BroadcastOp::create(b, k.vector, v);
}

/// The i16 pair x[at], x[at + 1] (`single`: x[at] and 0) in every i32
/// lane, as the i16 vector vpmaddwd takes.
Value broadcastPair(ImplicitLocOpBuilder &b, const MergedKernel &k,
                    ValueRange at, bool single) {
  Type i32 = b.getI32Type();
  Value pair;
  if (single) {
    pair =
        arith::ExtUIOp::create(b, i32, tensor::ExtractOp::create(b, k.x, at));
  } else {
    Value two = readVector(b, VectorType::get({2}, b.getI16Type()), k.x, at);
    pair = vector::ExtractOp::create(
        b, vector::BitCastOp::create(b, VectorType::get({1}, i32), two),
        ArrayRef<int64_t>{0});
  }
  Value lanes = vector::BroadcastOp::create(b, k.vector, pair);
  return vector::BitCastOp::create(
      b, VectorType::get({2 * k.lanes}, b.getI16Type()), lanes);
}

/// One np x nb tile at pixel `p0` and block `b0`: for each window position
/// and channel, the blocks' weight vectors, one broadcast per pixel and a
/// multiply-add per accumulator (the reference's order: kh, kw, c); then
/// the stores into `out` (NHWC, pixel p at (p / OW, p % OW)).
Value emitTile(ImplicitLocOpBuilder &b, const MergedKernel &k, Value out,
               Value p0, int64_t np, Value b0, int64_t nb) {
  auto channelOf = [&](int64_t j) -> Value {
    return arith::MulIOp::create(b, addIndex(b, b0, j),
                                 indexConstant(b, k.lanes));
  };
  Value zero = indexConstant(b, 0);
  SmallVector<Value> channel, ohs, ows, rows, cols, accs;
  for (int64_t j = 0; j < nb; ++j)
    channel.push_back(channelOf(j));
  for (int64_t i = 0; i < np; ++i) {
    Value p = addIndex(b, p0, i);
    ohs.push_back(arith::DivUIOp::create(b, p, k.outW));
    ows.push_back(arith::RemUIOp::create(b, p, k.outW));
    rows.push_back(
        arith::MulIOp::create(b, ohs[i], indexConstant(b, k.stride[0])));
    cols.push_back(
        arith::MulIOp::create(b, ows[i], indexConstant(b, k.stride[1])));
    for (int64_t j = 0; j < nb; ++j)
      accs.push_back(
          k.requant ? readVector(b, k.vector, k.requant->init, {channel[j]})
                    : readInit(b, k, {zero, ohs[i], ows[i], channel[j]}));
  }
  for (int64_t i = 0; i < k.kh; ++i)
    for (int64_t j = 0; j < k.kw; ++j) {
      SmallVector<Value> r, c;
      for (int64_t p = 0; p < np; ++p) {
        r.push_back(addIndex(b, rows[p], i * k.dilation[0]));
        c.push_back(addIndex(b, cols[p], j * k.dilation[1]));
      }
      Value wi = indexConstant(b, i), wj = indexConstant(b, j);
      // Reduction steps over the channels (or channel pairs) at this
      // window position, the pixels' values in every lane.
      auto weights = [&](ImplicitLocOpBuilder &lb, Value step, int64_t q) {
        return readWeights(lb, k, {wi, wj, step}, channel[q]);
      };
      auto accumulate = [&](ImplicitLocOpBuilder &lb, Value acc, Value v,
                            Value w) -> Value {
        if (k.pairs)
          return x86::DotOp::create(lb, x86::DotKind::Vpmaddwd, acc, v, w);
        return multiplyAdd(lb, acc, v, w);
      };
      if (!k.pairs) {
        RegisterTile tile{
            np, nb, weights,
            [&](ImplicitLocOpBuilder &lb, Value ci, int64_t p) {
              return broadcastInput(lb, k, {zero, r[p], c[p], ci});
            },
            accumulate};
        accs = emitTileReduction(b, tile, zero, k.channels, accs);
        continue;
      }
      // Whole pairs, then for an odd count the last channel paired with 0
      // (its partner's packed weights are 0 too).
      Value two = indexConstant(b, 2);
      Value half = arith::DivUIOp::create(b, k.channels, two);
      RegisterTile pairTile{np, nb, weights,
                            [&](ImplicitLocOpBuilder &lb, Value t, int64_t p) {
                              Value ci = arith::MulIOp::create(lb, t, two);
                              return broadcastPair(lb, k,
                                                   {zero, r[p], c[p], ci},
                                                   /*single=*/false);
                            },
                            accumulate};
      accs = emitTileReduction(b, pairTile, zero, half, accs);
      Value odd = arith::CmpIOp::create(
          b, arith::CmpIPredicate::ne,
          arith::RemUIOp::create(b, k.channels, two), zero);
      SmallVector<Value> current(accs);
      accs = SmallVector<Value>(
          scf::IfOp::create(
              b, odd,
              [&](OpBuilder &nested, Location loc) {
                ImplicitLocOpBuilder lb(loc, nested);
                Value last =
                    arith::SubIOp::create(lb, k.channels, indexConstant(lb, 1));
                RegisterTile lastTile{
                    np, nb, weights,
                    [&](ImplicitLocOpBuilder &ib, Value, int64_t p) {
                      return broadcastPair(ib, k, {zero, r[p], c[p], last},
                                           /*single=*/true);
                    },
                    accumulate};
                scf::YieldOp::create(lb,
                                     emitTileStep(lb, lastTile, half, current));
              },
              [&](OpBuilder &nested, Location loc) {
                scf::YieldOp::create(nested, loc, current);
              })
              .getResults());
    }
  for (int64_t j = 0; j < nb; ++j) {
    RequantLanes lanes;
    if (k.requant)
      lanes = readRequantLanes(b, *k.requant, k.vector, channel[j]);
    SmallVector<Value> ys;
    SmallVector<SmallVector<Value>> pixels;
    for (int64_t i = 0; i < np; ++i) {
      Value y = accs[i * nb + j];
      if (k.requant)
        y = requantizeVector(b, y, lanes, k.outputZp, k.clamp);
      ys.push_back(y);
      pixels.push_back({zero, ohs[i], ows[i]});
    }
    out = storeBlocks(b, ys, out, pixels, channel[j], k.lanes, k.cout,
                      /*mayBePartial=*/j + 1 == nb);
  }
  return out;
}

/// `filter` [KH, KW, C, O] of i16 as channel pairs for vpmaddwd:
/// [KH, KW, ceil(C / 2), blocks * lanes * 2], element (kh, kw, t, 2 * o + e)
/// = filter[kh, kw, 2 * t + e, o], 0 past the last channel or output: rows
/// 2t and 2t + 1 interleaved, a block at a time.
Value packWeightPairs(ImplicitLocOpBuilder &b, Value filter, int64_t lanes) {
  auto type = cast<RankedTensorType>(filter.getType());
  ArrayRef<int64_t> s = type.getShape();
  Type i16 = type.getElementType();
  Value c = tensor::DimOp::create(b, filter, 2);
  Value two = indexConstant(b, 2);
  Value pairs = arith::DivUIOp::create(b, addIndex(b, c, 1), two);
  int64_t blocks = llvm::divideCeil(s[3], lanes);
  auto packedType = RankedTensorType::get(
      {s[0], s[1], ShapedType::kDynamic, blocks * lanes * 2}, i16);
  Value packed = tensor::EmptyOp::create(b, packedType, ValueRange{pairs});
  auto row = VectorType::get({lanes}, i16);
  Value zero = arith::ConstantOp::create(b, b.getZeroAttr(i16));
  Value zeros = arith::ConstantOp::create(
      b, DenseElementsAttr::get(row, b.getZeroAttr(i16)));
  Value last = arith::SubIOp::create(b, c, indexConstant(b, 1));
  auto step = [&](ImplicitLocOpBuilder &b, Value i, Value j, Value t, Value blk,
                  Value out) {
    Value o = arith::MulIOp::create(b, blk, indexConstant(b, lanes));
    Value even = arith::MulIOp::create(b, t, two);
    Value odd = addIndex(b, even, 1);
    // Reads masked past O; the odd row of an odd C is 0 (read clamped).
    auto read = [&](Value ci) {
      return vector::TransferReadOp::create(b, row, filter,
                                            ValueRange{i, j, ci, o}, zero,
                                            ArrayRef<bool>{false})
          .getResult();
    };
    Value hasOdd = arith::CmpIOp::create(b, arith::CmpIPredicate::ult, odd, c);
    Value hi = arith::SelectOp::create(
        b, hasOdd, read(arith::MinUIOp::create(b, odd, last)), zeros);
    Value v = vector::InterleaveOp::create(b, read(even), hi);
    return vector::TransferWriteOp::create(
               b, v, out, ValueRange{i, j, t, arith::MulIOp::create(b, o, two)},
               ArrayRef<bool>{true})
        .getResult();
  };
  return forLoop(
      b, indexConstant(b, s[0]), {packed},
      [&](ImplicitLocOpBuilder &b, Value i, ValueRange t0) {
        return SmallVector<Value>{forLoop(
            b, indexConstant(b, s[1]), {t0[0]},
            [&](ImplicitLocOpBuilder &b, Value j, ValueRange t1) {
              return SmallVector<Value>{forLoop(
                  b, pairs, {t1[0]},
                  [&](ImplicitLocOpBuilder &b, Value t, ValueRange t2) {
                    return SmallVector<Value>{forLoop(
                        b, indexConstant(b, blocks), {t2[0]},
                        [&](ImplicitLocOpBuilder &b, Value blk, ValueRange t3) {
                          return SmallVector<Value>{
                              step(b, i, j, t, blk, t3[0])};
                        })[0]};
                  })[0]};
            })[0]};
      })[0];
}

/// The per-channel bias `init` broadcasts (prom-haste's accumulator start),
/// a null Value for zeros, or failure.
FailureOr<Value> matchBroadcastBias(Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    if (matchPattern(fill.getInputs()[0], m_Zero()))
      return Value();
    return failure();
  }
  auto generic = init.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getIndexingMapsArray()[0] !=
          AffineMap::get(4, 0, getAffineDimExpr(3, init.getContext())) ||
      !generic.getIndexingMapsArray()[1].isIdentity())
    return failure();
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (body.getOperations().size() != 1 ||
      yield.getOperand(0) != body.getArgument(0))
    return failure();
  return generic.getDpsInputs()[0];
}

struct MergedConvToVector : OpRewritePattern<linalg::Conv2DNhwcHwcfOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::Conv2DNhwcHwcfOp op,
                                PatternRewriter &rewriter) const override {
    KernelAttr kernel = getKernel(op, KernelKind::MergedConvVector);
    if (!kernel || !op.hasPureTensorSemantics())
      return failure();
    int64_t lanes = kernel.getLanes();
    // vpmaddwd for i16 operands.
    bool pairs = kernel.getIsa() != KernelIsa::None;
    Value input = op.getInputs()[0], filter = op.getInputs()[1],
          init = op.getOutputs()[0];
    auto inType = cast<RankedTensorType>(input.getType());
    auto wType = cast<RankedTensorType>(filter.getType());
    auto outType = cast<RankedTensorType>(init.getType());
    // f32 or i32 throughout, or i16 operands into i32 (HASTE's integer
    // form when its merged values fit).
    Type element = outType.getElementType();
    Type operand = inType.getElementType();
    bool i16 = operand.isInteger(16) && element.isInteger(32);
    if (wType.getElementType() != operand ||
        !(i16 ||
          (operand == element && (element.isF32() || element.isInteger(32)))))
      return failure();
    if (inType.getDimSize(0) != 1 || outType.getDimSize(0) != 1 ||
        wType.isDynamicDim(0) || wType.isDynamicDim(1) ||
        wType.isDynamicDim(3) || ShapedType::isDynamic(outType.getDimSize(3)))
      return failure();

    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    int64_t cout = outType.getDimSize(3);
    int64_t blocks = llvm::divideCeil(cout, lanes);
    MergedKernel k{lanes,
                   cout,
                   wType.getDimSize(0),
                   wType.getDimSize(1),
                   llvm::to_vector(op.getStrides().getValues<int64_t>()),
                   llvm::to_vector(op.getDilations().getValues<int64_t>()),
                   VectorType::get({lanes}, element),
                   i16 && pairs,
                   input,
                   i16 && pairs ? packWeightPairs(b, filter, lanes) : filter,
                   init,
                   tensor::DimOp::create(b, input, 3),
                   tensor::DimOp::create(b, init, 2),
                   std::nullopt,
                   0,
                   {}};

    // An i32 conv from a broadcast bias whose one use requantizes per
    // output channel (prom-haste's integer form): the bias starts the
    // accumulators and the requantization runs on them before the stores,
    // so neither the bias tile nor the i32 result is materialized.
    RescaleOp rescale;
    Value shape = init; // the result's sizes
    if (element.isInteger(32) && op->hasOneUse())
      rescale = dyn_cast<RescaleOp>(*op->getUsers().begin());
    if (rescale && rescale.getInputZp() == 0 && rescale.getAxis() == 3 &&
        int64_t(rescale.getScales().size()) == cout) {
      FailureOr<Value> bias = matchBroadcastBias(init);
      FailureOr<ChannelConstants> constants = failure();
      if (succeeded(bias))
        constants = createChannelConstants(b, blocks * lanes,
                                           SmallVector<int32_t>(cout, 0), *bias,
                                           rescale.getScales());
      if (succeeded(constants)) {
        k.requant = *constants;
        k.outputZp = rescale.getOutputZp();
        k.clamp = rescale.getClampBounds();
        // Sizes from the bias tile's destination, so that the tile is dead.
        shape = cast<DestinationStyleOpInterface>(init.getDefiningOp())
                    .getDpsInits()[0];
        k.outW = tensor::DimOp::create(b, shape, 2);
      }
    }

    // Tiles of np pixels, then the pixels left over one at a time (the
    // pixel count may be dynamic: HASTE's border patches).
    int64_t tilePixels = kernel.getTilePixels();
    int64_t nb = std::min<int64_t>(kernel.getTileBlocks(), blocks);
    Value pixels =
        arith::MulIOp::create(b, tensor::DimOp::create(b, shape, 1), k.outW);
    Value np = indexConstant(b, tilePixels);
    Value whole =
        arith::MulIOp::create(b, arith::DivUIOp::create(b, pixels, np), np);
    auto pixelLoop = [&](ImplicitLocOpBuilder &lb, Value from, Value to,
                         int64_t step, Value b0, Value tensor) {
      return scf::ForOp::create(
                 lb, from, to, indexConstant(lb, step), ValueRange{tensor},
                 [&](OpBuilder &nested, Location loc, Value p0, ValueRange it) {
                   ImplicitLocOpBuilder tb(loc, nested);
                   scf::YieldOp::create(
                       tb, emitTile(tb, k, it[0], p0, step, b0, nb));
                 })
          .getResult(0);
    };
    // Written into a fresh tensor: an overlapping last block tile reads its
    // start from `init` again.
    Value result =
        tensor::EmptyOp::create(b, tensor::getMixedSizes(b, b.getLoc(), shape),
                                k.requant ? b.getI8Type() : element);
    result = emitTileLoop(b, blocks, nb, result,
                          [&](ImplicitLocOpBuilder &cb, Value b0, Value out) {
                            out = pixelLoop(cb, indexConstant(cb, 0), whole,
                                            tilePixels, b0, out);
                            return pixelLoop(cb, whole, pixels, 1, b0, out);
                          });
    if (k.requant) {
      rewriter.replaceOp(rescale, result);
      rewriter.eraseOp(op);
    } else {
      rewriter.replaceOp(op, result);
    }
    return success();
  }
};

struct MergedConvVectorPass
    : prom::impl::PromMergedConvVectorBase<MergedConvVectorPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<MergedConvToVector>(&getContext());
    if (failed(applyKernelPatterns(getOperation(), std::move(patterns),
                                   KernelKind::MergedConvVector,
                                   "prom-merged-conv-vector")))
      signalPassFailure();
  }
};

} // namespace
