//===- ChannelsInnermost.cpp - channel loops innermost -------------------===//

#include "Prom/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace prom {
#define GEN_PASS_DEF_PROMCHANNELSINNERMOST
#include "Prom/Codegen/CPU/Passes.h.inc"
} // namespace prom
} // namespace mlir

using namespace mlir;

namespace {

/// Generalizes `OpTy` and reorders its loops: new loop i is old loop
/// order(loops)[i].
template <typename OpTy> struct Reorder : OpRewritePattern<OpTy> {
  using Order = SmallVector<unsigned> (*)(unsigned loops);
  Reorder(MLIRContext *context, Order order)
      : OpRewritePattern<OpTy>(context), order(order) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto linalgOp = cast<linalg::LinalgOp>(op.getOperation());
    SmallVector<unsigned> permutation = order(linalgOp.getNumLoops());
    FailureOr<linalg::GenericOp> generic =
        linalg::generalizeNamedOp(rewriter, linalgOp);
    if (failed(generic))
      return failure();
    return linalg::interchangeGenericOp(rewriter, *generic, permutation);
  }

  Order order;
};

/// Pools and hwc depthwise ops loop (n, oh, ow, c, kh, kw), hwcm ones
/// (n, oh, ow, c, m, kh, kw): the window (the last two) moves before the
/// channels.
SmallVector<unsigned> windowBeforeChannels(unsigned loops) {
  SmallVector<unsigned> order = {0, 1, 2, loops - 2, loops - 1};
  for (unsigned i = 3; i < loops - 2; ++i)
    order.push_back(i);
  return order;
}

/// Matmuls loop ([b,] m, n, k): k moves before n.
SmallVector<unsigned> reductionBeforeColumns(unsigned loops) {
  SmallVector<unsigned> order;
  for (unsigned i = 0; i + 2 < loops; ++i)
    order.push_back(i);
  order.append({loops - 1, loops - 2});
  return order;
}

struct ChannelsInnermostPass
    : prom::impl::PromChannelsInnermostBase<ChannelsInnermostPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    MLIRContext *context = &getContext();
    patterns.add<Reorder<linalg::PoolingNhwcSumOp>,
                 Reorder<linalg::PoolingNhwcMaxOp>,
                 Reorder<linalg::PoolingNhwcMinOp>,
                 Reorder<linalg::PoolingNhwcMaxUnsignedOp>,
                 Reorder<linalg::PoolingNhwcMinUnsignedOp>,
                 Reorder<linalg::DepthwiseConv2DNhwcHwcOp>,
                 Reorder<linalg::DepthwiseConv2DNhwcHwcQOp>,
                 Reorder<linalg::DepthwiseConv2DNhwcHwcmOp>,
                 Reorder<linalg::DepthwiseConv2DNhwcHwcmQOp>>(
        context, windowBeforeChannels);
    patterns.add<Reorder<linalg::MatmulOp>, Reorder<linalg::BatchMatmulOp>,
                 Reorder<linalg::QuantizedMatmulOp>,
                 Reorder<linalg::QuantizedBatchMatmulOp>>(
        context, reductionBeforeColumns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
