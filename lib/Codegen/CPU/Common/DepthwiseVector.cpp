//===- DepthwiseVector.cpp - depthwise convolutions over channel vectors --===//
//
// See the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Conversion/PromToLinalg/LoweringUtils.h"
#include "Prom/Conversion/PromToLinalg/VectorKernels.h"

#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Dialect/Prom/IR/PromOps.h"
#include "Prom/Transforms/ConstantValues.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMDEPTHWISEVECTOR
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;
using namespace mlir::prom;
using namespace mlir::prom::lowering;

namespace {

/// Output pixels along W per tile: 4 accumulators, the taps' weight
/// vectors and the loaded input fit the register file.
constexpr int64_t kTileWidth = 4;

struct DepthwiseToVector : LoweringPattern<Conv2DOp> {
  using LoweringPattern::LoweringPattern;

  FailureOr<Value> lower(ImplicitLocOpBuilder &b, Conv2DOp op) const override {
    KernelAttr kernel = getKernel(op, KernelKind::DepthwiseVector);
    if (!kernel)
      return failure();
    int64_t lanes = kernel.getLanes();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto wType = cast<RankedTensorType>(op.getWeights().getType());
    RankedTensorType outType = op.getOutput().getType();
    if (!inType.hasStaticShape() || !wType.hasStaticShape() ||
        !outType.hasStaticShape())
      return failure();
    int64_t channels = inType.getDimSize(3);
    if (op.getGroups() != channels || outType.getDimSize(3) != channels ||
        channels < lanes)
      return failure();
    ElementsAttr attr;
    if (!matchPattern(op.getWeights(), m_Constant(&attr)))
      return failure();
    std::optional<SmallVector<int8_t>> weights = getInt8Elements(attr);
    if (!weights)
      return failure();

    // Weights [C, KH, KW, 1] as [taps, C] i32.
    int64_t kh = wType.getDimSize(1), kw = wType.getDimSize(2);
    int64_t taps = kh * kw;
    SmallVector<int32_t> byTap(taps * channels);
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t t = 0; t < taps; ++t)
        byTap[t * channels + c] = (*weights)[c * taps + t];
    int64_t zp = op.getInputZp();
    FailureOr<ChannelConstants> constants = createChannelConstants(
        b, channels, zeroPointTerms(*weights, channels, zp), op.getBias(),
        op.getInputScale().convertToFloat(), op.getWeightScales(),
        op.getOutputScale().convertToFloat());
    if (failed(constants))
      return failure();
    Value w = arith::ConstantOp::create(
        b, DenseIntElementsAttr::get(
               RankedTensorType::get({taps, channels}, b.getI32Type()),
               ArrayRef<int32_t>(byTap)));

    auto i32s = VectorType::get({lanes}, b.getI32Type());
    auto i8s = VectorType::get({lanes}, b.getI8Type());
    std::pair<int32_t, int32_t> clamp = op.getClampBounds();
    auto init = [&](ImplicitLocOpBuilder &tb, Value c0) {
      return readVector(tb, i32s, constants->init, {c0});
    };
    auto weight = [&](ImplicitLocOpBuilder &tb, int64_t tap, Value c0) {
      return readVector(tb, i32s, w, {indexConstant(tb, tap), c0});
    };
    auto step = [&](ImplicitLocOpBuilder &tb, Value acc, Value x, Value wv) {
      Value xv = arith::ExtSIOp::create(tb, i32s, x);
      return arith::AddIOp::create(tb, acc, arith::MulIOp::create(tb, xv, wv))
          .getResult();
    };
    auto finish = [&](ImplicitLocOpBuilder &tb, Value acc, ValueRange at) {
      RequantLanes requant = readRequantLanes(tb, *constants, i32s, at[3]);
      return requantizeVector(tb, acc, requant, op.getOutputZp(), clamp);
    };
    // Padding reads the zero point: it then adds nothing, as in the
    // reference.
    Value zpVector = arith::ConstantOp::create(
        b, DenseElementsAttr::get(i8s, b.getI8IntegerAttr(zp)));
    DepthwiseKernel vectorKernel{lanes, kTileWidth, i8s,  zpVector,
                                 init,  weight,     step, finish};
    DepthwiseWindow window{
        inType.getShape(), outType.getShape(), kh,         kw,
        op.getStride(),    op.getDilation(),   op.getPad()};
    Value result =
        tensor::EmptyOp::create(b, outType.getShape(), b.getI8Type());
    return emitDepthwiseLoops(b, op.getInput(), result, window, vectorKernel);
  }
};

struct DepthwiseVectorPass
    : prom::impl::PromDepthwiseVectorBase<DepthwiseVectorPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DepthwiseToVector>(&getContext());
    if (failed(applyKernelPatterns(getOperation(), std::move(patterns),
                                   KernelKind::DepthwiseVector,
                                   "prom-depthwise-vector")))
      signalPassFailure();
  }
};

} // namespace
