//===- FloatConvVector.cpp - f32 convolutions as register-tiled kernels ---===//
//
// See the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Conversion/PromToLinalg/LoweringUtils.h"
#include "Prom/Conversion/PromToLinalg/VectorKernels.h"

#include "Prom/Codegen/CPU/Common/Epilogue.h"
#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Codegen/CPU/Common/RegisterTile.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"
#include "Prom/Transforms/Padding.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMFLOATCONVVECTOR
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

/// Where a window's inputs are: without `offsets`, `x` is [pixels,
/// reduction] (a 1x1 unpadded window's pixels); with them, `x` is the
/// padded input flattened, and step r of the pixel whose window starts at
/// `origin` reads x[origin + offsets[r]] (im2col without its copy).
struct WindowInput {
  Value x;
  Value offsets; // [reduction] index, or null
  int64_t outH = 0, outW = 0, paddedH = 0, paddedW = 0, channels = 0;
  int64_t strideH = 0, strideW = 0;
};

/// The tensors one convolution's tiles share.
struct FloatKernel {
  int64_t lanes, pixels, cout, reduction;
  WindowInput input;
  Value weights; // [blocks, reduction, lanes] f32, zero-padded
  Value bias;    // [blocks * lanes] f32, zero-padded
  const FloatEpilogue &epilogue;
  DenseMap<Value, Value> flatAddends; // [pixels, cout] of each addend
};

/// Pixel p's row of x (no offsets), or where its window starts in x.
Value windowOrigin(ImplicitLocOpBuilder &b, const WindowInput &in, Value p) {
  if (!in.offsets)
    return p;
  Value perImage = indexConstant(b, in.outH * in.outW);
  Value outW = indexConstant(b, in.outW);
  Value n = arith::DivUIOp::create(b, p, perImage);
  Value rest = arith::RemUIOp::create(b, p, perImage);
  Value oh = arith::DivUIOp::create(b, rest, outW);
  Value ow = arith::RemUIOp::create(b, rest, outW);
  auto mulAdd = [&](Value v, int64_t c, Value w) {
    return arith::AddIOp::create(
        b, arith::MulIOp::create(b, v, indexConstant(b, c)), w);
  };
  Value row =
      mulAdd(n, in.paddedH,
             arith::MulIOp::create(b, oh, indexConstant(b, in.strideH)));
  Value col =
      mulAdd(row, in.paddedW,
             arith::MulIOp::create(b, ow, indexConstant(b, in.strideW)));
  return arith::MulIOp::create(b, col, indexConstant(b, in.channels));
}

/// One np x nb tile at pixel `p0` and block `b0`: per step, the blocks'
/// weight vectors, one broadcast per pixel, a multiply and an add per
/// accumulator; then the stores into `out`.
Value emitTile(ImplicitLocOpBuilder &b, const FloatKernel &k, Value out,
               Value p0, int64_t np, Value b0, int64_t nb) {
  auto f32s = VectorType::get({k.lanes}, b.getF32Type());
  auto channelOf = [&](ImplicitLocOpBuilder &ib, int64_t j) -> Value {
    return arith::MulIOp::create(ib, addIndex(ib, b0, j),
                                 indexConstant(ib, k.lanes));
  };
  SmallVector<Value> init, accs;
  for (int64_t j = 0; j < nb; ++j)
    init.push_back(readVector(b, f32s, k.bias, {channelOf(b, j)}));
  for (int64_t i = 0; i < np; ++i)
    llvm::append_range(accs, init);
  SmallVector<Value> origins;
  for (int64_t i = 0; i < np; ++i)
    origins.push_back(windowOrigin(b, k.input, addIndex(b, p0, i)));

  RegisterTile tile{
      np, nb,
      [&](ImplicitLocOpBuilder &lb, Value step, int64_t j) {
        return readVector(lb, f32s, k.weights,
                          {addIndex(lb, b0, j), step, indexConstant(lb, 0)});
      },
      [&, origins](ImplicitLocOpBuilder &lb, Value step, int64_t i) -> Value {
        Value v;
        if (k.input.offsets) {
          Value offset =
              tensor::ExtractOp::create(lb, k.input.offsets, ValueRange{step});
          v = tensor::ExtractOp::create(
              lb, k.input.x,
              ValueRange{arith::AddIOp::create(lb, origins[i], offset)});
        } else {
          v = tensor::ExtractOp::create(lb, k.input.x,
                                        ValueRange{origins[i], step});
        }
        return vector::BroadcastOp::create(lb, f32s, v);
      },
      [&](ImplicitLocOpBuilder &lb, Value acc, Value x, Value w) -> Value {
        return arith::AddFOp::create(lb, acc, arith::MulFOp::create(lb, x, w));
      }};
  Value begin = indexConstant(b, 0), end = indexConstant(b, k.reduction);
  SmallVector<Value> sums = emitTileReduction(b, tile, begin, end, accs);

  SmallVector<SmallVector<Value>> pixels;
  for (int64_t i = 0; i < np; ++i)
    pixels.push_back({addIndex(b, p0, i)});
  for (int64_t j = 0; j < nb; ++j) {
    SmallVector<Value> ys;
    for (int64_t i = 0; i < np; ++i)
      ys.push_back(k.epilogue.apply(b, sums[i * nb + j], [&](Value addend) {
        return readVector(b, f32s, k.flatAddends.lookup(addend),
                          {pixels[i][0], channelOf(b, j)});
      }));
    out = storeBlocks(b, ys, out, pixels, channelOf(b, j), k.lanes, k.cout,
                      /*mayBePartial=*/j + 1 == nb);
  }
  return out;
}

struct FloatConvToVector : OpRewritePattern<tosa::Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    KernelAttr kernel = getKernel(op, KernelKind::FloatConvVector);
    if (!kernel)
      return failure();
    int64_t lanes = kernel.getLanes();
    // selectFloatConv's conditions, which the lowering relies on.
    if (!floatConvObstacle(op).empty())
      return failure();
    auto wType = cast<RankedTensorType>(op.getWeight().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    std::optional<SmallVector<float>> weights = getKnownFloats(op.getWeight());
    std::optional<SmallVector<float>> bias = getKnownFloats(op.getBias());
    int64_t cout = outType.getDimSize(3);

    FailureOr<FloatEpilogue> epilogue =
        FloatEpilogue::get(op, kernel.getLanes());
    if (failed(epilogue))
      return failure();

    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    auto f32 = b.getF32Type();
    ArrayRef<int64_t> out = outType.getShape();
    int64_t kh = wType.getDimSize(1), kw = wType.getDimSize(2);
    ArrayRef<int64_t> pad = op.getPad(), stride = op.getStride(),
                      dilation = op.getDilation();
    WindowInput input;
    if (kh == 1 && kw == 1 && llvm::all_of(pad, [](int64_t p) { return !p; })) {
      input.x = windowRows(b, op.getInput(), pad, b.getF32FloatAttr(0), stride,
                           dilation, 1, 1, out);
    } else {
      // The input padded with 0.0 (padding then adds 0.0 times a weight, as
      // in the reference) and read in place: no im2col copy.
      Value padded = padFeatureMap(b, b.getLoc(), op.getInput(), pad,
                                   b.getF32FloatAttr(0));
      auto paddedType = cast<RankedTensorType>(padded.getType());
      ArrayRef<int64_t> shape = paddedType.getShape();
      input.x = tensor::CollapseShapeOp::create(
          b, RankedTensorType::get({paddedType.getNumElements()}, f32), padded,
          ArrayRef<ReassociationIndices>{{0, 1, 2, 3}});
      input.outH = out[1];
      input.outW = out[2];
      input.paddedH = shape[1];
      input.paddedW = shape[2];
      input.channels = shape[3];
      input.strideH = stride[0];
      input.strideW = stride[1];
      // Step (i, j, c) in the weights' [kh][kw][ci] order.
      SmallVector<int64_t> offsets;
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j)
          for (int64_t c = 0; c < shape[3]; ++c)
            offsets.push_back(
                (i * dilation[0] * shape[2] + j * dilation[1]) * shape[3] + c);
      input.offsets = arith::ConstantOp::create(
          b, DenseIntElementsAttr::get(
                 RankedTensorType::get({int64_t(offsets.size())},
                                       b.getIndexType()),
                 ArrayRef<int64_t>(offsets)));
    }

    int64_t reduction = weights->size() / cout;
    int64_t blocks = llvm::divideCeil(cout, lanes);
    // [blocks][reduction][lanes]: one vector load per block and step, each
    // block's weights one sequential stream. ([reduction][blocks] would put
    // a tile's steps blocks * lanes * 4 bytes apart: 2 KB, two steps a page,
    // at 512 output channels, and ResNet-18's last layers ran at 42 GMAC/s.)
    SmallVector<float> packed(reduction * blocks * lanes, 0.0f);
    for (int64_t o = 0; o < cout; ++o)
      for (int64_t r = 0; r < reduction; ++r)
        packed[((o / lanes) * reduction + r) * lanes + o % lanes] =
            (*weights)[o * reduction + r];
    SmallVector<float> paddedBias(blocks * lanes, 0.0f);
    for (int64_t o = 0; o < cout; ++o)
      paddedBias[o] = (*bias)[bias->size() == 1 ? 0 : o];
    FloatKernel k{
        lanes,
        out[0] * out[1] * out[2],
        cout,
        reduction,
        input,
        arith::ConstantOp::create(
            b, DenseFPElementsAttr::get(
                   RankedTensorType::get({blocks, reduction, lanes}, f32),
                   ArrayRef<float>(packed))),
        arith::ConstantOp::create(
            b, DenseFPElementsAttr::get(
                   RankedTensorType::get({blocks * lanes}, f32),
                   ArrayRef<float>(paddedBias))),
        *epilogue,
        DenseMap<Value, Value>()};
    for (Value addend : epilogue->addends())
      k.flatAddends[addend] = tensor::CollapseShapeOp::create(
          b, RankedTensorType::get({k.pixels, cout}, f32), addend,
          ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});

    int64_t nb = std::min(kernel.getTileBlocks(), blocks);
    int64_t np = std::min(kernel.getTilePixels(), k.pixels);
    epilogue->replace(
        rewriter, op,
        emitPixelBlockTiles(
            b, outType, blocks, np, nb,
            [&](ImplicitLocOpBuilder &tb, Value tileOut, Value p0, Value b0) {
              return emitTile(tb, k, tileOut, p0, np, b0, nb);
            }));
    return success();
  }
};

struct FloatConvVectorPass
    : prom::impl::PromFloatConvVectorBase<FloatConvVectorPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FloatConvToVector>(&getContext());
    if (failed(applyKernelPatterns(getOperation(), std::move(patterns),
                                   KernelKind::FloatConvVector,
                                   "prom-float-conv-vector")))
      signalPassFailure();
  }
};

} // namespace
