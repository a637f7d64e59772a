//===- FloatDepthwiseVector.cpp - f32 depthwise convolutions as vectors ---===//
//
// See the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Conversion/PromToLinalg/VectorKernels.h"

#include "Prom/Codegen/CPU/Common/Epilogue.h"
#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Transforms/ConstantValues.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMFLOATDEPTHWISEVECTOR
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

struct FloatDepthwiseToVector : OpRewritePattern<tosa::DepthwiseConv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::DepthwiseConv2DOp op,
                                PatternRewriter &rewriter) const override {
    KernelAttr kernel = getKernel(op, KernelKind::FloatDepthwiseVector);
    if (!kernel)
      return failure();
    // selectFloatDepthwise's conditions, which the lowering relies on.
    if (!floatDepthwiseObstacle(op, kernel.getLanes()).empty())
      return failure();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto wType = cast<RankedTensorType>(op.getWeight().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    std::optional<SmallVector<float>> weights = getKnownFloats(op.getWeight());
    std::optional<SmallVector<float>> bias = getKnownFloats(op.getBias());
    int64_t channels = inType.getDimSize(3);
    int64_t lanes = kernel.getLanes();
    FailureOr<FloatEpilogue> epilogue = FloatEpilogue::get(op, lanes);
    if (failed(epilogue))
      return failure();

    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    auto f32 = b.getF32Type();
    // Weights [KH, KW, C, 1] are already [taps, C].
    int64_t kh = wType.getDimSize(0), kw = wType.getDimSize(1);
    Value w = arith::ConstantOp::create(
        b, DenseFPElementsAttr::get(
               RankedTensorType::get({kh * kw, channels}, f32),
               ArrayRef<float>(*weights)));
    SmallVector<float> perChannel(channels, (*bias)[0]);
    if (bias->size() == size_t(channels))
      perChannel.assign(bias->begin(), bias->end());
    Value biasTensor = arith::ConstantOp::create(
        b, DenseFPElementsAttr::get(RankedTensorType::get({channels}, f32),
                                    ArrayRef<float>(perChannel)));

    // The reference's order and roundings: each accumulator from +0.0, per
    // tap (padding reads 0.0, as the reference's padded input) a multiply
    // and a separate add, then bias + sum.
    auto f32s = VectorType::get({lanes}, f32);
    Value zero = arith::ConstantOp::create(
        b, DenseElementsAttr::get(f32s, b.getF32FloatAttr(0)));
    auto init = [&](ImplicitLocOpBuilder &, Value) { return zero; };
    auto weight = [&](ImplicitLocOpBuilder &tb, int64_t tap, Value c0) {
      return readVector(tb, f32s, w, {indexConstant(tb, tap), c0});
    };
    auto step = [&](ImplicitLocOpBuilder &tb, Value acc, ValueRange x,
                    Value wv) {
      return arith::AddFOp::create(tb, acc, arith::MulFOp::create(tb, x[0], wv))
          .getResult();
    };
    auto finish = [&](ImplicitLocOpBuilder &tb, Value acc, ValueRange at) {
      Value y = arith::AddFOp::create(
          tb, readVector(tb, f32s, biasTensor, {at[3]}), acc);
      return epilogue->apply(tb, y, [&](Value addend) {
        return readVector(tb, f32s, addend, at);
      });
    };
    DepthwiseKernel vectorKernel{
        lanes, kernel.getTilePixels(), f32s, zero, {}, init, weight, step,
        finish};
    DepthwiseWindow window{
        inType.getShape(), outType.getShape(), kh,         kw,
        op.getStride(),    op.getDilation(),   op.getPad()};
    Value result = tensor::EmptyOp::create(b, outType.getShape(), f32);
    epilogue->replace(
        rewriter, op,
        emitDepthwiseLoops(b, op.getInput(), result, window, vectorKernel));
    return success();
  }
};

struct FloatDepthwiseVectorPass
    : prom::impl::PromFloatDepthwiseVectorBase<FloatDepthwiseVectorPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FloatDepthwiseToVector>(&getContext());
    if (failed(applyKernelPatterns(getOperation(), std::move(patterns),
                                   KernelKind::FloatDepthwiseVector,
                                   "prom-float-depthwise-vector")))
      signalPassFailure();
  }
};

} // namespace
