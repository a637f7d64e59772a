//===- DepthwiseVector.cpp - depthwise convolutions over channel vectors --===//
//
// See the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "Prom/Conversion/PromToLinalg/LoweringUtils.h"
#include "Prom/Conversion/PromToLinalg/VectorKernels.h"

#include "Prom/Codegen/CPU/Common/DotInstruction.h"
#include "Prom/Codegen/CPU/Common/KernelSelection.h"
#include "Prom/Codegen/CPU/Common/Requantization.h"
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

/// The taps one pair-form step multiplies: (i, j) with (i + 1, j) for even
/// i, so that the pair of rows a column gives is widened once for all the
/// tile's pixels that read it; the taps of a last odd row alone.
SmallVector<SmallVector<int64_t, 2>> rowPairs(int64_t kh, int64_t kw) {
  SmallVector<SmallVector<int64_t, 2>> groups;
  for (int64_t i = 0; i < kh; i += 2)
    for (int64_t j = 0; j < kw; ++j) {
      groups.push_back({i * kw + j});
      if (i + 1 < kh)
        groups.back().push_back((i + 1) * kw + j);
    }
  return groups;
}

struct DepthwiseToVector : LoweringPattern<Conv2DOp> {
  using LoweringPattern::LoweringPattern;

  FailureOr<Value> lower(ImplicitLocOpBuilder &b, Conv2DOp op) const override {
    KernelAttr kernel = getKernel(op, KernelKind::DepthwiseVector);
    if (!kernel)
      return failure();
    int64_t lanes = kernel.getLanes();
    std::optional<KernelForm> form = kernel.getForm();
    if (form && *form != KernelForm::Vpmaddwd)
      return failure();
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

    // The multiply form: i32 lanes, one tap a step; or an x86 pair form,
    // two taps a step: their inputs widened to i16 and interleaved, a lone
    // tap's sign-extended to i32 (its high half meets a zero weight).
    int64_t kh = wType.getDimSize(1), kw = wType.getDimSize(2);
    int64_t taps = kh * kw;
    SmallVector<SmallVector<int64_t, 2>> groups;
    if (form)
      groups = rowPairs(kh, kw);
    else
      for (int64_t t = 0; t < taps; ++t)
        groups.push_back({t});
    int64_t width = form ? 2 : 1;
    auto weightType = form ? b.getI16Type() : b.getI32Type();
    SmallVector<APInt> byGroup(groups.size() * width * channels,
                               APInt(weightType.getWidth(), 0));
    for (auto [g, group] : llvm::enumerate(groups))
      for (auto [k, t] : llvm::enumerate(group))
        for (int64_t c = 0; c < channels; ++c)
          byGroup[(g * channels + c) * width + k] =
              APInt(weightType.getWidth(), (*weights)[c * taps + t],
                    /*isSigned=*/true);
    int64_t zp = op.getInputZp();
    std::pair<int32_t, int32_t> clamp = op.getClampBounds();
    FailureOr<RequantConstants> requant = kernelRequantConstants(op, kernel);
    if (failed(requant))
      return failure();
    ChannelConstants constants =
        createChannelConstants(b, channels, *requant, op.getBias());
    Value w = arith::ConstantOp::create(
        b, DenseIntElementsAttr::get(
               RankedTensorType::get({int64_t(groups.size()), width * channels},
                                     weightType),
               byGroup));

    auto i32s = VectorType::get({lanes}, b.getI32Type());
    auto i16s = VectorType::get({lanes}, b.getI16Type());
    auto i8s = VectorType::get({lanes}, b.getI8Type());
    auto weightVector = VectorType::get({width * lanes}, weightType);
    SmallVector<int64_t> interleave;
    for (int64_t l = 0; l < lanes; ++l)
      interleave.append({l, lanes + l});
    auto init = [&](ImplicitLocOpBuilder &tb, Value c0) {
      return readVector(tb, i32s, constants.init, {c0});
    };
    auto weight = [&](ImplicitLocOpBuilder &tb, int64_t group, Value c0) {
      Value at = c0;
      if (width > 1)
        at = arith::MulIOp::create(tb, c0, indexConstant(tb, width));
      return readVector(tb, weightVector, w, {indexConstant(tb, group), at});
    };
    auto step = [&](ImplicitLocOpBuilder &tb, Value acc, ValueRange xs,
                    Value wv) -> Value {
      if (!form) {
        Value xv = arith::ExtSIOp::create(tb, i32s, xs[0]);
        return arith::AddIOp::create(tb, acc,
                                     arith::MulIOp::create(tb, xv, wv));
      }
      Value pairs;
      if (xs.size() == 2)
        pairs = vector::ShuffleOp::create(
            tb, arith::ExtSIOp::create(tb, i16s, xs[0]),
            arith::ExtSIOp::create(tb, i16s, xs[1]), interleave);
      else
        pairs = vector::BitCastOp::create(
            tb, weightVector, arith::ExtSIOp::create(tb, i32s, xs[0]));
      return getDotInstruction(*form).accumulate(tb, acc, pairs, wv);
    };
    auto finish = [&](ImplicitLocOpBuilder &tb, Value acc, ValueRange at) {
      RequantLanes lanesAt = readRequantLanes(tb, constants, i32s, at[3]);
      return requantizeVector(tb, acc, lanesAt, op.getOutputZp(), clamp);
    };
    // Padding reads the zero point: it then adds nothing, as in the
    // reference.
    Value zpVector = arith::ConstantOp::create(
        b, DenseElementsAttr::get(i8s, b.getI8IntegerAttr(zp)));
    DepthwiseKernel vectorKernel{lanes,  kernel.getTilePixels(),
                                 i8s,    zpVector,
                                 groups, init,
                                 weight, step,
                                 finish};
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
