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

/// The tensors one convolution's tiles share.
struct FloatKernel {
  int64_t lanes, pixels, cout, reduction;
  Value x;       // [pixels, reduction] f32: pixels or im2col rows
  Value weights; // [reduction, blocks, lanes] f32, zero-padded
  Value bias;    // [blocks * lanes] f32, zero-padded
  const FloatEpilogue &epilogue;
};

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

  RegisterTile tile{
      np, nb,
      [&](ImplicitLocOpBuilder &lb, Value step, int64_t j) {
        return readVector(lb, f32s, k.weights,
                          {step, addIndex(lb, b0, j), indexConstant(lb, 0)});
      },
      [&](ImplicitLocOpBuilder &lb, Value step, int64_t i) -> Value {
        Value v = tensor::ExtractOp::create(
            lb, k.x, ValueRange{addIndex(lb, p0, i), step});
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
      ys.push_back(k.epilogue.apply(b, sums[i * nb + j]));
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
    auto inType = dyn_cast<RankedTensorType>(op.getInput().getType());
    auto wType = dyn_cast<RankedTensorType>(op.getWeight().getType());
    auto outType = dyn_cast<RankedTensorType>(op.getType());
    if (!inType || !wType || !outType || !inType.hasStaticShape() ||
        !wType.hasStaticShape() || !outType.hasStaticShape() ||
        !inType.getElementType().isF32() || !outType.getElementType().isF32())
      return failure();
    std::optional<SmallVector<float>> weights = getKnownFloats(op.getWeight());
    std::optional<SmallVector<float>> bias = getKnownFloats(op.getBias());
    int64_t cout = outType.getDimSize(3);
    if (!weights || !bias || !isZeroConstant(op.getInputZp()) ||
        !isZeroConstant(op.getWeightZp()) ||
        (bias->size() != size_t(cout) && bias->size() != 1))
      return failure();

    FailureOr<FloatEpilogue> epilogue = FloatEpilogue::get(op);
    if (failed(epilogue))
      return failure();

    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    ArrayRef<int64_t> out = outType.getShape();
    Value x = windowRows(b, op.getInput(), op.getPad(), b.getF32FloatAttr(0),
                         op.getStride(), op.getDilation(), wType.getDimSize(1),
                         wType.getDimSize(2), out);

    int64_t reduction = weights->size() / cout;
    int64_t blocks = llvm::divideCeil(cout, lanes);
    // [reduction][blocks][lanes]: one vector load per block and step.
    SmallVector<float> packed(reduction * blocks * lanes, 0.0f);
    for (int64_t o = 0; o < cout; ++o)
      for (int64_t r = 0; r < reduction; ++r)
        packed[(r * blocks + o / lanes) * lanes + o % lanes] =
            (*weights)[o * reduction + r];
    SmallVector<float> paddedBias(blocks * lanes, 0.0f);
    for (int64_t o = 0; o < cout; ++o)
      paddedBias[o] = (*bias)[bias->size() == 1 ? 0 : o];
    auto f32 = b.getF32Type();
    FloatKernel k{
        lanes,
        out[0] * out[1] * out[2],
        cout,
        reduction,
        x,
        arith::ConstantOp::create(
            b, DenseFPElementsAttr::get(
                   RankedTensorType::get({reduction, blocks, lanes}, f32),
                   ArrayRef<float>(packed))),
        arith::ConstantOp::create(
            b, DenseFPElementsAttr::get(
                   RankedTensorType::get({blocks * lanes}, f32),
                   ArrayRef<float>(paddedBias))),
        *epilogue};

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
